// For every real payload in libs/testing/fixtures/payloads: the mapping a marketer would write
// for it, checked against the trigger's own catalog (validateMapping with knownPaths), and its
// complete expected output (toEqual on the whole MappingResult).
import { addSample, catalogOf, emptyProfile, type JsonValue } from '@hookline/payload';
import { readdirSync } from 'node:fs';
import { clone, findBigints, loadPayload, PAYLOADS_DIR } from '../test/fixtures';
import { compileMapping, type MappingResult } from './compile-mapping';
import type { MappingDefinition, MappingInput } from './mapping-definition';
import { validateMapping } from './validate-mapping';

const FORM = 'application/x-www-form-urlencoded';

const SHOPIFY_HEADERS = {
  'Content-Type': 'application/json',
  'X-Shopify-Hmac-Sha256': 'XWmrwMey6OsLMeiZKwP4FppHH3cmAiiJJAweH5Jo4bM=',
  'X-Shopify-Shop-Domain': 'jsmith.myshopify.com',
  'X-Shopify-API-Version': '2026-01',
  'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
};
const shopifyHeaders = (topic: string) => ({ ...SHOPIFY_HEADERS, 'X-Shopify-Topic': topic });

interface FixtureMapping {
  file: string;
  contentType?: string;
  /** headers and query of the request, besides the body */
  request?: Omit<MappingInput, 'body'>;
  definition: MappingDefinition;
  /** pointers of the UNKNOWN_PATH warnings against the fixture's own catalog */
  warnings: string[];
  expected: MappingResult;
}

const ORDER_ID = '820982911946154508';

const CASES: FixtureMapping[] = [
  {
    file: 'shopify__orders_create.json',
    request: { headers: shopifyHeaders('orders/create') },
    definition: {
      uniqueId: { type: 'email', path: 'email', fallbacks: ['contact_email', 'customer.email'] },
      variables: [
        { name: 'orderId', path: 'id', type: 'string' },
        { name: 'orderTotal', path: 'total_price', type: 'number' },
        { name: 'itemTitles', path: 'line_items[].title', type: 'string' },
        { name: 'placedAt', path: 'created_at', type: 'datetime' },
        { name: 'statusUrl', path: 'order_status_url', type: 'url' },
        {
          name: 'customerName',
          path: 'customer.first_name',
          transform: [{ op: 'template', template: '{{customer.first_name}} {{customer.last_name}}' }, { op: 'trim' }],
          default: 'there',
        },
        { name: 'discountCode', path: 'discount_codes[0].code', default: 'NONE' },
        { name: 'gateways', path: 'payment_gateway_names', type: 'json' },
        { name: 'isTest', path: 'test', type: 'boolean' },
      ],
      variableSets: {
        order: {
          id: 'id',
          name: 'name',
          number: 'order_number',
          totalPrice: 'total_price',
          subtotalPrice: 'subtotal_price',
          totalTax: 'total_tax',
          totalDiscount: 'total_discounts',
          shippingPrice: 'total_shipping_price_set.shop_money.amount',
          currency: 'currency',
          financialStatus: 'financial_status',
          fulfillmentStatus: 'fulfillment_status',
          createdAt: 'created_at',
          url: 'order_status_url',
        },
        products: {
          from: 'line_items[]',
          fields: { id: 'product_id', variantId: 'variant_id', name: 'title', variantName: 'variant_title', price: 'price', quantity: 'quantity', sku: 'sku', brand: 'vendor' },
        },
        customer: {
          id: 'customer.id',
          email: 'customer.email',
          phone: 'customer.phone',
          firstName: 'customer.first_name',
          lastName: 'customer.last_name',
          city: 'customer.default_address.city',
          state: 'customer.default_address.province',
          country: 'customer.default_address.country_code',
          zip: 'customer.default_address.zip',
          locale: 'customer_locale',
          acceptsMarketing: 'buyer_accepts_marketing',
        },
        shopify: {
          orderId: 'id',
          orderName: 'name',
          customerId: 'customer.id',
          adminGraphqlApiId: 'admin_graphql_api_id',
          checkoutToken: 'checkout_token',
          topic: '$headers.x-shopify-topic',
          shopDomain: '$headers.x-shopify-shop-domain',
          webhookId: '$headers.x-shopify-webhook-id',
          apiVersion: '$headers.x-shopify-api-version',
        },
      },
      dedupeKey: { path: 'id' },
    },
    // discount_codes is [] in this sample, so discount_codes[].code has never been seen
    warnings: ['/variables/6/path'],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'email', value: 'jon@example.com', path: 'email' },
      variables: {
        orderId: ORDER_ID,
        orderTotal: 404.95,
        itemTitles: ['Aviator sunglasses', 'Lens Protection Plan (2 Year)', 'Premium Leather Case', 'Mid-century lounger', 'Coffee table'],
        placedAt: '2022-01-01T00:00:00.000Z',
        statusUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
        customerName: 'John Smith',
        discountCode: 'NONE',
        gateways: ['visa', 'bogus'],
        isTest: true,
      },
      variableSets: {
        order: {
          id: ORDER_ID,
          name: '#9999',
          number: '1234',
          totalPrice: 404.95,
          subtotalPrice: 404.95,
          totalTax: 0,
          totalDiscount: 20,
          shippingPrice: 10,
          currency: 'USD',
          financialStatus: 'voided',
          fulfillmentStatus: null,
          createdAt: '2022-01-01T00:00:00.000Z',
          url: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
        },
        products: [
          { id: '788032119674292922', variantId: null, name: 'Aviator sunglasses', variantName: null, price: 89.99, quantity: 1, sku: 'SKU2006-001', brand: null },
          { id: null, variantId: null, name: 'Lens Protection Plan (2 Year)', variantName: null, price: 19.99, quantity: 1, sku: 'LENS-PROTECT-2YR', brand: null },
          { id: null, variantId: null, name: 'Premium Leather Case', variantName: null, price: 24.99, quantity: 1, sku: 'CASE-LEATHER-PREM', brand: null },
          { id: '788032119674292922', variantId: null, name: 'Mid-century lounger', variantName: null, price: 159.99, quantity: 1, sku: 'SKU2006-020', brand: null },
          { id: '788032119674292922', variantId: null, name: 'Coffee table', variantName: null, price: 119.99, quantity: 1, sku: 'SKU2006-035', brand: null },
        ],
        customer: {
          id: '115310627314723954',
          email: 'john@example.com',
          phone: null,
          firstName: 'John',
          lastName: 'Smith',
          city: 'Ottawa',
          state: 'Ontario',
          country: 'CA',
          zip: 'K2H7A8',
          locale: 'en',
          acceptsMarketing: true,
        },
        shopify: {
          orderId: ORDER_ID,
          orderName: '#9999',
          customerId: '115310627314723954',
          adminGraphqlApiId: 'gid://shopify/Order/820982911946154508',
          checkoutToken: null,
          topic: 'orders/create',
          shopDomain: 'jsmith.myshopify.com',
          webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
          apiVersion: '2026-01',
        },
      },
      dedupeKey: ORDER_ID,
    },
  },
  {
    // abandoned checkout: only checkouts that were not completed
    file: 'shopify__checkouts_create.json',
    request: { headers: shopifyHeaders('checkouts/create') },
    definition: {
      uniqueId: { type: 'email', path: 'email', fallbacks: ['customer.email'] },
      variables: [
        { name: 'recoveryUrl', path: 'abandoned_checkout_url', type: 'url' },
        { name: 'cartTotal', path: 'total_price', type: 'number' },
        { name: 'quantities', path: 'line_items[].quantity', type: 'integer' },
        { name: 'acceptsMarketing', path: 'buyer_accepts_marketing', type: 'boolean' },
        { name: 'greeting', path: 'customer.first_name', transform: { op: 'template', template: 'Hi {{customer.first_name}}' }, default: 'Hi there' },
      ],
      variableSets: {
        order: {
          id: 'id',
          name: 'name',
          totalPrice: 'total_price',
          subtotalPrice: 'subtotal_price',
          totalTax: 'total_tax',
          currency: 'currency',
          createdAt: 'created_at',
          updatedAt: 'updated_at',
          url: 'abandoned_checkout_url',
        },
        products: {
          from: 'line_items[]',
          fields: {
            id: 'product_id',
            variantId: 'variant_id',
            name: 'title',
            variantName: 'variant_title',
            price: 'price',
            compareAtPrice: 'compare_at_price',
            quantity: 'quantity',
            sku: 'sku',
            brand: 'vendor',
          },
        },
        customer: { id: 'customer.id', email: 'customer.email', phone: 'customer.phone', firstName: 'customer.first_name', lastName: 'customer.last_name' },
        shopify: { customerId: 'customer.id', checkoutToken: 'token', cartToken: 'cart_token', topic: '$headers.x-shopify-topic', shopDomain: '$headers.x-shopify-shop-domain' },
      },
      filter: { path: 'completed_at', op: 'exists', value: false },
      dedupeKey: { path: 'token' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'email', value: 'example@email.com', path: 'email' },
      variables: {
        recoveryUrl: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
        cartTotal: 421.88,
        quantities: [1, 1],
        acceptsMarketing: false,
        greeting: 'Hi John',
      },
      variableSets: {
        order: {
          id: '981820079255243500',
          name: '#981820079255243537',
          totalPrice: 421.88,
          subtotalPrice: 398,
          totalTax: 23.88,
          currency: 'USD',
          createdAt: '2022-01-01T00:00:00.000Z',
          updatedAt: '2022-01-01T00:00:00.000Z',
          url: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
        },
        products: [
          {
            id: '632910392',
            variantId: '808950810',
            name: 'IPod Nano - 8GB',
            variantName: 'Pink',
            price: 199,
            compareAtPrice: null,
            quantity: 1,
            sku: 'IPOD2008PINK',
            brand: 'Apple',
          },
          {
            id: '632910392',
            variantId: '808950810',
            name: 'IPod Nano - 8GB',
            variantName: 'Pink',
            price: 199,
            compareAtPrice: null,
            quantity: 1,
            sku: 'IPOD2008PINK',
            brand: 'Apple',
          },
        ],
        customer: { id: '603851970716743426', email: 'john@example.com', phone: null, firstName: 'John', lastName: 'Smith' },
        shopify: {
          customerId: '603851970716743426',
          checkoutToken: '123123123',
          cartToken: 'eeafa272cebfd4b22385bc4b645e762c',
          topic: 'checkouts/create',
          shopDomain: 'jsmith.myshopify.com',
        },
      },
      dedupeKey: '123123123',
    },
  },
  {
    file: 'shopify__customers_create.json',
    request: { headers: shopifyHeaders('customers/create') },
    definition: {
      // the gid form is normalised to its digits
      uniqueId: { type: 'shopify_customer_id', path: 'admin_graphql_api_id', fallbacks: ['id'], defaultCountry: 'CA' },
      variables: [
        { name: 'email', path: 'email', type: 'email' },
        { name: 'phone', path: 'phone', type: 'phone' },
        { name: 'signedUpAt', path: 'created_at', type: 'datetime' },
        { name: 'note', path: 'note' },
        { name: 'verified', path: 'verified_email', type: 'boolean' },
      ],
      variableSets: {
        customer: {
          id: 'id',
          email: 'email',
          phone: 'phone',
          firstName: 'first_name',
          lastName: 'last_name',
          fullName: 'default_address.name',
          city: 'default_address.city',
          state: 'default_address.province',
          country: 'default_address.country_code',
          zip: 'default_address.zip',
          createdAt: 'created_at',
        },
        shopify: { customerId: 'id', adminGraphqlApiId: 'admin_graphql_api_id', topic: '$headers.x-shopify-topic', apiVersion: '$headers.x-shopify-api-version' },
      },
      dedupeKey: { path: '$headers.x-shopify-webhook-id' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'shopify_customer_id', value: '706405506930370084', path: 'admin_graphql_api_id' },
      variables: {
        email: 'bob@biller.com',
        phone: null,
        signedUpAt: '2022-01-01T00:00:00.000Z',
        note: 'This customer loves ice cream',
        verified: true,
      },
      variableSets: {
        customer: {
          id: '706405506930370084',
          email: 'bob@biller.com',
          phone: null,
          firstName: 'Bob',
          lastName: 'Biller',
          fullName: 'Bob Biller',
          city: 'Ottawa',
          state: 'ON',
          country: 'CA',
          zip: 'K2P 2L8',
          createdAt: '2022-01-01T00:00:00.000Z',
        },
        shopify: {
          customerId: '706405506930370084',
          adminGraphqlApiId: 'gid://shopify/Customer/706405506930370084',
          topic: 'customers/create',
          apiVersion: '2026-01',
        },
      },
      dedupeKey: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    },
  },
  {
    // a "new product" announcement: one journey per product
    file: 'shopify__products_create.json',
    request: { headers: shopifyHeaders('products/create') },
    definition: {
      uniqueId: { type: 'external_id', path: 'id', fallbacks: ['admin_graphql_api_id'] },
      variables: [
        { name: 'productTitle', path: 'title' },
        { name: 'vendor', path: 'vendor' },
        { name: 'fromPrice', path: 'variants[0].price', type: 'number' },
        { name: 'productUrl', path: 'handle', type: 'url', transform: { op: 'template', template: 'https://jsmith.myshopify.com/products/{{handle}}' } },
        { name: 'imageUrl', path: 'image.src', type: 'url', default: 'https://jsmith.myshopify.com/placeholder.png' },
        { name: 'tags', path: 'tags' },
        { name: 'publishedAt', path: 'published_at', type: 'datetime' },
      ],
      variableSets: {
        products: {
          from: 'variants[]',
          fields: { id: 'product_id', variantId: 'id', variantName: 'title', price: 'price', compareAtPrice: 'compare_at_price', sku: 'sku' },
        },
        shopify: { productId: 'id', adminGraphqlApiId: 'admin_graphql_api_id', topic: '$headers.x-shopify-topic' },
      },
      dedupeKey: { path: 'admin_graphql_api_id' },
    },
    // image is null in this sample, so image.src has never been seen
    warnings: ['/variables/4/path'],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'external_id', value: '788032119674292922', path: 'id' },
      variables: {
        productTitle: 'Example T-Shirt',
        vendor: 'Acme',
        fromPrice: 19.99,
        productUrl: 'https://jsmith.myshopify.com/products/example-t-shirt',
        imageUrl: 'https://jsmith.myshopify.com/placeholder.png',
        tags: 'example, mens, t-shirt',
        publishedAt: '2022-01-01T00:00:00.000Z',
      },
      variableSets: {
        products: [
          { id: '788032119674292922', variantId: '642667041472713922', variantName: 'Small', price: 19.99, compareAtPrice: 24.99, sku: null },
          { id: '788032119674292922', variantId: '757650484644203962', variantName: 'Medium', price: 19.99, compareAtPrice: 24.99, sku: null },
        ],
        shopify: { productId: '788032119674292922', adminGraphqlApiId: 'gid://shopify/Product/788032119674292922', topic: 'products/create' },
      },
      dedupeKey: 'gid://shopify/Product/788032119674292922',
    },
  },
  {
    // the docs' sample phone "(555) 555-5555" is fictional: see the run with a real number below
    file: 'woocommerce__order_created.json',
    request: { headers: { 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Source': 'https://example.com/' } },
    definition: {
      uniqueId: { type: 'email', path: 'billing.email', defaultCountry: 'US' },
      variables: [
        { name: 'orderNumber', path: 'number' },
        { name: 'orderTotal', path: 'total', type: 'number' },
        { name: 'paymentMethod', path: 'payment_method_title' },
        { name: 'paidAt', path: 'date_paid_gmt', type: 'datetime' },
        { name: 'firstProduct', path: 'line_items[0].name' },
        { name: 'shippingMethod', path: 'shipping_lines[0].method_title', transform: { op: 'uppercase' } },
        { name: 'topic', path: '$headers.x-wc-webhook-topic' },
      ],
      variableSets: {
        order: {
          id: 'id',
          number: 'number',
          totalPrice: 'total',
          totalTax: 'total_tax',
          totalDiscount: 'discount_total',
          shippingPrice: 'shipping_total',
          currency: 'currency',
          status: 'status',
          paymentMethod: 'payment_method',
          createdAt: 'date_created_gmt',
        },
        products: { from: 'line_items[]', fields: { id: 'product_id', variantId: 'variation_id', name: 'name', price: 'price', quantity: 'quantity', sku: 'sku' } },
        customer: {
          id: 'customer_id',
          email: 'billing.email',
          phone: 'billing.phone',
          firstName: 'billing.first_name',
          lastName: 'billing.last_name',
          city: 'billing.city',
          state: 'billing.state',
          country: 'billing.country',
          zip: 'billing.postcode',
        },
      },
      dedupeKey: { path: 'order_key' },
    },
    warnings: [],
    expected: {
      ok: false,
      errors: [{ code: 'VARIABLE_COERCION', message: 'variableSets.customer.phone: cannot coerce to phone: not a valid phone number', path: 'billing.phone' }],
    },
  },
  {
    // a product page announcement: no order, customer or line items in this payload
    file: 'woocommerce__product_created.json',
    definition: {
      // sku is "" here (blank counts as missing), so the product id is used
      uniqueId: { type: 'external_id', path: 'sku', fallbacks: ['id'] },
      variables: [
        { name: 'productName', path: 'name' },
        { name: 'productUrl', path: 'permalink', type: 'url' },
        { name: 'imageUrl', path: 'images[0].src', type: 'url' },
        { name: 'price', path: 'price', type: 'number' },
        { name: 'salePrice', path: 'sale_price', type: 'number' },
        { name: 'onSale', path: 'on_sale', type: 'boolean' },
        { name: 'categoryIds', path: 'categories[].id', type: 'string' },
        { name: 'categories', path: 'categories[].name' },
        { name: 'summary', path: 'short_description', transform: { op: 'trim' } },
      ],
      dedupeKey: { path: 'id' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'external_id', value: '794', path: 'id' },
      variables: {
        productName: 'Premium Quality',
        productUrl: 'https://example.com/product/premium-quality-19/',
        imageUrl: 'https://example.com/wp-content/uploads/2017/03/T_2_front-4.jpg',
        price: 21.99,
        salePrice: null,
        onSale: false,
        categoryIds: ['9', '14'],
        categories: ['Clothing', 'T-shirts'],
        summary: '<p>Pellentesque habitant morbi tristique senectus et netus et malesuada fames ac turpis egestas.</p>',
      },
      variableSets: {},
      dedupeKey: '794',
    },
  },
  {
    file: 'github__push.json',
    request: { headers: { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' } },
    definition: {
      uniqueId: { type: 'email', path: 'pusher.email', fallbacks: ['head_commit.author.email'] },
      variables: [
        { name: 'event', path: '$headers.x-github-event' },
        { name: 'ref', path: 'ref' },
        { name: 'repository', path: 'repository.full_name' },
        { name: 'compareUrl', path: 'compare', type: 'url' },
        { name: 'deleted', path: 'deleted', type: 'boolean' },
        { name: 'commits', path: 'commits', type: 'json' },
        { name: 'pushedAt', path: 'repository.pushed_at', type: 'datetime' },
        { name: 'avatarUrl', path: 'sender.avatar_url', type: 'url' },
      ],
      variableSets: { customer: { id: 'sender.id', externalId: 'sender.login', email: 'pusher.email', fullName: 'pusher.name' } },
      filter: { path: '$headers.x-github-event', op: 'eq', value: 'push' },
      dedupeKey: { path: '$headers.x-github-delivery' },
    },
    // head_commit is null in this sample
    warnings: ['/uniqueId/fallbacks/0'],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'email', value: '21031067+codertocat@users.noreply.github.com', path: 'pusher.email' },
      variables: {
        event: 'push',
        ref: 'refs/tags/simple-tag',
        repository: 'Codertocat/Hello-World',
        compareUrl: 'https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000',
        deleted: true,
        commits: [],
        pushedAt: '2019-05-15T15:20:57.000Z',
        avatarUrl: 'https://avatars1.githubusercontent.com/u/21031067?v=4',
      },
      variableSets: {
        customer: { id: '21031067', externalId: 'Codertocat', email: '21031067+codertocat@users.noreply.github.com', fullName: 'Codertocat' },
      },
      dedupeKey: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    },
  },
  {
    file: 'stripe__payment_intent_succeeded.json',
    request: { headers: { 'Stripe-Signature': 't=1714544303,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd' } },
    definition: {
      // no customer on this payment intent: fall back to the merchant's id in metadata, then the payment intent
      uniqueId: { type: 'external_id', path: 'data.object.customer', fallbacks: ['data.object.metadata.customer_id', 'data.object.id'] },
      variables: [
        // Stripe amounts are in the currency's minor unit (cents)
        { name: 'amount', path: 'data.object.amount', type: 'number', transform: { op: 'scale', factor: 0.01 } },
        { name: 'amountReceived', path: 'data.object.amount_received', type: 'number', transform: { op: 'scale', factor: 0.01 } },
        { name: 'currency', path: 'data.object.currency', transform: { op: 'uppercase' } },
        { name: 'status', path: 'data.object.status' },
        { name: 'paidAt', path: 'data.object.created', type: 'datetime' },
        { name: 'livemode', path: 'livemode', type: 'boolean' },
        { name: 'receiptEmail', path: 'data.object.receipt_email', type: 'email' },
      ],
      variableSets: {
        order: {
          id: 'data.object.id',
          status: 'data.object.status',
          currency: 'data.object.currency',
          paymentMethod: 'data.object.payment_method',
          createdAt: 'data.object.created',
        },
        customer: { id: 'data.object.customer', email: 'data.object.receipt_email' },
      },
      filter: { path: 'type', op: 'eq', value: 'payment_intent.succeeded' },
      dedupeKey: { path: 'id' },
    },
    // metadata is {} in this sample
    warnings: ['/uniqueId/fallbacks/0'],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'external_id', value: 'pi_3PBWUkRxqlZt79sD1pnAkMIS', path: 'data.object.id' },
      variables: {
        amount: 500,
        amountReceived: 500,
        currency: 'USD',
        status: 'succeeded',
        paidAt: '2024-05-01T06:18:22.000Z',
        livemode: false,
        receiptEmail: null,
      },
      variableSets: {
        order: {
          id: 'pi_3PBWUkRxqlZt79sD1pnAkMIS',
          status: 'succeeded',
          currency: 'usd',
          paymentMethod: 'pm_1PBWUjRxqlZt79sDJvejGgmS',
          createdAt: '2024-05-01T06:18:22.000Z',
        },
        customer: { id: null, email: null },
      },
      dedupeKey: 'evt_3PBWUkRxqlZt79sD18BH2Rbr',
    },
  },
  {
    file: 'razorpay__order_paid.json',
    request: { headers: { 'X-Razorpay-Event-Id': 'QUg6ZPGfrBzZ6s', 'X-Razorpay-Signature': '0e4ecfa8b6c4f3a9' } },
    definition: {
      uniqueId: { type: 'phone', path: 'payload.payment.entity.contact', defaultCountry: 'IN' },
      variables: [
        // Razorpay amounts are in paise
        { name: 'amount', path: 'payload.payment.entity.amount', type: 'number', transform: { op: 'scale', factor: 0.01 } },
        { name: 'orderAmount', path: 'payload.order.entity.amount', type: 'number', transform: { op: 'scale', factor: 0.01 } },
        { name: 'fee', path: 'payload.payment.entity.fee', type: 'number', transform: { op: 'scale', factor: 0.01 } },
        { name: 'method', path: 'payload.payment.entity.method' },
        { name: 'wallet', path: 'payload.payment.entity.wallet' },
        { name: 'paidAt', path: 'payload.payment.entity.created_at', type: 'datetime' },
        { name: 'address', path: 'payload.payment.entity.notes.address' },
      ],
      variableSets: {
        order: {
          id: 'payload.order.entity.id',
          name: 'payload.order.entity.receipt',
          status: 'payload.order.entity.status',
          currency: 'payload.order.entity.currency',
          paymentMethod: 'payload.payment.entity.method',
          createdAt: 'payload.order.entity.created_at',
        },
        customer: { email: 'payload.payment.entity.email', phone: 'payload.payment.entity.contact' },
      },
      filter: { path: 'event', op: 'eq', value: 'order.paid' },
      dedupeKey: { path: 'payload.payment.entity.id' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'phone', value: '+919876543210', path: 'payload.payment.entity.contact' },
      variables: {
        amount: 55,
        orderAmount: 55,
        fee: 1.3,
        method: 'wallet',
        wallet: 'airtelmoney',
        paidAt: '2025-05-14T04:32:10.000Z',
        address: '21st Century Business Center',
      },
      variableSets: {
        order: {
          id: 'order_QUg5vtkywCanxg',
          name: null,
          status: 'paid',
          currency: 'INR',
          paymentMethod: 'wallet',
          createdAt: '2025-05-14T04:31:38.000Z',
        },
        customer: { email: 'akshay@gmail.com', phone: '+919876543210' },
      },
      dedupeKey: 'pay_QUg6V5UmtqzQKE',
    },
  },
  {
    file: 'typeform__form_response.json',
    definition: {
      uniqueId: { type: 'email', path: 'form_response.answers[1].email', fallbacks: ['form_response.hidden.email'] },
      variables: [
        { name: 'firstName', path: 'form_response.answers[2].text' },
        { name: 'feedback', path: 'form_response.answers[0].text' },
        { name: 'birthday', path: 'form_response.answers[3].date', type: 'datetime' },
        { name: 'cities', path: 'form_response.answers[4].choices.labels', type: 'json' },
        { name: 'score', path: 'form_response.calculated.score', type: 'integer' },
        { name: 'submittedAt', path: 'form_response.submitted_at', type: 'datetime' },
        { name: 'formTitle', path: 'form_response.definition.title' },
        { name: 'agreed', path: 'form_response.answers[6].boolean', type: 'boolean' },
      ],
      variableSets: { customer: { email: 'form_response.answers[1].email', firstName: 'form_response.answers[2].text' } },
      dedupeKey: { path: 'form_response.token' },
    },
    // this form has no hidden fields
    warnings: ['/uniqueId/fallbacks/0'],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'email', value: 'laura@example.com', path: 'form_response.answers[1].email' },
      variables: {
        firstName: 'Laura',
        feedback: "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly.",
        birthday: '2005-10-15T00:00:00.000Z',
        cities: ['London', 'Sydney'],
        score: 9,
        submittedAt: '2018-01-18T18:17:02.000Z',
        formTitle: 'Webhooks example',
        agreed: true,
      },
      variableSets: { customer: { email: 'laura@example.com', firstName: 'Laura' } },
      dedupeKey: 'a3a12ec67a1365927098a606107fac15',
    },
  },
  {
    // WhatsApp's `from` is international digits without "+": no default country needed
    file: 'whatsapp__messages_text.json',
    definition: {
      uniqueId: {
        type: 'phone',
        path: 'entry[0].changes[0].value.messages[0].from',
        fallbacks: ['entry[0].changes[0].value.contacts[0].wa_id'],
      },
      variables: [
        { name: 'message', path: 'entry[0].changes[0].value.messages[0].text.body' },
        { name: 'messageType', path: 'entry[0].changes[0].value.messages[0].type' },
        { name: 'sentAt', path: 'entry[0].changes[0].value.messages[0].timestamp', type: 'datetime' },
        { name: 'profileName', path: 'entry[0].changes[0].value.contacts[0].profile.name' },
        { name: 'businessNumber', path: 'entry[0].changes[0].value.metadata.display_phone_number' },
      ],
      variableSets: {
        customer: { phone: 'entry[0].changes[0].value.contacts[0].wa_id', fullName: 'entry[0].changes[0].value.contacts[0].profile.name' },
      },
      // status updates arrive on the same webhook without messages: only messages start a journey
      filter: { path: 'entry[].changes[].value.messages[].from', op: 'exists' },
      dedupeKey: { path: 'entry[0].changes[0].value.messages[0].id' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'phone', value: '+16505551234', path: 'entry[0].changes[0].value.messages[0].from' },
      variables: {
        message: 'Does it come in another color?',
        messageType: 'text',
        sentAt: '2025-06-08T20:59:43.000Z',
        profileName: 'Sheena Nelson',
        businessNumber: '15550783881',
      },
      variableSets: { customer: { phone: '+16505551234', fullName: 'Sheena Nelson' } },
      dedupeKey: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
    },
  },
  {
    file: 'twilio__voice_incoming_call.txt',
    contentType: FORM,
    request: { headers: { 'X-Twilio-Signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' }, query: { foo: '1', bar: '2' } },
    definition: {
      uniqueId: { type: 'phone', path: 'From', fallbacks: ['Caller'] },
      variables: [
        { name: 'callSid', path: 'CallSid' },
        { name: 'calledNumber', path: 'To', type: 'phone' },
        { name: 'digits', path: 'Digits', type: 'integer' },
        { name: 'campaign', path: '$query.foo' },
      ],
      variableSets: { customer: { phone: 'Caller' } },
      dedupeKey: { path: 'CallSid' },
    },
    warnings: [],
    expected: {
      ok: true,
      matched: true,
      uniqueId: { type: 'phone', value: '+14158675309', path: 'From' },
      variables: { callSid: 'CA1234567890ABCDE', calledNumber: '+18005551212', digits: 1234, campaign: '1' },
      variableSets: { customer: { phone: '+14158675309' } },
      dedupeKey: 'CA1234567890ABCDE',
    },
  },
];

const bodyOf = (entry: FixtureMapping): JsonValue => loadPayload(entry.file, entry.contentType);
const inputOf = (entry: FixtureMapping, body: JsonValue = bodyOf(entry)): MappingInput => ({ body, ...(entry.request ?? {}) });

describe('fixtures mapping: every payload has a case', () => {
  it('covers exactly the files in the fixtures folder', () => {
    const files = readdirSync(PAYLOADS_DIR)
      .filter((name) => name !== 'README.md')
      .sort();
    expect(CASES.map((entry) => entry.file).sort()).toEqual(files);
  });
});

describe.each(CASES)('mapping $file', (entry) => {
  it('is valid, and uses only paths of the sample (except the documented warnings)', () => {
    const catalog = catalogOf(addSample(emptyProfile(), bodyOf(entry)));
    const result = validateMapping(entry.definition, { knownPaths: catalog.variables.map((variable) => variable.path) });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.warnings.map((warning) => [warning.pointer, warning.code])).toEqual(entry.warnings.map((pointer) => [pointer, 'UNKNOWN_PATH']));
  });

  it('gives exactly the expected result', () => {
    expect(compileMapping(entry.definition)(inputOf(entry))).toEqual(entry.expected);
  });

  it('gives JSON-safe output, the same on every run, without touching the input', () => {
    const run = compileMapping(entry.definition);
    const input = inputOf(entry);
    const before = clone(input);
    const first = run(input);
    expect(findBigints(first)).toEqual([]);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(run(input)).toEqual(first);
    expect(input).toEqual(before);
  });
});

describe('fixtures mapping: default countries and variations', () => {
  const byFile = (file: string) => CASES.find((entry) => entry.file === file)!;

  it('WooCommerce: a real US national number in billing.phone becomes E.164 with the default country', () => {
    const entry = byFile('woocommerce__order_created.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    (body['billing'] as Record<string, JsonValue>)['phone'] = '(415) 867-5309';
    expect(compileMapping(entry.definition)(inputOf(entry, body))).toEqual({
      ok: true,
      matched: true,
      uniqueId: { type: 'email', value: 'john.doe@example.com', path: 'billing.email' },
      variables: {
        orderNumber: '727',
        orderTotal: 29.35,
        paymentMethod: 'Direct Bank Transfer',
        paidAt: '2017-03-22T19:28:08.000Z',
        firstProduct: 'Woo Single #1',
        shippingMethod: 'FLAT RATE',
        topic: 'order.created',
      },
      variableSets: {
        order: {
          id: '727',
          number: '727',
          totalPrice: 29.35,
          totalTax: 1.35,
          totalDiscount: 0,
          shippingPrice: 10,
          currency: 'USD',
          status: 'processing',
          paymentMethod: 'bacs',
          createdAt: '2017-03-22T19:28:02.000Z',
        },
        products: [
          { id: '93', variantId: '0', name: 'Woo Single #1', price: 3, quantity: 2, sku: '' },
          { id: '22', variantId: '23', name: 'Ship Your Idea &ndash; Color: Black, Size: M Test', price: 12, quantity: 1, sku: 'Bar3' },
        ],
        customer: {
          id: '0',
          email: 'john.doe@example.com',
          phone: '+14158675309',
          firstName: 'John',
          lastName: 'Doe',
          city: 'San Francisco',
          state: 'CA',
          country: 'US',
          zip: '94103',
        },
      },
      dedupeKey: 'wc_order_58d2d042d1d',
    });
  });

  it('WooCommerce: without a default country the national number is refused, naming the field', () => {
    const entry = byFile('woocommerce__order_created.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    (body['billing'] as Record<string, JsonValue>)['phone'] = '(415) 867-5309';
    const definition = clone(entry.definition);
    delete definition.uniqueId.defaultCountry;
    expect(compileMapping(definition)(inputOf(entry, body))).toEqual({
      ok: false,
      errors: [
        {
          code: 'VARIABLE_COERCION',
          message: 'variableSets.customer.phone: cannot coerce to phone: not a valid phone number (a national number needs defaultCountry)',
          path: 'billing.phone',
        },
      ],
    });
  });

  it('Razorpay: a national contact number is read with the IN default country', () => {
    const entry = byFile('razorpay__order_paid.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    const payment = ((body['payload'] as Record<string, JsonValue>)['payment'] as Record<string, JsonValue>)['entity'] as Record<string, JsonValue>;
    payment['contact'] = '098765 43210';
    const result = compileMapping(entry.definition)(inputOf(entry, body));
    expect(result).toEqual({
      ...entry.expected,
      variableSets: { ...(entry.expected as { variableSets: Record<string, unknown> }).variableSets, customer: { email: 'akshay@gmail.com', phone: '+919876543210' } },
    });
  });

  it('Razorpay: another event on the same trigger is skipped by the filter, with its ids', () => {
    const entry = byFile('razorpay__order_paid.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    body['event'] = 'payment.failed';
    expect(compileMapping(entry.definition)(inputOf(entry, body))).toEqual({
      ok: true,
      matched: false,
      uniqueId: { type: 'phone', value: '+919876543210', path: 'payload.payment.entity.contact' },
      variables: {},
      variableSets: {},
      dedupeKey: 'pay_QUg6V5UmtqzQKE',
    });
  });

  it('Shopify checkouts: a completed checkout is not an abandoned one', () => {
    const entry = byFile('shopify__checkouts_create.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    body['completed_at'] = '2022-01-01T01:00:00-05:00';
    expect(compileMapping(entry.definition)(inputOf(entry, body))).toEqual({
      ok: true,
      matched: false,
      uniqueId: { type: 'email', value: 'example@email.com', path: 'email' },
      variables: {},
      variableSets: {},
      dedupeKey: '123123123',
    });
  });

  it('Shopify orders: the topic comes only from the header; without headers it is null', () => {
    const entry = byFile('shopify__orders_create.json');
    const result = compileMapping(entry.definition)({ body: bodyOf(entry) });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.variableSets['shopify']).toEqual({
      orderId: ORDER_ID,
      orderName: '#9999',
      customerId: '115310627314723954',
      adminGraphqlApiId: 'gid://shopify/Order/820982911946154508',
      checkoutToken: null,
      topic: null,
      shopDomain: null,
      webhookId: null,
      apiVersion: null,
    });
  });

  it('Stripe: with a customer on the payment intent, the customer id wins over the fallbacks', () => {
    const entry = byFile('stripe__payment_intent_succeeded.json');
    const body = clone(bodyOf(entry)) as Record<string, JsonValue>;
    const object = (body['data'] as Record<string, JsonValue>)['object'] as Record<string, JsonValue>;
    object['customer'] = 'cus_Q1a2B3c4D5e6F7';
    object['receipt_email'] = ' Jenny.Rosen@Example.com ';
    const result = compileMapping(entry.definition)(inputOf(entry, body));
    const expected = entry.expected as Extract<MappingResult, { ok: true }>;
    expect(result).toEqual({
      ...expected,
      uniqueId: { type: 'external_id', value: 'cus_Q1a2B3c4D5e6F7', path: 'data.object.customer' },
      variables: { ...expected.variables, receiptEmail: 'jenny.rosen@example.com' },
      variableSets: { ...expected.variableSets, customer: { id: 'cus_Q1a2B3c4D5e6F7', email: 'jenny.rosen@example.com' } },
    });
  });
});
