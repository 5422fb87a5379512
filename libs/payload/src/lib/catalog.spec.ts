import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fixture, fixtureNames } from '../test/fixtures';
import { catalogOf, type Variable, type VariableCatalog } from './catalog';
import { isJsonObject, stringifyLossless, type JsonValue } from './json';
import { addSample, emptyProfile, type SchemaProfile } from './profile';

const profileOf = (samples: JsonValue[]): SchemaProfile => samples.reduce<SchemaProfile>((profile, sample) => addSample(profile, sample), emptyProfile());
const byPath = (catalog: VariableCatalog) => new Map(catalog.variables.map((entry) => [entry.path, entry]));
const find = (catalog: VariableCatalog, path: string): Variable => {
  const found = byPath(catalog).get(path);
  if (!found) throw new Error(`no variable '${path}' in the catalog`);
  return found;
};

/** Leaf paths computed independently of the library (fixture keys are plain identifiers). */
function leafPaths(value: JsonValue, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((element) => leafPaths(element, `${prefix}[]`));
  if (isJsonObject(value)) return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
  return [prefix];
}

describe('catalogOf: the Shopify order sample', () => {
  const order = fixture('shopify__orders_create.json');
  const catalog = catalogOf(addSample(emptyProfile(), order));

  it('counts one sample and is JSON-safe', () => {
    expect(catalog.sampleCount).toBe(1);
    expect(() => JSON.stringify(catalog)).not.toThrow();
  });

  it('lists every leaf path, and container paths', () => {
    const paths = new Set(catalog.variables.map((entry) => entry.path));
    const leaves = [...new Set(leafPaths(order))];
    expect(leaves.length).toBeGreaterThan(200);
    for (const leaf of leaves) expect(paths).toContain(leaf);
    expect(find(catalog, 'line_items').types).toEqual(['array']);
    expect(find(catalog, 'line_items[]').types).toEqual(['object']);
    expect(find(catalog, 'customer').types).toEqual(['object']);
    expect(paths.has('')).toBe(false);
  });

  it('email: string, present, example, format and role email', () => {
    expect(find(catalog, 'email')).toEqual({ path: 'email', types: ['string'], presence: 1, example: 'jon@example.com', formats: ['email'], roles: ['email'] });
  });

  it('customer.id: integer with every digit in the example; customer and Shopify customer id', () => {
    expect(find(catalog, 'customer.id')).toEqual({
      path: 'customer.id',
      types: ['integer'],
      presence: 1,
      example: '115310627314723954',
      roles: ['customer_id', 'shopify_customer_id'],
    });
  });

  it('line_items[].title: string, product name, example from the first line item', () => {
    expect(find(catalog, 'line_items[].title')).toEqual({
      path: 'line_items[].title',
      types: ['string'],
      presence: 1,
      example: 'Aviator sunglasses',
      roles: ['product_name'],
    });
  });

  it('suggests the other order roles', () => {
    expect(find(catalog, 'id')).toMatchObject({ types: ['integer'], example: '820982911946154508', roles: ['order_id'] });
    expect(find(catalog, 'name')).toMatchObject({ example: '#9999', roles: ['order_name'] });
    expect(find(catalog, 'line_items[].price')).toMatchObject({ types: ['string'], example: '89.99', formats: ['numeric-string'], roles: ['price'] });
    expect(find(catalog, 'line_items[].quantity')).toMatchObject({ types: ['integer'], example: 1, roles: ['quantity'] });
    expect(find(catalog, 'currency')).toMatchObject({ example: 'USD', formats: ['currency-code'], roles: ['currency'] });
    expect(find(catalog, 'created_at')).toMatchObject({ formats: ['date-time'], roles: ['date'] });
    expect(find(catalog, 'order_status_url')).toMatchObject({ formats: ['uri'], roles: ['url'] });
    expect(find(catalog, 'admin_graphql_api_id').roles).toEqual(['external_id']);
    expect(find(catalog, 'phone')).toMatchObject({ types: ['null'], example: null, roles: ['phone'] });
    expect(find(catalog, 'customer.default_address.phone')).toMatchObject({ example: '123-123-1234', formats: ['phone'], roles: ['phone'] });
    expect(find(catalog, 'billing_address.phone').roles).toEqual(['phone']); // 555-555-SHIP: a vanity number under a phone name
    expect(find(catalog, 'customer.email').roles).toEqual(['email']);
    expect(find(catalog, 'buyer_accepts_marketing')).toMatchObject({ types: ['boolean'], roles: [] });
    expect(find(catalog, 'total_weight').roles).toEqual([]);
  });

  it('lists variables in document order', () => {
    const paths = catalog.variables.map((entry) => entry.path);
    expect(paths.slice(0, 3)).toEqual(['id', 'admin_graphql_api_id', 'app_id']);
    expect(paths.indexOf('customer')).toBeLessThan(paths.indexOf('customer.id'));
    expect(paths.indexOf('customer.id')).toBeLessThan(paths.indexOf('line_items'));
  });
});

describe('catalogOf: roles on other providers', () => {
  const catalogFor = (name: string) => catalogOf(addSample(emptyProfile(), fixture(name)));

  it.each<[string, string, string[]]>([
    ['twilio__voice_incoming_call.txt', 'From', ['phone']],
    ['twilio__voice_incoming_call.txt', 'CallSid', ['external_id']],
    ['twilio__voice_incoming_call.txt', 'Digits', []],
    ['woocommerce__order_created.json', 'billing.phone', ['phone']],
    ['woocommerce__order_created.json', 'billing.email', ['email']],
    ['woocommerce__order_created.json', 'id', ['order_id']],
    ['woocommerce__order_created.json', 'customer_id', ['customer_id']],
    ['woocommerce__order_created.json', 'line_items[].name', ['product_name']],
    ['woocommerce__order_created.json', 'line_items[].price', ['price']],
    ['woocommerce__product_created.json', 'name', ['product_name']],
    ['woocommerce__product_created.json', 'permalink', ['product_url', 'url']],
    ['woocommerce__product_created.json', 'images[].src', ['image_url', 'url']],
    ['woocommerce__product_created.json', 'categories[].id', ['collection_id']],
    ['woocommerce__product_created.json', 'total_sales', []],
    ['whatsapp__messages_text.json', 'entry[].changes[].value.contacts[].wa_id', ['phone', 'customer_id']],
    ['whatsapp__messages_text.json', 'entry[].changes[].value.messages[].from', ['phone']],
    ['whatsapp__messages_text.json', 'entry[].changes[].value.metadata.phone_number_id', []],
    ['razorpay__order_paid.json', 'payload.order.entity.id', ['order_id']],
    ['razorpay__order_paid.json', 'payload.payment.entity.contact', ['phone']],
    ['razorpay__order_paid.json', 'payload.payment.entity.amount', ['price']],
    ['stripe__payment_intent_succeeded.json', 'data.object.currency', ['currency']],
    ['stripe__payment_intent_succeeded.json', 'data.object.created', ['date']],
    ['typeform__form_response.json', 'form_response.answers[].email', ['email']],
    ['shopify__customers_create.json', 'id', ['customer_id', 'shopify_customer_id']],
    ['shopify__products_create.json', 'title', ['product_name']],
    ['github__push.json', 'sender.avatar_url', ['image_url', 'url']],
    ['github__push.json', 'created', []],
  ])('%s: %s → %j', (name, path, roles) => {
    expect(find(catalogFor(name), path).roles).toEqual(roles);
  });
});

describe('catalogOf: several samples', () => {
  it('presence is the share of samples carrying the path; under [] at least one element', () => {
    const catalog = catalogOf(
      profileOf([
        { email: 'a@example.com', only_first: 1, line_items: [{ title: 'A' }, { title: 'B', sku: 'b' }] },
        { email: null, line_items: [{ sku: 'c' }] },
        { line_items: [] },
        { email: 'd@example.com', line_items: [{ title: 'D' }] },
      ]),
    );
    expect(catalog.sampleCount).toBe(4);
    expect(find(catalog, 'email').presence).toBe(0.75);
    expect(find(catalog, 'only_first').presence).toBe(0.25);
    expect(find(catalog, 'line_items').presence).toBe(1);
    expect(find(catalog, 'line_items[]').presence).toBe(0.75);
    expect(find(catalog, 'line_items[].title').presence).toBe(0.5);
    expect(find(catalog, 'line_items[].sku').presence).toBe(0.5);
    expect(find(catalog, 'email')).toMatchObject({ types: ['null', 'string'], formats: ['email'], roles: ['email'] });
  });

  it('presence over two different real payloads', () => {
    const catalog = catalogOf(profileOf([fixture('shopify__orders_create.json'), fixture('shopify__customers_create.json')]));
    expect(find(catalog, 'email').presence).toBe(1);
    expect(find(catalog, 'customer.id').presence).toBe(0.5);
    expect(find(catalog, 'line_items[].title').presence).toBe(0.5);
    expect(find(catalog, 'default_address.phone').presence).toBe(0.5);
    // id is an order id in one and a customer id in the other: an integer either way
    expect(find(catalog, 'id')).toMatchObject({ types: ['integer'], presence: 1 });
  });

  it('unions types and keeps a format only when every string matched', () => {
    const catalog = catalogOf(
      profileOf([
        { v: 'x@example.com', w: '2024-01-01', n: 1 },
        { v: null, w: '2024-01-02', n: 2.5 },
        { v: 'not an email', w: 5, n: 3n ** 40n },
      ]),
    );
    expect(find(catalog, 'v').types).toEqual(['null', 'string']);
    expect(find(catalog, 'v').formats).toBeUndefined();
    expect(find(catalog, 'w')).toMatchObject({ types: ['integer', 'string'], formats: ['date'] });
    expect(find(catalog, 'n').types).toEqual(['integer', 'number']);
  });
});

describe('catalogOf: JSON Schema', () => {
  it('merges samples into one 2020-12 schema with required, nullable unions, items and formats', () => {
    const { schema } = catalogOf(
      profileOf([
        { id: 1, email: 'a@example.com', items: [{ sku: 'A', qty: 1 }, { sku: 'B' }], meta: null, at: '2024-01-01T00:00:00Z' },
        { id: 2n ** 64n, email: null, items: [{ sku: 'C', qty: 2.5 }], meta: { k: 'v' }, extra: true, at: '2024-01-02T00:00:00Z' },
      ]),
    );
    expect(schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        email: { type: ['null', 'string'], format: 'email' },
        items: {
          type: 'array',
          items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'number' } }, required: ['sku'] },
        },
        meta: { type: ['null', 'object'], properties: { k: { type: 'string' } }, required: ['k'] },
        at: { type: 'string', format: 'date-time' },
        extra: { type: 'boolean' },
      },
      required: ['id', 'email', 'items', 'meta', 'at'],
    });
  });

  it('for a top-level array body', () => {
    const { schema } = catalogOf(profileOf([[{ id: 1 }, { id: 2, x: 'y' }]]));
    expect(schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'integer' }, x: { type: 'string' } }, required: ['id'] },
    });
  });

  it('validates (with ajv, strict, formats on) every sample it was built from', () => {
    const names = fixtureNames();
    const shopify = names.filter((name) => name.startsWith('shopify__'));
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const group of [shopify, names]) {
      const samples = group.map(fixture);
      const validate = ajv.compile(catalogOf(profileOf(samples)).schema);
      for (const sample of samples) {
        const plain = JSON.parse(stringifyLossless(sample)) as unknown;
        expect(validate(plain) ? [] : validate.errors).toEqual([]);
      }
    }
  });

  it('marks as required only keys present in every sample of the object (Shopify orders + checkouts)', () => {
    const { schema } = catalogOf(profileOf([fixture('shopify__orders_create.json'), fixture('shopify__checkouts_create.json')]));
    const required = schema.required as string[];
    expect(required).toEqual(expect.arrayContaining(['id', 'email', 'line_items', 'customer', 'currency']));
    expect(required).not.toContain('contact_email'); // orders only
    expect(required).not.toContain('abandoned_checkout_url'); // checkouts only
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.contact_email).toEqual({ type: 'string', format: 'email' });
    const lineItem = (properties.line_items!.items as Record<string, unknown>).required as string[];
    expect(lineItem).toEqual(expect.arrayContaining(['title', 'price', 'quantity']));
    expect(lineItem).not.toContain('admin_graphql_api_id'); // not on checkout line items
  });
});
