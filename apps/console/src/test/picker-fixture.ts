// A variable picker answer shaped like GET /v1/triggers/{id}/variables after two Shopify
// orders (docs/api.md), trimmed to the paths the specs need.
import type { PickerVariable, VariablePickerView } from '@hookline/contracts';

const v = (path: string, types: string[], presence: number, example: unknown, roles: string[] = [], extra: Partial<PickerVariable> = {}): PickerVariable => ({ path, types, presence, example, roles, mapped: false, ...extra });

export const PICKER: VariablePickerView = {
  sampleCount: 29,
  schema: {},
  variables: [
    v('id', ['integer'], 1, '820982911946154508', ['order_id']),
    v('email', ['string'], 1, 'jon@example.com', ['email'], { formats: ['email'] }),
    v('name', ['string'], 1, '#9999', ['order_name']),
    v('total_price', ['string'], 23 / 29, '404.95', ['price'], { mapped: true, missing: true }),
    v('customer', ['object'], 1, null),
    v('customer.id', ['integer'], 1, '115310627314723954', ['customer_id', 'shopify_customer_id']),
    v('customer.email', ['string'], 1, 'jon@example.com', ['email']),
    v('customer.phone', ['null', 'string'], 0.5, '+14155550102', ['phone']),
    v('line_items', ['array'], 1, null),
    v('line_items[]', ['object'], 1, null),
    v('line_items[].title', ['string'], 1, 'Aviator sunglasses', ['product_name']),
    v('line_items[].price', ['string'], 1, '89.99', ['price']),
    v('line_items[].quantity', ['integer'], 1, 1, ['quantity']),
    v('note_attributes', ['array'], 0.2, null),
    v('["odd.key"]', ['string'], 0.1, 'x'),
  ],
  alerts: [],
};
