// The catalogue of standard variable sets (GET /v1/variable-sets): the names journeys use
// whatever the webhook's source, and the type each field's value is coerced to.
import type { VariableType } from './mapping-definition';
import { deepFreeze } from './object-utils';

export type VariableSetName = 'order' | 'products' | 'customer' | 'shopify';

export interface VariableSetField {
  type: VariableType;
  description: string;
}

export interface VariableSetDescription {
  description: string;
  fields: Record<string, VariableSetField>;
}

const f = (type: VariableType, description: string): VariableSetField => ({ type, description });

export const VARIABLE_SET_NAMES: readonly VariableSetName[] = ['order', 'products', 'customer', 'shopify'];

export const VARIABLE_SETS: Record<VariableSetName, VariableSetDescription> = deepFreeze({
  order: {
    description: 'The order (or checkout, payment, booking) the event is about; one object.',
    fields: {
      id: f('string', 'Order id, exact digits (e.g. Shopify `id`, Razorpay `payload.order.entity.id`).'),
      name: f('string', 'Display name or reference shown to the customer (Shopify `name`, e.g. "#1001").'),
      number: f('string', 'Sequential order number (Shopify `order_number`, WooCommerce `number`).'),
      totalPrice: f('number', 'Total charged, in major units (set fields take plain paths: for minor units such as paise or cents, map a variable with a `scale` transform instead).'),
      subtotalPrice: f('number', 'Subtotal before shipping and taxes, major units.'),
      totalTax: f('number', 'Total tax, major units.'),
      totalDiscount: f('number', 'Total discounts, major units.'),
      shippingPrice: f('number', 'Shipping charged, major units.'),
      currency: f('string', 'ISO 4217 currency code, e.g. "INR".'),
      status: f('string', 'Overall order status (e.g. "open", "cancelled", "completed").'),
      financialStatus: f('string', 'Payment status (Shopify `financial_status`, e.g. "paid").'),
      fulfillmentStatus: f('string', 'Fulfilment status (Shopify `fulfillment_status`).'),
      paymentMethod: f('string', 'Payment method or gateway name.'),
      discountCode: f('string', 'Discount code applied, if any.'),
      itemCount: f('integer', 'Number of line items or units.'),
      createdAt: f('datetime', 'When the order was placed (ISO 8601, normalised to UTC).'),
      updatedAt: f('datetime', 'When the order last changed (ISO 8601, normalised to UTC).'),
      url: f('url', 'Order status page the customer can open (Shopify `order_status_url`).'),
      trackingNumber: f('string', 'Shipment tracking number.'),
      trackingUrl: f('url', 'Shipment tracking page.'),
    },
  },
  products: {
    description: 'The products of the event, one object per element of an array (usually line items).',
    fields: {
      id: f('string', 'Product id, exact digits.'),
      variantId: f('string', 'Variant id, exact digits.'),
      name: f('string', 'Product name or line-item title.'),
      variantName: f('string', 'Variant title (size, colour).'),
      price: f('number', 'Unit price, major units.'),
      compareAtPrice: f('number', 'Price before discount, major units.'),
      currency: f('string', 'ISO 4217 currency code of the price.'),
      quantity: f('integer', 'Units ordered.'),
      sku: f('string', 'Stock keeping unit.'),
      url: f('url', 'Product page.'),
      imageUrl: f('url', 'Product image.'),
      collectionId: f('string', 'Collection or category id.'),
      category: f('string', 'Category or product type name.'),
      brand: f('string', 'Brand or vendor.'),
    },
  },
  customer: {
    description: 'The customer the event is about; one object.',
    fields: {
      id: f('string', "The source system's customer id, exact digits."),
      externalId: f('string', 'An id from another system (CRM, your own database).'),
      email: f('email', 'Email, trimmed and lowercased.'),
      phone: f('phone', 'Phone in E.164, using the mapping default country for national numbers.'),
      firstName: f('string', 'First name.'),
      lastName: f('string', 'Last name.'),
      fullName: f('string', 'Full name.'),
      city: f('string', 'City.'),
      state: f('string', 'State or province.'),
      country: f('string', 'Country name or code.'),
      zip: f('string', 'Postal code.'),
      locale: f('string', 'Language or locale, e.g. "en".'),
      acceptsMarketing: f('boolean', 'Whether the customer opted in to marketing.'),
      tags: f('string', 'Tags, as the source sends them.'),
      createdAt: f('datetime', 'When the customer was created (ISO 8601, UTC).'),
    },
  },
  shopify: {
    description: 'Shopify identifiers and webhook metadata (most of it arrives in headers).',
    fields: {
      customerId: f('string', 'Shopify customer id, exact digits.'),
      orderId: f('string', 'Shopify order id, exact digits.'),
      orderName: f('string', 'Shopify order name, e.g. "#1001".'),
      checkoutToken: f('string', 'Checkout token (abandoned-checkout journeys).'),
      cartToken: f('string', 'Cart token.'),
      productId: f('string', 'Shopify product id, exact digits.'),
      adminGraphqlApiId: f('string', 'The gid://shopify/... id.'),
      shopDomain: f('string', 'The shop domain (header `X-Shopify-Shop-Domain`).'),
      topic: f('string', 'Webhook topic, e.g. "orders/create" (header `X-Shopify-Topic`).'),
      webhookId: f('string', 'Delivery id (header `X-Shopify-Webhook-Id`).'),
      apiVersion: f('string', 'API version (header `X-Shopify-API-Version`).'),
    },
  },
});

export function variableSetFieldNames(set: VariableSetName): string[] {
  return Object.keys(VARIABLE_SETS[set].fields);
}
