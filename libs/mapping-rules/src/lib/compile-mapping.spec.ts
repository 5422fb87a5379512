import { addSample, catalogOf, emptyProfile, parseBody, type JsonValue } from '@hookline/payload';
import { API_EXAMPLE_DEFINITION, clone, findBigints, loadPayload } from '../test/fixtures';
import { resolveAllVariables } from './all-variables';
import { compileMapping, type MappingResult } from './compile-mapping';
import type { MappingDefinition, MappingInput } from './mapping-definition';

const ORDER_ID = '820982911946154508';

function okResult(result: MappingResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(result: MappingResult) {
  if (result.ok) throw new Error('expected errors, got ok');
  return result.errors;
}

function withBody(body: JsonValue, extra: Omit<MappingInput, 'body'> = {}): MappingInput {
  return { body, ...extra };
}

describe('compileMapping on a real Shopify orders/create payload', () => {
  const body = loadPayload('shopify__orders_create.json');
  const definition: MappingDefinition = {
    uniqueId: { type: 'email', path: 'email' },
    variables: [
      { name: 'orderTotal', path: 'total_price', type: 'number' },
      { name: 'firstItem', path: 'line_items[0].title' },
      { name: 'orderId', path: 'id' },
      { name: 'orderIdText', path: 'id', type: 'string' },
      { name: 'itemPrices', path: 'line_items[].price', type: 'number' },
      { name: 'createdAt', path: 'created_at', type: 'datetime' },
      { name: 'test', path: 'test', type: 'boolean' },
      { name: 'statusUrl', path: 'order_status_url', type: 'url' },
      { name: 'coupon', path: 'discount_codes[0].code', default: 'NONE' },
      { name: 'note', path: 'note' },
    ],
    variableSets: {
      order: { id: 'id', name: 'name', totalPrice: 'total_price', currency: 'currency', number: 'order_number' },
      products: { from: 'line_items[]', fields: { name: 'title', price: 'price', quantity: 'quantity', sku: 'sku', id: 'product_id' } },
      customer: { id: 'customer.id', email: 'customer.email', firstName: 'customer.first_name' },
    },
    dedupeKey: { path: 'id' },
  };

  it('parses the 64-bit order id as a bigint (the premise of every digit surviving)', () => {
    expect((body as Record<string, JsonValue>)['id']).toBe(BigInt(ORDER_ID));
  });

  it('resolves the unique id, the variables and the variable sets', () => {
    const sut = compileMapping(definition);
    const result = okResult(sut({ body }));
    expect(result.matched).toBe(true);
    expect(result.uniqueId).toEqual({ type: 'email', value: 'jon@example.com', path: 'email' });
    expect(result.variables).toEqual({
      orderTotal: 404.95,
      firstItem: 'Aviator sunglasses',
      orderId: ORDER_ID,
      orderIdText: ORDER_ID,
      itemPrices: [89.99, 19.99, 24.99, 159.99, 119.99],
      createdAt: '2022-01-01T00:00:00.000Z',
      test: true,
      statusUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
      coupon: 'NONE',
      note: null,
    });
    expect(result.variableSets['order']).toEqual({ id: ORDER_ID, name: '#9999', totalPrice: 404.95, currency: 'USD', number: '1234' });
    const products = result.variableSets['products'] as Array<Record<string, unknown>>;
    expect(products).toHaveLength(5);
    expect(products[0]).toEqual({ name: 'Aviator sunglasses', price: 89.99, quantity: 1, sku: 'SKU2006-001', id: '788032119674292922' });
    expect(products[1]!['id']).toBeNull(); // product_id is null on this line item
    expect(products.map((p) => p['name'])).toEqual([
      'Aviator sunglasses',
      'Lens Protection Plan (2 Year)',
      'Premium Leather Case',
      'Mid-century lounger',
      'Coffee table',
    ]);
    expect(result.variableSets['customer']).toEqual({ id: '115310627314723954', email: 'john@example.com', firstName: 'John' });
    expect(result.dedupeKey).toBe(ORDER_ID);
  });

  it('produces JSON-safe output that keeps every digit through JSON.stringify', () => {
    const result = compileMapping(definition)({ body });
    expect(findBigints(result)).toEqual([]);
    const text = JSON.stringify(result);
    expect(text).toContain(`"orderId":"${ORDER_ID}"`);
    expect(text).toContain(`"id":"${ORDER_ID}"`);
    expect(text).not.toContain('820982911946154500');
  });

  it('runs the API.md example: the filter skips this voided order', () => {
    const sut = compileMapping(clone(API_EXAMPLE_DEFINITION) as unknown as MappingDefinition);
    const result = okResult(sut({ body }));
    expect(result.matched).toBe(false);
    expect(result.variables).toEqual({});
    expect(result.variableSets).toEqual({});
    expect(result.dedupeKey).toBe(ORDER_ID);
  });

  it('runs the API.md example on a paid order: no customer phone, and the billing fallback "555-555-SHIP" is not a phone', () => {
    const paid = { ...(body as Record<string, JsonValue>), financial_status: 'paid' };
    const errors = errorsOf(compileMapping(clone(API_EXAMPLE_DEFINITION) as unknown as MappingDefinition)({ body: paid }));
    expect(errors).toEqual([expect.objectContaining({ code: 'UNIQUE_ID_INVALID', path: 'billing_address.phone' })]);
    expect(errors[0]!.message).toContain('not a valid phone number');
  });

  it('runs the API.md example on a paid order with an Indian national number', () => {
    const record = clone(body) as Record<string, JsonValue>;
    record['financial_status'] = 'paid';
    (record['customer'] as Record<string, JsonValue>)['phone'] = '098765 43210';
    const result = okResult(compileMapping(clone(API_EXAMPLE_DEFINITION) as unknown as MappingDefinition)({ body: record }));
    expect(result.uniqueId).toEqual({ type: 'phone', value: '+919876543210', path: 'customer.phone' });
    expect(result.variables).toEqual({ orderTotal: 404.95, firstItem: 'Aviator sunglasses' });
    expect(result.variableSets['order']).toEqual({ id: ORDER_ID, name: '#9999', totalPrice: 404.95, currency: 'USD' });
    expect(result.variableSets['customer']).toEqual({ firstName: 'John', email: 'john@example.com' });
    expect((result.variableSets['products'] as unknown[]).length).toBe(5);
  });

  it('reads headers: $headers paths in variables, variable sets and filters (case-insensitive names)', () => {
    const sut = compileMapping({
      uniqueId: { type: 'shopify_customer_id', path: 'customer.id' },
      variables: [{ name: 'topic', path: '$headers.x-shopify-topic' }],
      variableSets: { shopify: { topic: '$headers.X-Shopify-Topic', shopDomain: '$headers.x-shopify-shop-domain', orderId: 'id' } },
      filter: { path: '$headers.x-shopify-topic', op: 'in', value: ['orders/create', 'orders/paid'] },
    });
    const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'jsmith.myshopify.com' };
    const result = okResult(sut({ body, headers }));
    expect(result.matched).toBe(true);
    expect(result.uniqueId).toEqual({ type: 'shopify_customer_id', value: '115310627314723954', path: 'customer.id' });
    expect(result.variables).toEqual({ topic: 'orders/create' });
    expect(result.variableSets['shopify']).toEqual({ topic: 'orders/create', shopDomain: 'jsmith.myshopify.com', orderId: ORDER_ID });
    expect(okResult(sut({ body, headers: { 'X-Shopify-Topic': 'customers/create' } })).matched).toBe(false);
    expect(okResult(sut({ body })).matched).toBe(false);
  });

  it('reads the query string with $query paths', () => {
    const sut = compileMapping({ uniqueId: { type: 'external_id', path: '$query.uid' }, variables: [{ name: 'ref', path: '$query.ref' }] });
    expect(okResult(sut({ body, query: { uid: ' u-42 ', ref: 'ads' } }))).toMatchObject({ uniqueId: { value: 'u-42', path: '$query.uid' }, variables: { ref: 'ads' } });
  });
});

describe('unique id', () => {
  it('tries the fallbacks in order, skipping missing, null and blank values', () => {
    const sut = compileMapping({
      uniqueId: { type: 'phone', path: 'customer.phone', fallbacks: ['billing.phone', 'shipping.phone', 'phone'], defaultCountry: 'IN' },
    });
    const result = okResult(sut(withBody({ customer: { phone: null }, billing: { phone: '  ' }, phone: '+91-98765-43210' })));
    expect(result.uniqueId).toEqual({ type: 'phone', value: '+919876543210', path: 'phone' });
  });

  it('moves past an invalid value to a valid fallback', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'email', fallbacks: ['customer.email'] } });
    const result = okResult(sut(withBody({ email: 'not-an-email', customer: { email: ' Jane.Doe@Example.COM ' } })));
    expect(result.uniqueId).toEqual({ type: 'email', value: 'jane.doe@example.com', path: 'customer.email' });
  });

  it('reports UNIQUE_ID_MISSING naming the paths it tried', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'email', fallbacks: ['customer.email'] } });
    const errors = errorsOf(sut(withBody({ email: null })));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'UNIQUE_ID_MISSING', path: 'email' });
    expect(errors[0]!.message).toContain('"customer.email"');
  });

  it('reports UNIQUE_ID_INVALID with every reason when no candidate is usable', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'email', fallbacks: ['alt'] } });
    const errors = errorsOf(sut(withBody({ email: 'nobody', alt: 42 })));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'UNIQUE_ID_INVALID', path: 'email' });
    expect(errors[0]!.message).toMatch(/email: not an email address.*alt: an email must be a string/);
  });

  it('keeps every digit of an id given as a bigint and refuses one already rounded into a number', () => {
    const sut = compileMapping({ uniqueId: { type: 'order_id', path: 'id' } });
    expect(okResult(sut(withBody(parseBody(`{"id": ${ORDER_ID}}`, 'application/json')))).uniqueId.value).toBe(ORDER_ID);
    const lossy = JSON.parse(`{"id": ${ORDER_ID}}`) as JsonValue;
    expect(errorsOf(sut(withBody(lossy)))[0]).toMatchObject({ code: 'UNIQUE_ID_INVALID' });
    expect(okResult(sut(withBody({ id: 1234 }))).uniqueId.value).toBe('1234');
  });

  it('never throws, whatever the body is', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'customer.email' }, variables: 'all' });
    for (const body of [null, 'text', 42, [], [1, 2], { customer: 'x' }, { customer: [] }] as JsonValue[]) {
      const result = sut(withBody(body));
      expect(result.ok).toBe(false);
      expect(errorsOf(result)[0]!.code).toBe('UNIQUE_ID_MISSING');
    }
  });
});

describe('variables', () => {
  const uniqueId = { type: 'external_id', path: 'uid' } as const;

  it('coerces each type', () => {
    const sut = compileMapping({
      uniqueId,
      variables: [
        { name: 'n', path: 'n', type: 'number' },
        { name: 'i', path: 'i', type: 'integer' },
        { name: 'b', path: 'b', type: 'boolean' },
        { name: 'd', path: 'd', type: 'datetime' },
        { name: 'e', path: 'e', type: 'email' },
        { name: 'p', path: 'p', type: 'phone', defaultCountry: 'IN' },
        { name: 'u', path: 'u', type: 'url' },
        { name: 's', path: 'big', type: 'string' },
        { name: 'j', path: 'j', type: 'json' },
      ],
    });
    const body = parseBody(
      '{"uid":"x","n":"199.00","i":"42","b":"false","d":"2024-03-05T10:00:00+05:30","e":" A@B.Co ","p":"98765 43210","u":" https://x.io/p?q=1 ","big":12345678901234567890,"j":{"k":[1,{"z":18446744073709551615}]}}',
      'application/json',
    );
    expect(okResult(sut(withBody(body))).variables).toEqual({
      n: 199,
      i: 42,
      b: false,
      d: '2024-03-05T04:30:00.000Z',
      e: 'a@b.co',
      p: '+919876543210',
      u: 'https://x.io/p?q=1',
      s: '12345678901234567890',
      j: { k: [1, { z: '18446744073709551615' }] },
    });
  });

  it('reports every uncoercible value as VARIABLE_COERCION, with the variable name', () => {
    const sut = compileMapping({
      uniqueId,
      variables: [
        { name: 'amount', path: 'a', type: 'number' },
        { name: 'count', path: 'c', type: 'integer' },
        { name: 'flag', path: 'f', type: 'boolean' },
        { name: 'when', path: 'w', type: 'datetime' },
        { name: 'link', path: 'l', type: 'url' },
        { name: 'ok', path: 'o', type: 'number' },
      ],
    });
    const errors = errorsOf(sut(withBody({ uid: 'x', a: '1,299.00', c: '1.5', f: 'maybe', w: '2021-02-30', l: 'ftp://x.io', o: '3' })));
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['VARIABLE_COERCION', 'a'],
      ['VARIABLE_COERCION', 'c'],
      ['VARIABLE_COERCION', 'f'],
      ['VARIABLE_COERCION', 'w'],
      ['VARIABLE_COERCION', 'l'],
    ]);
    expect(errors.map((e) => e.message.match(/^variable "(\w+)"/)?.[1])).toEqual(['amount', 'count', 'flag', 'when', 'link']);
  });

  it('does not put payload values in error messages (they may be personal data)', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'email' }, variables: [{ name: 'p', path: 'phone', type: 'phone' }] });
    const errors = errorsOf(sut(withBody({ email: 'secret-person@', phone: 'call 555 0199 now' })));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e.message).not.toMatch(/secret-person|555 0199/);
  });

  it('uses the default (coerced to the type) when the value is missing, null or blank; null without a default', () => {
    const sut = compileMapping({
      uniqueId,
      variables: [
        { name: 'missing', path: 'nope', type: 'number', default: '10.50' },
        { name: 'isNull', path: 'n', default: 'fallback' },
        { name: 'blank', path: 'blank', type: 'integer', default: 0 },
        { name: 'bare', path: 'nope' },
        { name: 'present', path: 'v', default: 'unused' },
      ],
    });
    expect(okResult(sut(withBody({ uid: 'x', n: null, blank: ' ', v: 'here' }))).variables).toEqual({
      missing: 10.5,
      isNull: 'fallback',
      blank: 0,
      bare: null,
      present: 'here',
    });
  });

  it('gives a fanned-out path an array, coerced element by element', () => {
    const sut = compileMapping({ uniqueId, variables: [{ name: 'qty', path: 'items[].qty', type: 'integer' }] });
    expect(okResult(sut(withBody({ uid: 'x', items: [{ qty: '1' }, { qty: 2 }, {}, { qty: '3.0' }] }))).variables).toEqual({ qty: [1, 2, 3] });
    expect(okResult(sut(withBody({ uid: 'x', items: [] }))).variables).toEqual({ qty: [] });
    expect(errorsOf(sut(withBody({ uid: 'x', items: [{ qty: 1 }, { qty: 'two' }] })))[0]!.message).toContain('element 1');
  });

  it('collects unique-id, variable and variable-set errors together', () => {
    const sut = compileMapping({
      uniqueId: { type: 'email', path: 'email' },
      variables: [{ name: 'total', path: 'total', type: 'number' }],
      variableSets: { products: { from: 'items[]', fields: { price: 'price', url: 'link' } } },
    });
    const errors = errorsOf(sut(withBody({ total: 'n/a', items: [{ price: '1.00', link: 'https://a.b/c' }, { price: 'free', link: 'nope' }] })));
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['UNIQUE_ID_MISSING', 'email'],
      ['VARIABLE_COERCION', 'total'],
      ['VARIABLE_COERCION', 'items[].price'],
      ['VARIABLE_COERCION', 'items[].link'],
    ]);
    expect(errors[2]!.message).toMatch(/^variableSets\.products\[1\]\.price: cannot coerce to number/);
  });
});

describe('transforms', () => {
  const run = (transform: unknown, body: Record<string, JsonValue>, extra: Record<string, unknown> = {}) => {
    const sut = compileMapping({
      uniqueId: { type: 'external_id', path: 'uid' },
      variables: [{ name: 'v', path: 'v', transform, ...extra } as never],
    });
    return sut(withBody({ uid: 'x', ...body }));
  };
  const valueOf = (result: MappingResult) => okResult(result).variables['v'];

  it('scale converts minor units exactly (1999 paise → 19.99, not 19.990000000000002)', () => {
    expect(valueOf(run({ op: 'scale', factor: 0.01 }, { v: 1999 }))).toBe(19.99);
    expect(valueOf(run({ op: 'scale', factor: 0.01 }, { v: '49900' }))).toBe(499);
    expect(valueOf(run({ op: 'scale', factor: 100 }, { v: 0.07 }))).toBe(7);
    expect(valueOf(run({ op: 'scale', factor: 0.01 }, { v: [1999, '5'] }))).toEqual([19.99, 0.05]);
    expect(valueOf(run({ op: 'scale', factor: 1 }, { v: BigInt('123456789012345678901') }))).toBe('123456789012345678901');
    expect(valueOf(run({ op: 'scale', factor: 0.01 }, {}))).toBeNull();
    const failed = errorsOf(run({ op: 'scale', factor: 0.01 }, { v: 'ten' }));
    expect(failed).toEqual([expect.objectContaining({ code: 'TRANSFORM_FAILED', path: 'v' })]);
  });

  it('trim, lowercase and uppercase work on strings (and arrays of them), leave numbers alone', () => {
    expect(valueOf(run({ op: 'trim' }, { v: '  hi there \n' }))).toBe('hi there');
    expect(valueOf(run({ op: 'lowercase' }, { v: 'MiXeD' }))).toBe('mixed');
    expect(valueOf(run({ op: 'uppercase' }, { v: ['inr', 'usd'] }))).toEqual(['INR', 'USD']);
    expect(valueOf(run({ op: 'uppercase' }, { v: 5 }))).toBe(5);
    expect(errorsOf(run({ op: 'trim' }, { v: { a: 1 } }))[0]!.code).toBe('TRANSFORM_FAILED');
  });

  it('default replaces missing and null values only', () => {
    expect(valueOf(run({ op: 'default', value: 'guest' }, {}))).toBe('guest');
    expect(valueOf(run({ op: 'default', value: 'guest' }, { v: null }))).toBe('guest');
    expect(valueOf(run({ op: 'default', value: 'guest' }, { v: '' }))).toBe('');
    expect(valueOf(run({ op: 'default', value: 0 }, { v: 7 }))).toBe(7);
  });

  it('template joins fields of the body; all-missing gives null so a default applies', () => {
    const template = { op: 'template', template: '{{first_name}} {{ last_name }}' };
    expect(valueOf(run(template, { first_name: 'Asha', last_name: 'Rao' }))).toBe('Asha Rao');
    expect(valueOf(run(template, { first_name: 'Asha' }))).toBe('Asha ');
    expect(valueOf(run([template, { op: 'trim' }], { first_name: 'Asha' }))).toBe('Asha');
    expect(valueOf(run(template, {}))).toBeNull();
    expect(valueOf(run([template, { op: 'default', value: 'there' }], {}))).toBe('there');
    expect(valueOf(run(template, {}, { default: 'friend' }))).toBe('friend');
    const rich = { op: 'template', template: 'Order {{id}}: {{items[].name}} ({{$headers.x-shop}})' };
    const sut = compileMapping({ uniqueId: { type: 'external_id', path: 'uid' }, variables: [{ name: 'v', path: 'uid', transform: rich as never }] });
    const body = parseBody(`{"uid":"x","id":${ORDER_ID},"items":[{"name":"Tea"},{"name":"Cup"}]}`, 'application/json');
    expect(okResult(sut({ body, headers: { 'x-shop': 'demo' } })).variables['v']).toBe(`Order ${ORDER_ID}: Tea, Cup (demo)`);
  });

  it('applies a chain in order, then coerces to the type', () => {
    const chain = [{ op: 'trim' }, { op: 'scale', factor: 0.01 }];
    expect(valueOf(run(chain, { v: ' 12345 ' }, { type: 'string' }))).toBe('123.45');
    expect(valueOf(run([{ op: 'trim' }, { op: 'lowercase' }], { v: '  Jane@Example.com ' }, { type: 'email' }))).toBe('jane@example.com');
  });
});

describe('filters', () => {
  const body = parseBody(
    `{"id":${ORDER_ID},"status":"paid","total":"199.00","count":3,"tags":["vip","new"],"items":[{"price":"5"},{"price":"250.5"}],"gift":false,"note":null}`,
    'application/json',
  );
  const matches = (filter: unknown) => {
    const sut = compileMapping({ uniqueId: { type: 'order_id', path: 'id' }, filter: filter as never });
    return okResult(sut({ body })).matched;
  };

  it.each([
    [{ path: 'status', op: 'eq', value: 'paid' }, true],
    [{ path: 'status', op: 'eq', value: 'PAID' }, false],
    [{ path: 'total', op: 'eq', value: 199 }, true],
    [{ path: 'count', op: 'eq', value: '3' }, true],
    [{ path: 'gift', op: 'eq', value: 'false' }, true],
    [{ path: 'id', op: 'eq', value: ORDER_ID }, true],
    [{ path: 'id', op: 'eq', value: '820982911946154509' }, false],
    [{ path: 'status', op: 'neq', value: 'paid' }, false],
    [{ path: 'missing', op: 'neq', value: 'paid' }, true],
    [{ path: 'status', op: 'in', value: ['paid', 'authorized'] }, true],
    [{ path: 'status', op: 'in', value: ['refunded'] }, false],
    [{ path: 'tags[]', op: 'in', value: ['vip'] }, true],
    [{ path: 'status', op: 'exists' }, true],
    [{ path: 'note', op: 'exists' }, false],
    [{ path: 'missing', op: 'exists' }, false],
    [{ path: 'missing', op: 'exists', value: false }, true],
    [{ path: 'total', op: 'gt', value: 100 }, true],
    [{ path: 'total', op: 'gt', value: '199' }, false],
    [{ path: 'total', op: 'gte', value: '199' }, true],
    [{ path: 'count', op: 'lt', value: 3 }, false],
    [{ path: 'count', op: 'lte', value: 3 }, true],
    [{ path: 'status', op: 'gt', value: 0 }, false],
    [{ path: 'id', op: 'gt', value: '820982911946154507' }, true],
    [{ path: 'items[].price', op: 'gt', value: 200 }, true],
    [{ path: 'items[].price', op: 'lt', value: 1 }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('nests all and any', () => {
    const paidAndBig = { all: [{ path: 'status', op: 'eq', value: 'paid' }, { path: 'total', op: 'gt', value: 150 }] };
    const refundedOrVip = { any: [{ path: 'status', op: 'eq', value: 'refunded' }, { path: 'tags[]', op: 'eq', value: 'vip' }] };
    expect(matches({ all: [paidAndBig, refundedOrVip] })).toBe(true);
    expect(matches({ all: [paidAndBig, { any: [{ path: 'status', op: 'eq', value: 'refunded' }, { path: 'count', op: 'gt', value: 5 }] }] })).toBe(false);
    expect(matches({ any: [{ all: [{ path: 'status', op: 'eq', value: 'void' }] }, refundedOrVip] })).toBe(true);
  });

  it('skips a rejected event even when its unique id is missing, rather than failing it', () => {
    const sut = compileMapping({ uniqueId: { type: 'email', path: 'email' }, filter: { path: 'status', op: 'eq', value: 'refunded' } });
    const result = okResult(sut({ body }));
    expect(result).toEqual({ ok: true, matched: false, uniqueId: { type: 'email', value: '', path: 'email' }, variables: {}, variableSets: {} });
  });
});

describe('variables: "all"', () => {
  const body = loadPayload('shopify__orders_create.json');

  it('extracts every leaf of the body under the documented names', () => {
    const result = okResult(compileMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' })({ body }));
    const vars = result.variables;
    expect(vars['id']).toBe(ORDER_ID);
    expect(vars['customer_email']).toBe('john@example.com');
    expect(vars['customer_default_address_phone']).toBe('123-123-1234');
    expect(vars['line_items_price']).toEqual(['89.99', '19.99', '24.99', '159.99', '119.99']);
    expect(vars['line_items_price_set_shop_money_amount']).toEqual(['89.99', '19.99', '24.99', '159.99', '119.99']);
    expect(vars['payment_gateway_names']).toEqual(['visa', 'bogus']);
    expect(vars['note']).toBeNull();
    expect(vars).not.toHaveProperty('discount_codes'); // empty array: no value
    expect(vars).not.toHaveProperty('customer'); // containers are not variables
    expect(findBigints(result)).toEqual([]);
  });

  it('names exactly what resolveAllVariables names from the catalog of the same payload', () => {
    const result = okResult(compileMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' })({ body }));
    const catalog = catalogOf(addSample(emptyProfile(), body));
    const resolved = resolveAllVariables(catalog.variables);
    expect(new Set(Object.keys(result.variables))).toEqual(new Set(resolved.map((v) => v.name)));
    // and each name's catalog path selects the runtime value
    const first = resolved.find((v) => v.name === 'line_items_title')!;
    expect(first.path).toBe('line_items[].title');
  });
});

describe('compiled once, run many times', () => {
  it('is a pure, reusable function: same input → same output, inputs untouched, outputs not shared', () => {
    const definition: MappingDefinition = {
      uniqueId: { type: 'email', path: 'email' },
      variables: [{ name: 'tags', path: 'tags', type: 'json', default: ['none'] }, { name: 'total', path: 'total', type: 'number' }],
      variableSets: { products: { from: 'items[]', fields: { name: 'n' } } },
    };
    const sut = compileMapping(definition);
    definition.variables = 'all'; // changing the definition afterwards must not change the compiled mapping
    const a = deepFreeze({ body: { email: 'A@x.io', tags: ['t1'], total: '5', items: [{ n: 'one' }] } }) as MappingInput;
    const b = deepFreeze({ body: { email: 'b@x.io', total: 7, items: [] } }) as MappingInput;
    const first = okResult(sut(a));
    const second = okResult(sut(b));
    const third = okResult(sut(a));
    expect(first).toEqual(third);
    expect(first.variables).toEqual({ tags: ['t1'], total: 5 });
    expect(second.variables).toEqual({ tags: ['none'], total: 7 });
    expect(second.variableSets).toEqual({ products: [] });
    (second.variables['tags'] as string[]).push('mutated');
    expect(okResult(sut(b)).variables['tags']).toEqual(['none']);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('hostile keys', () => {
  it('reserves names that would touch a prototype', () => {
    expect(() => compileMapping({ uniqueId: { type: 'email', path: 'email' }, variables: [{ name: '__proto__', path: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID', problems: [expect.objectContaining({ pointer: '/variables/0/name', code: 'NOT_ALLOWED' })] }),
    );
  });

  it('keeps a "__proto__" key of a body as plain data under variables: "all"', () => {
    const body = JSON.parse('{"email":"a@b.io","__proto__":{"polluted":true}}') as JsonValue;
    const result = okResult(compileMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' })({ body }));
    expect(Object.getPrototypeOf(result.variables)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(result.variables, '__proto___polluted')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
