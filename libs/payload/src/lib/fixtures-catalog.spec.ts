// The catalog (paths, types, presence, examples, formats, roles) of every real payload in
// libs/testing/fixtures/payloads, against explicit tables built from that folder's README
// ("which paths carry order id, order name, customer id, phone, email, external id, ...").
//
// Each fixture is parsed the way the services parse it (parseBody with the provider's
// content type), then catalogOf(addSample(emptyProfile(), body)).
//
// Deliberate differences from the README columns (the README lists where a value *is*; the
// roles say what the picker should *offer*):
// - an id of the account or form the webhook belongs to (WhatsApp WABA `entry[].id` and
//   `phone_number_id`, GitHub `repository.id`, Typeform `form_id`, Stripe's idempotency key)
//   is the same for every event, so it is never offered as a unique id;
// - GitHub `pusher.name` (a login) and `after` (a commit SHA), and WhatsApp's message id,
//   are not offered either; a null Shopify `image` is an object when present, not a URL;
//   Shopify's `handle` is a slug, not a URL;
// - a path that is an order id is not also offered as an external id (Shopify checkout
//   `token`, Typeform `form_response.token`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogOf, type Variable, type VariableCatalog } from './catalog';
import { isJsonObject, type JsonValue } from './json';
import { parseBody } from './parse-body';
import { addSample, emptyProfile, mergeProfiles, type SchemaProfile } from './profile';

const FIXTURES = path.resolve(__dirname, '../../../testing/fixtures/payloads');
const contentTypeOf = (file: string) => (file.endsWith('.txt') ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8');
const load = (file: string): JsonValue => parseBody(fs.readFileSync(path.join(FIXTURES, file)), contentTypeOf(file));
const profileOf = (...bodies: JsonValue[]): SchemaProfile => bodies.reduce<SchemaProfile>((profile, body) => addSample(profile, body), emptyProfile());
const catalogFor = (file: string): VariableCatalog => catalogOf(addSample(emptyProfile(), load(file)));

/** One expected catalog row of a single-sample catalog (presence 1). */
function v(path: string, types: string[], example: unknown, roles: string[], formats?: string[]): Variable {
  return { path, types, presence: 1, example, roles, ...(formats ? { formats } : {}) };
}

function pick(catalog: VariableCatalog, paths: string[]): Array<Variable | string> {
  const byPath = new Map(catalog.variables.map((entry) => [entry.path, entry]));
  return paths.map((wanted) => byPath.get(wanted) ?? `missing: ${wanted}`);
}

/** The roles a unique id can come from, and every path offering each, in catalog order. */
const IDENTITY_ROLES = ['email', 'phone', 'order_id', 'order_name', 'customer_id', 'shopify_customer_id', 'external_id'] as const;
type Candidates = Partial<Record<(typeof IDENTITY_ROLES)[number], string[]>>;

function candidatesOf(catalog: VariableCatalog): Candidates {
  const out: Candidates = {};
  for (const role of IDENTITY_ROLES) {
    const paths = catalog.variables.filter((entry) => entry.roles.includes(role)).map((entry) => entry.path);
    if (paths.length > 0) out[role] = paths;
  }
  return out;
}

/** Leaf paths computed independently of the library, quoting keys the way formatPath does. */
function leafPaths(value: JsonValue, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((element) => leafPaths(element, `${prefix}[]`));
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return [prefix];
    return keys.flatMap((key) => {
      const bare = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u.test(key);
      const segment = bare ? (prefix === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
      return leafPaths(value[key]!, prefix + segment);
    });
  }
  return [prefix];
}

interface FixtureCase {
  file: string;
  /** variables in the catalog (leaves and containers) */
  count: number;
  rows: Variable[];
  candidates: Candidates;
}

const CASES: FixtureCase[] = [
  {
    file: 'shopify__orders_create.json',
    count: 315,
    rows: [
      v('id', ['integer'], '820982911946154508', ['order_id']),
      v('name', ['string'], '#9999', ['order_name']),
      v('order_number', ['integer'], 1234, ['order_name']),
      v('number', ['integer'], 234, ['order_name']),
      v('token', ['string'], '123456abcd', ['order_id']),
      v('customer.id', ['integer'], '115310627314723954', ['customer_id', 'shopify_customer_id']),
      v('customer.default_address.customer_id', ['integer'], '115310627314723954', ['customer_id', 'shopify_customer_id']),
      v('phone', ['null'], null, ['phone']),
      v('customer.phone', ['null'], null, ['phone']),
      v('billing_address.phone', ['string'], '555-555-SHIP', ['phone']),
      v('shipping_address.phone', ['string'], '555-555-SHIP', ['phone']),
      v('customer.default_address.phone', ['string'], '123-123-1234', ['phone'], ['phone']),
      v('email', ['string'], 'jon@example.com', ['email'], ['email']),
      v('contact_email', ['string'], 'jon@example.com', ['email'], ['email']),
      v('customer.email', ['string'], 'john@example.com', ['email'], ['email']),
      v('admin_graphql_api_id', ['string'], 'gid://shopify/Order/820982911946154508', ['external_id']),
      v('checkout_token', ['null'], null, ['external_id']),
      v('cart_token', ['null'], null, ['external_id']),
      v('confirmation_number', ['null'], null, ['external_id']),
      v('customer.admin_graphql_api_id', ['string'], 'gid://shopify/Customer/115310627314723954', ['external_id']),
      v('line_items', ['array'], null, []),
      v('line_items[]', ['object'], null, []),
      v('line_items[].title', ['string'], 'Aviator sunglasses', ['product_name']),
      v('line_items[].name', ['string'], 'Aviator sunglasses', ['product_name']),
      v('line_items[].price', ['string'], '89.99', ['price'], ['numeric-string']),
      v('line_items[].price_set.shop_money.amount', ['string'], '89.99', ['price'], ['numeric-string']),
      v('line_items[].price_set.shop_money.currency_code', ['string'], 'USD', ['currency'], ['currency-code']),
      v('line_items[].quantity', ['integer'], 1, ['quantity']),
      v('line_items[].product_id', ['integer', 'null'], '788032119674292922', []),
      v('line_items[].sku', ['string'], 'SKU2006-001', []),
      v('total_price', ['string'], '404.95', ['price'], ['numeric-string']),
      v('currency', ['string'], 'USD', ['currency'], ['currency-code']),
      v('created_at', ['string'], '2021-12-31T19:00:00-05:00', ['date'], ['date-time']),
      v('closed_at', ['null'], null, ['date']),
      v('order_status_url', ['string'], 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg', ['url'], ['uri']),
      v('financial_status', ['string'], 'voided', []),
      v('buyer_accepts_marketing', ['boolean'], true, []),
      v('total_weight', ['integer'], 0, []),
      v('user_id', ['null'], null, []),
    ],
    candidates: {
      email: ['contact_email', 'email', 'customer.email'],
      phone: [
        'phone',
        'billing_address.phone',
        'customer.phone',
        'customer.default_address.phone',
        'shipping_address.phone',
        'shipping_lines[].phone',
      ],
      order_id: ['id', 'token'],
      order_name: ['name', 'number', 'order_number'],
      customer_id: ['customer.id', 'customer.default_address.customer_id'],
      shopify_customer_id: ['customer.id', 'customer.default_address.customer_id'],
      external_id: [
        'admin_graphql_api_id',
        'cart_token',
        'checkout_token',
        'confirmation_number',
        'customer.multipass_identifier',
        'customer.admin_graphql_api_id',
        'line_items[].admin_graphql_api_id',
      ],
    },
  },
  {
    file: 'shopify__checkouts_create.json',
    count: 168,
    rows: [
      v('id', ['integer'], '981820079255243500', ['order_id']),
      v('token', ['string'], '123123123', ['order_id'], ['numeric-string']),
      v('cart_token', ['string'], 'eeafa272cebfd4b22385bc4b645e762c', ['external_id']),
      v('name', ['string'], '#981820079255243537', ['order_name']),
      v('customer.id', ['integer'], '603851970716743426', ['customer_id', 'shopify_customer_id']),
      v('phone', ['null'], null, ['phone']),
      v('sms_marketing_phone', ['null'], null, ['phone']),
      v('billing_address.phone', ['string'], '555-555-BILL', ['phone']),
      v('shipping_address.phone', ['string'], '555-555-SHIP', ['phone']),
      v('customer.default_address.phone', ['string'], '123-123-1234', ['phone'], ['phone']),
      v('email', ['string'], 'example@email.com', ['email'], ['email']),
      v('customer.email', ['string'], 'john@example.com', ['email'], ['email']),
      v('line_items', ['array'], null, []),
      v('line_items[].title', ['string'], 'IPod Nano - 8GB', ['product_name']),
      v('line_items[].presentment_title', ['string'], 'IPod Nano - 8GB', ['product_name']),
      v('line_items[].price', ['string'], '199.00', ['price'], ['numeric-string']),
      v('line_items[].quantity', ['integer'], 1, ['quantity']),
      v('line_items[].variant_id', ['integer'], 808950810, []),
      v('total_price', ['string'], '421.88', ['price'], ['numeric-string']),
      v('currency', ['string'], 'USD', ['currency'], ['currency-code']),
      v(
        'abandoned_checkout_url',
        ['string'],
        'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
        ['url'],
        ['uri'],
      ),
      v('created_at', ['string'], '2021-12-31T19:00:00-05:00', ['date'], ['date-time']),
    ],
    candidates: {
      email: ['email', 'customer.email'],
      phone: [
        'phone',
        'sms_marketing_phone',
        'billing_address.phone',
        'shipping_address.phone',
        'customer.phone',
        'customer.default_address.phone',
      ],
      order_id: ['id', 'token'],
      order_name: ['name'],
      customer_id: ['customer.id', 'customer.default_address.customer_id'],
      shopify_customer_id: ['customer.id', 'customer.default_address.customer_id'],
      external_id: ['cart_token', 'customer.multipass_identifier', 'customer.admin_graphql_api_id'],
    },
  },
  {
    file: 'shopify__customers_create.json',
    count: 34,
    rows: [
      v('id', ['integer'], '706405506930370084', ['customer_id', 'shopify_customer_id']),
      v('email', ['string'], 'bob@biller.com', ['email'], ['email']),
      v('phone', ['null'], null, ['phone']),
      v('default_address.phone', ['string'], '555-555-5555', ['phone'], ['phone']),
      v('addresses', ['array'], null, []),
      v('admin_graphql_api_id', ['string'], 'gid://shopify/Customer/706405506930370084', ['external_id']),
      v('multipass_identifier', ['null'], null, ['external_id']),
      v('default_address.customer_id', ['integer'], '706405506930370084', ['customer_id', 'shopify_customer_id']),
      v('first_name', ['string'], 'Bob', []),
      v('last_name', ['string'], 'Biller', []),
      v('created_at', ['string'], '2021-12-31T19:00:00-05:00', ['date'], ['date-time']),
      v('currency', ['string'], 'USD', ['currency'], ['currency-code']),
    ],
    candidates: {
      email: ['email'],
      phone: ['phone', 'default_address.phone'],
      customer_id: ['id', 'default_address.customer_id'],
      shopify_customer_id: ['id', 'default_address.customer_id'],
      external_id: ['multipass_identifier', 'admin_graphql_api_id'],
    },
  },
  {
    file: 'shopify__products_create.json',
    count: 46,
    rows: [
      v('id', ['integer'], '788032119674292922', ['external_id']),
      v('admin_graphql_api_id', ['string'], 'gid://shopify/Product/788032119674292922', ['external_id']),
      v('variants', ['array'], null, []),
      v('variants[].id', ['integer'], '642667041472713922', ['external_id']),
      v('variants[].product_id', ['integer'], '788032119674292922', []),
      v('title', ['string'], 'Example T-Shirt', ['product_name']),
      v('variants[].price', ['string'], '19.99', ['price'], ['numeric-string']),
      v('variants[].compare_at_price', ['string'], '24.99', ['price'], ['numeric-string']),
      v('variants[].inventory_quantity', ['integer'], 75, ['quantity']),
      v('handle', ['string'], 'example-t-shirt', []),
      v('image', ['null'], null, []),
      v('images', ['array'], null, []),
      v('vendor', ['string'], 'Acme', []),
      v('published_at', ['string'], '2021-12-31T19:00:00-05:00', ['date'], ['date-time']),
    ],
    candidates: {
      external_id: ['admin_graphql_api_id', 'id', 'variants[].admin_graphql_api_id', 'variants[].id', 'variant_gids[].admin_graphql_api_id'],
    },
  },
  {
    file: 'woocommerce__order_created.json',
    count: 112,
    rows: [
      v('id', ['integer'], 727, ['order_id']),
      v('number', ['string'], '727', ['order_name'], ['numeric-string']),
      v('order_key', ['string'], 'wc_order_58d2d042d1d', ['external_id']),
      v('transaction_id', ['string'], '', ['external_id']),
      v('customer_id', ['integer'], 0, ['customer_id']),
      v('billing.phone', ['string'], '(555) 555-5555', ['phone'], ['phone']),
      v('billing.email', ['string'], 'john.doe@example.com', ['email'], ['email']),
      v('line_items', ['array'], null, []),
      v('line_items[].name', ['string'], 'Woo Single #1', ['product_name']),
      v('line_items[].price', ['integer'], 3, ['price']),
      v('line_items[].total', ['string'], '6.00', ['price'], ['numeric-string']),
      v('line_items[].quantity', ['integer'], 2, ['quantity']),
      v('line_items[].product_id', ['integer'], 93, []),
      v('total', ['string'], '29.35', ['price'], ['numeric-string']),
      v('currency', ['string'], 'USD', ['currency'], ['currency-code']),
      v('date_created', ['string'], '2017-03-22T16:28:02', ['date']),
      v('date_completed', ['null'], null, ['date']),
      v('status', ['string'], 'processing', []),
    ],
    candidates: {
      email: ['billing.email'],
      phone: ['billing.phone'],
      order_id: ['id'],
      order_name: ['number'],
      customer_id: ['customer_id'],
      external_id: ['order_key', 'transaction_id'],
    },
  },
  {
    file: 'woocommerce__product_created.json',
    count: 89,
    rows: [
      v('id', ['integer'], 794, ['external_id']),
      v('sku', ['string'], '', ['external_id']),
      v('name', ['string'], 'Premium Quality', ['product_name']),
      v('price', ['string'], '21.99', ['price'], ['numeric-string']),
      v('regular_price', ['string'], '21.99', ['price'], ['numeric-string']),
      v('sale_price', ['string'], '', ['price']),
      v('permalink', ['string'], 'https://example.com/product/premium-quality-19/', ['product_url', 'url'], ['uri']),
      v('images', ['array'], null, []),
      v('images[].src', ['string'], 'https://example.com/wp-content/uploads/2017/03/T_2_front-4.jpg', ['image_url', 'url'], ['uri']),
      v('images[].id', ['integer'], 792, []),
      v('categories', ['array'], null, []),
      v('categories[].id', ['integer'], 9, ['collection_id']),
      v('categories[].name', ['string'], 'Clothing', []),
      v('total_sales', ['integer'], 0, []),
      v('date_on_sale_from', ['null'], null, ['date']),
    ],
    candidates: {
      external_id: ['id', 'sku'],
    },
  },
  {
    file: 'github__push.json',
    count: 133,
    rows: [
      v('sender.id', ['integer'], 21031067, ['customer_id']),
      v('sender.login', ['string'], 'Codertocat', []),
      v('pusher.name', ['string'], 'Codertocat', []),
      v('pusher.email', ['string'], '21031067+Codertocat@users.noreply.github.com', ['email'], ['email']),
      v('after', ['string'], '0000000000000000000000000000000000000000', [], ['numeric-string']),
      v('repository.id', ['integer'], 186853002, []),
      v('compare', ['string'], 'https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000', ['url'], ['uri']),
      v('repository.html_url', ['string'], 'https://github.com/Codertocat/Hello-World', ['url'], ['uri']),
      v('sender.avatar_url', ['string'], 'https://avatars1.githubusercontent.com/u/21031067?v=4', ['image_url', 'url'], ['uri']),
      v('commits', ['array'], null, []),
      v('head_commit', ['null'], null, []),
      v('created', ['boolean'], false, []),
      v('repository.created_at', ['integer'], 1557933565, ['date']),
      v('repository.pushed_at', ['integer'], 1557933657, ['date']),
    ],
    candidates: {
      email: ['repository.owner.email', 'pusher.email'],
      customer_id: ['sender.id'],
    },
  },
  {
    file: 'stripe__payment_intent_succeeded.json',
    count: 59,
    rows: [
      v('id', ['string'], 'evt_3PBWUkRxqlZt79sD18BH2Rbr', ['external_id']),
      v('data.object.id', ['string'], 'pi_3PBWUkRxqlZt79sD1pnAkMIS', ['order_id']),
      v('data.object.object', ['string'], 'payment_intent', []),
      v('data.object.customer', ['null'], null, ['customer_id']),
      v('data.object.receipt_email', ['null'], null, ['email']),
      v('data.object.latest_charge', ['string'], 'ch_3PBWUkRxqlZt79sD1iUzdR2w', ['external_id']),
      v('data.object.payment_method', ['string'], 'pm_1PBWUjRxqlZt79sDJvejGgmS', ['external_id']),
      v('data.object.client_secret', ['string'], 'pi_3PBWUkRxqlZt79sD1pnAkMIS_secret_gIZAZkJct5p09gLan9RpkdlHO', []),
      v('request.idempotency_key', ['string'], '92b5660c-c990-4ed1-a4b8-fd88eaa02b31', [], ['uuid']),
      v('data.object.amount', ['integer'], 50000, ['price']),
      v('data.object.amount_received', ['integer'], 50000, ['price']),
      v('data.object.currency', ['string'], 'usd', ['currency']),
      v('data.object.created', ['integer'], 1714544302, ['date']),
      v('data.object.metadata', ['object'], null, []),
      v('type', ['string'], 'payment_intent.succeeded', []),
    ],
    candidates: {
      email: ['data.object.receipt_email'],
      order_id: ['data.object.id'],
      customer_id: ['data.object.customer'],
      external_id: ['id', 'data.object.latest_charge', 'data.object.payment_method', 'request.id'],
    },
  },
  {
    file: 'razorpay__order_paid.json',
    count: 55,
    rows: [
      v('account_id', ['string'], 'acc_PUL8k3DwVppWhj', ['external_id']),
      v('payload.order.entity.id', ['string'], 'order_QUg5vtkywCanxg', ['order_id']),
      v('payload.payment.entity.order_id', ['string'], 'order_QUg5vtkywCanxg', ['order_id']),
      v('payload.order.entity.receipt', ['null'], null, ['order_name']),
      v('payload.payment.entity.id', ['string'], 'pay_QUg6V5UmtqzQKE', ['external_id']),
      v('payload.payment.entity.contact', ['string'], '+919876543210', ['phone'], ['phone']),
      v('payload.payment.entity.email', ['string'], 'akshay@gmail.com', ['email'], ['email']),
      v('payload.order.entity.amount', ['integer'], 5500, ['price']),
      v('payload.payment.entity.amount', ['integer'], 5500, ['price']),
      v('payload.payment.entity.currency', ['string'], 'INR', ['currency'], ['currency-code']),
      v('payload.order.entity.notes', ['array'], null, []),
      v('payload.payment.entity.created_at', ['integer'], 1747197130, ['date']),
    ],
    candidates: {
      email: ['payload.payment.entity.email'],
      phone: ['payload.payment.entity.contact'],
      order_id: ['payload.payment.entity.order_id', 'payload.order.entity.id'],
      order_name: ['payload.order.entity.receipt'],
      external_id: ['account_id', 'payload.payment.entity.id', 'payload.payment.entity.acquirer_data.transaction_id'],
    },
  },
  {
    file: 'typeform__form_response.json',
    count: 36,
    rows: [
      v('event_id', ['string'], 'LtWXD3crgy', ['external_id']),
      v('form_response.form_id', ['string'], 'lT4Z3j', []),
      v('form_response.token', ['string'], 'a3a12ec67a1365927098a606107fac15', ['order_id']),
      v('form_response.answers', ['array'], null, []),
      v('form_response.answers[].email', ['string'], 'laura@example.com', ['email'], ['email']),
      v('form_response.definition.fields', ['array'], null, []),
      v('form_response.submitted_at', ['string'], '2018-01-18T18:17:02Z', ['date'], ['date-time']),
      v('form_response.calculated.score', ['integer'], 9, []),
    ],
    candidates: {
      email: ['form_response.answers[].email'],
      order_id: ['form_response.token'],
      external_id: ['event_id'],
    },
  },
  {
    file: 'whatsapp__messages_text.json',
    count: 25,
    rows: [
      v('entry', ['array'], null, []),
      v('entry[].id', ['string'], '102290129340398', [], ['numeric-string']),
      v('entry[].changes[].value.metadata.display_phone_number', ['string'], '15550783881', ['phone'], ['numeric-string']),
      v('entry[].changes[].value.metadata.phone_number_id', ['string'], '106540352242922', [], ['numeric-string']),
      v('entry[].changes[].value.contacts[].wa_id', ['string'], '16505551234', ['phone', 'customer_id'], ['numeric-string']),
      v('entry[].changes[].value.messages', ['array'], null, []),
      v('entry[].changes[].value.messages[].from', ['string'], '16505551234', ['phone'], ['numeric-string']),
      v('entry[].changes[].value.messages[].id', ['string'], 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', []),
      v('entry[].changes[].value.messages[].timestamp', ['string'], '1749416383', ['date'], ['numeric-string']),
      v('entry[].changes[].value.messages[].text.body', ['string'], 'Does it come in another color?', []),
    ],
    candidates: {
      phone: [
        'entry[].changes[].value.metadata.display_phone_number',
        'entry[].changes[].value.contacts[].wa_id',
        'entry[].changes[].value.messages[].from',
      ],
      customer_id: ['entry[].changes[].value.contacts[].wa_id'],
    },
  },
  {
    file: 'twilio__voice_incoming_call.txt',
    count: 5,
    rows: [
      v('CallSid', ['string'], 'CA1234567890ABCDE', ['external_id']),
      v('Digits', ['string'], '1234', [], ['numeric-string']),
      v('From', ['string'], '+14158675309', ['phone'], ['phone']),
      v('To', ['string'], '+18005551212', ['phone'], ['phone']),
      v('Caller', ['string'], '+14158675309', ['phone'], ['phone']),
    ],
    candidates: {
      phone: ['From', 'To', 'Caller'],
      external_id: ['CallSid'],
    },
  },
];

describe('fixtures catalog: every payload has a case', () => {
  it('covers exactly the files in the fixtures folder', () => {
    const files = fs
      .readdirSync(FIXTURES)
      .filter((name) => name !== 'README.md')
      .sort();
    expect(CASES.map((entry) => entry.file).sort()).toEqual(files);
  });
});

describe.each(CASES)('catalogOf($file)', ({ file, count, rows, candidates }) => {
  const body = load(file);
  const catalog = catalogOf(addSample(emptyProfile(), body));

  it('has one sample, every path present in it, and is JSON-safe', () => {
    expect(catalog.sampleCount).toBe(1);
    expect(catalog.variables).toHaveLength(count);
    expect(catalog.variables.filter((entry) => entry.presence !== 1)).toEqual([]);
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
  });

  it('lists every leaf path of the body', () => {
    const paths = new Set(catalog.variables.map((entry) => entry.path));
    const missing = [...new Set(leafPaths(body))].filter((leaf) => !paths.has(leaf));
    expect(missing).toEqual([]);
  });

  it('describes the key paths of the fixtures README: types, presence, example, formats and roles', () => {
    expect(pick(catalog, rows.map((row) => row.path))).toEqual(rows);
  });

  it('offers exactly these unique-id candidates, per role, in document order', () => {
    expect(candidatesOf(catalog)).toEqual(candidates);
  });
});

describe('fixtures catalog: the form-urlencoded Twilio body', () => {
  it('is a flat object of strings, in body order', () => {
    const catalog = catalogFor('twilio__voice_incoming_call.txt');
    expect(catalog.variables.map((entry) => entry.path)).toEqual(['CallSid', 'Digits', 'From', 'To', 'Caller']);
    expect(catalog.schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        CallSid: { type: 'string' },
        Digits: { type: 'string' },
        From: { type: 'string' },
        To: { type: 'string' },
        Caller: { type: 'string' },
      },
      required: ['CallSid', 'Digits', 'From', 'To', 'Caller'],
    });
  });
});

// ---------------------------------------------------------------------------------------
// Two samples of different shapes: presence is the share of samples carrying a path.

type Row = [path: string, presence: number, types: string[], roles?: string[]];

function expectRows(catalog: VariableCatalog, rows: Row[]): void {
  const byPath = new Map(catalog.variables.map((entry) => [entry.path, entry]));
  const actual = rows.map(([wanted, , , roles]) => {
    const found = byPath.get(wanted);
    if (!found) return [wanted, 'missing'];
    return roles === undefined ? [wanted, found.presence, found.types] : [wanted, found.presence, found.types, found.roles];
  });
  expect(actual).toEqual(rows.map((row) => (row[3] === undefined ? row.slice(0, 3) : row)));
}

describe('fixtures catalog: two samples of one provider', () => {
  it('Shopify orders/create + checkouts/create', () => {
    const catalog = catalogOf(profileOf(load('shopify__orders_create.json'), load('shopify__checkouts_create.json')));
    expect(catalog.sampleCount).toBe(2);
    expectRows(catalog, [
      ['id', 1, ['integer'], ['order_id']],
      ['token', 1, ['string'], ['order_id']],
      ['name', 1, ['string'], ['order_name']],
      ['email', 1, ['string'], ['email']],
      ['customer.id', 1, ['integer'], ['customer_id', 'shopify_customer_id']],
      ['cart_token', 1, ['null', 'string'], ['external_id']],
      ['line_items[].title', 1, ['string'], ['product_name']],
      ['line_items[].price', 1, ['string'], ['price']],
      ['contact_email', 0.5, ['string'], ['email']],
      ['order_number', 0.5, ['integer'], ['order_name']],
      ['order_status_url', 0.5, ['string'], ['url']],
      ['checkout_token', 0.5, ['null'], ['external_id']],
      ['admin_graphql_api_id', 0.5, ['string'], ['external_id']],
      ['line_items[].admin_graphql_api_id', 0.5, ['string'], ['external_id']],
      ['abandoned_checkout_url', 0.5, ['string'], ['url']],
      ['sms_marketing_phone', 0.5, ['null'], ['phone']],
      ['line_items[].presentment_title', 0.5, ['string'], ['product_name']],
    ]);
    const required = catalog.schema['required'] as string[];
    expect(required).toEqual(expect.arrayContaining(['id', 'token', 'email', 'line_items']));
    expect(required).not.toContain('contact_email');
    expect(required).not.toContain('abandoned_checkout_url');
  });

  it('Shopify: all four topics', () => {
    const files = ['shopify__orders_create.json', 'shopify__checkouts_create.json', 'shopify__customers_create.json', 'shopify__products_create.json'];
    const catalog = catalogOf(profileOf(...files.map(load)));
    expect(catalog.sampleCount).toBe(4);
    expectRows(catalog, [
      ['id', 1, ['integer']],
      ['created_at', 1, ['null', 'string']],
      ['email', 0.75, ['string']],
      ['admin_graphql_api_id', 0.75, ['string']],
      ['customer.id', 0.5, ['integer']],
      ['line_items', 0.5, ['array']],
      ['default_address.phone', 0.25, ['string']],
      ['variants[].price', 0.25, ['string']],
      ['title', 0.25, ['string']],
    ]);
    // presence stays a share of samples even under [] and with duplicates inside one sample
    for (const entry of catalog.variables) expect([0.25, 0.5, 0.75, 1]).toContain(entry.presence);
  });

  it('WooCommerce order.created + product.created', () => {
    const catalog = catalogOf(profileOf(load('woocommerce__order_created.json'), load('woocommerce__product_created.json')));
    expectRows(catalog, [
      ['id', 1, ['integer']],
      ['status', 1, ['string']],
      ['date_created', 1, ['string'], ['date']],
      ['_links.self[].href', 1, ['string'], ['url']],
      ['number', 0.5, ['string']],
      ['order_key', 0.5, ['string'], ['external_id']],
      ['billing.email', 0.5, ['string'], ['email']],
      ['billing.phone', 0.5, ['string'], ['phone']],
      ['line_items', 0.5, ['array']],
      ['line_items[].name', 0.5, ['string'], ['product_name']],
      ['permalink', 0.5, ['string'], ['product_url', 'url']],
      ['images[].src', 0.5, ['string'], ['image_url', 'url']],
      ['categories[].id', 0.5, ['integer'], ['collection_id']],
      ['sale_price', 0.5, ['string'], ['price']],
    ]);
  });

  it('merging the two single-sample profiles gives the same catalog as adding both samples', () => {
    const [a, b] = [load('woocommerce__order_created.json'), load('woocommerce__product_created.json')];
    const merged = mergeProfiles(addSample(emptyProfile(), b), addSample(emptyProfile(), a));
    expect(catalogOf(merged)).toEqual(catalogOf(profileOf(a, b)));
  });
});

describe('fixtures catalog: the same provider with a field missing or filled in', () => {
  // a second sample derived from the real one: one key removed, one null (or value) changed
  function variant(file: string, change: (body: Record<string, JsonValue>) => void): JsonValue {
    const body = load(file) as Record<string, JsonValue>;
    change(body);
    return body;
  }
  const child = (value: JsonValue, ...keys: Array<string | number>): Record<string, JsonValue> =>
    keys.reduce<JsonValue>((at, key) => (at as Record<string, JsonValue>)[key]!, value) as Record<string, JsonValue>;

  it.each<[string, (body: Record<string, JsonValue>) => void, Row[]]>([
    [
      'stripe__payment_intent_succeeded.json',
      (body) => {
        child(body, 'data', 'object')['customer'] = 'cus_Q1a2B3c4D5e6F7';
        child(body, 'data', 'object')['receipt_email'] = 'jenny@example.com';
        delete body['request'];
      },
      [
        ['data.object.customer', 1, ['null', 'string'], ['customer_id']],
        ['data.object.receipt_email', 1, ['null', 'string'], ['email']],
        ['request.id', 0.5, ['string'], ['external_id']],
        ['data.object.id', 1, ['string'], ['order_id']],
      ],
    ],
    [
      'razorpay__order_paid.json',
      (body) => {
        child(body, 'payload', 'order', 'entity')['receipt'] = 'rcpt_1001';
        delete child(body, 'payload', 'payment', 'entity')['contact'];
      },
      [
        ['payload.order.entity.receipt', 1, ['null', 'string'], ['order_name']],
        ['payload.payment.entity.contact', 0.5, ['string'], ['phone']],
        ['payload.order.entity.id', 1, ['string'], ['order_id']],
      ],
    ],
    [
      'twilio__voice_incoming_call.txt',
      (body) => {
        delete body['Digits'];
        delete body['Caller'];
      },
      [
        ['From', 1, ['string'], ['phone']],
        ['Digits', 0.5, ['string'], []],
        ['Caller', 0.5, ['string'], ['phone']],
      ],
    ],
    [
      'whatsapp__messages_text.json',
      (body) => {
        delete child(body, 'entry', 0, 'changes', 0, 'value')['contacts'];
      },
      [
        ['entry[].changes[].value.messages[].from', 1, ['string'], ['phone']],
        ['entry[].changes[].value.contacts', 0.5, ['array']],
        ['entry[].changes[].value.contacts[].wa_id', 0.5, ['string'], ['phone', 'customer_id']],
      ],
    ],
    [
      'typeform__form_response.json',
      (body) => {
        child(body, 'form_response')['answers'] = [];
      },
      [
        ['form_response.token', 1, ['string'], ['order_id']],
        ['form_response.answers', 1, ['array']],
        ['form_response.answers[]', 0.5, ['object']],
        ['form_response.answers[].email', 0.5, ['string'], ['email']],
      ],
    ],
    [
      'github__push.json',
      (body) => {
        body['head_commit'] = { id: 'abc', message: 'Fix', timestamp: '2019-05-15T15:20:41Z' };
        delete body['pusher'];
      },
      [
        ['head_commit', 1, ['null', 'object']],
        ['head_commit.message', 0.5, ['string']],
        ['pusher.email', 0.5, ['string'], ['email']],
        ['sender.id', 1, ['integer'], ['customer_id']],
      ],
    ],
  ])('%s', (file, change, rows) => {
    expectRows(catalogOf(profileOf(load(file), variant(file, change))), rows);
  });
});
