// The mapping both sides of bench:mapping run: ours as a definition, JSONata as an expression.
import { join } from 'node:path';
import type { MappingDefinition } from '@hookline/mapping-rules';

export const SHOPIFY_ORDER = join(__dirname, '../libs/testing/fixtures/payloads/shopify__orders_create.json');

/** unique id, 5 variables, the order set and products from line items. */
export const DEFINITION: MappingDefinition = {
  uniqueId: { type: 'email', path: 'email' },
  variables: [
    { name: 'orderTotal', path: 'total_price', type: 'number' },
    { name: 'currency', path: 'currency', type: 'string' },
    { name: 'orderName', path: 'name', type: 'string' },
    { name: 'firstItem', path: 'line_items[0].title', type: 'string' },
    { name: 'firstName', path: 'customer.first_name', type: 'string' },
  ],
  variableSets: {
    order: { id: 'id', name: 'name', totalPrice: 'total_price', currency: 'currency' },
    products: { from: 'line_items[]', fields: { name: 'title', price: 'price', quantity: 'quantity', sku: 'sku' } },
  },
};

/**
 * The same mapping in JSONata. `[...]` around the products keeps an array even for one line
 * item (JSONata unwraps singleton sequences). Email: trimmed and lowercased, as ours (ours also
 * checks the address shape; JSONata does not).
 */
export const JSONATA_EXPRESSION = `{
  "uniqueId": $lowercase($trim(email)),
  "variables": {
    "orderTotal": $number(total_price),
    "currency": $string(currency),
    "orderName": $string(name),
    "firstItem": $string(line_items[0].title),
    "firstName": $string(customer.first_name)
  },
  "variableSets": {
    "order": { "id": $string(id), "name": $string(name), "totalPrice": $number(total_price), "currency": $string(currency) },
    "products": [line_items.{ "name": $string(title), "price": $number(price), "quantity": quantity, "sku": $string(sku) }]
  }
}`;

