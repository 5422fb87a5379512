import { PayloadError, type PayloadErrorCode } from './errors';
import { stringifyLossless, type JsonValue } from './json';
import { parseBody } from './parse-body';
import { rawFixture } from '../test/fixtures';

type Obj = Record<string, JsonValue>;

function errorOf(run: () => unknown): PayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw new Error(`expected a PayloadError, got ${String(error)}`);
  }
  throw new Error('expected a PayloadError, nothing was thrown');
}

function expectCode(run: () => unknown, code: PayloadErrorCode): PayloadError {
  const error = errorOf(run);
  expect(error.code).toBe(code);
  return error;
}

describe('parseBody: JSON', () => {
  const raw = rawFixture('shopify__orders_create.json');
  const order = parseBody(raw, 'application/json') as Obj;

  it('keeps every digit of 64-bit ids as bigint (shopify__orders_create.json)', () => {
    expect(raw.toString('utf8')).toContain('"id": 820982911946154508,');
    expect(order.id).toBe(820982911946154508n);
    expect((order.customer as Obj).id).toBe(115310627314723954n);
    expect(((order.line_items as Obj[])[0] as Obj).id).toBe(487817672276298554n);
    // JSON.parse would have rounded it
    expect(String((JSON.parse(raw.toString('utf8')) as { id: number }).id)).not.toBe('820982911946154508');
  });

  it('keeps small numbers as numbers and strings as strings', () => {
    expect(order.number).toBe(234);
    expect(order.total_price).toBe('404.95');
    expect(order.email).toBe('jon@example.com');
    expect(order.buyer_accepts_marketing).toBe(true);
    expect(order.app_id).toBeNull();
  });

  it('round-trips through stringifyLossless without losing digits', () => {
    const again = parseBody(stringifyLossless(order), 'application/json');
    expect(again).toEqual(order);
    expect(stringifyLossless(order)).toContain('"id":820982911946154508,');
  });

  it('draws the bigint line at the safe-integer range', () => {
    const parsed = parseBody('[9007199254740991, 9007199254740992, -9007199254740991, -9007199254740993, 1.5, 1e3, 12345678901234567890.5]', undefined) as JsonValue[];
    expect(parsed).toEqual([9007199254740991, 9007199254740992n, -9007199254740991, -9007199254740993n, 1.5, 1000, 12345678901234567000]);
    expect(typeof parsed[4]).toBe('number');
    expect(typeof parsed[6]).toBe('number'); // a non-integer stays a (rounded) number
  });

  it('accepts a top-level array and top-level scalars', () => {
    expect(parseBody('[{"a":1},{"a":2}]', 'application/json')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseBody('"hello"', 'application/json')).toBe('hello');
    expect(parseBody('42', 'application/json')).toBe(42);
    expect(parseBody('null', 'application/json')).toBeNull();
    expect(parseBody(' false ', 'application/json')).toBe(false);
  });

  it('accepts +json types, ignores parameters and case, and tries JSON without a content type', () => {
    expect(parseBody('{"a":1}', 'application/vnd.api+json')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'application/merge-patch+json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'Application/JSON; Charset=UTF-8')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', undefined)).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', '')).toEqual({ a: 1 });
  });

  it('decodes UTF-8 and drops a byte-order mark', () => {
    expect(parseBody(Buffer.from('\uFEFF{"name":"Zoë 🎉"}', 'utf8'), 'application/json')).toEqual({ name: 'Zoë 🎉' });
    expect(parseBody('\uFEFF{"a":1}', 'application/json')).toEqual({ a: 1 });
  });

  it('lets the last of duplicate keys win, like JSON.parse', () => {
    expect(parseBody('{"a":1,"a":2}', 'application/json')).toEqual({ a: 2 });
  });
});

describe('parseBody: form-urlencoded', () => {
  it('parses the Twilio voice webhook into strings', () => {
    const body = parseBody(rawFixture('twilio__voice_incoming_call.txt'), 'application/x-www-form-urlencoded');
    expect(body).toEqual({
      CallSid: 'CA1234567890ABCDE',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
      Caller: '+14158675309',
    });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
  });

  it('collects repeated keys into arrays and keeps bracket keys flat', () => {
    expect(parseBody('a=1&b=x+y&a=2&c%5Bd%5D=3&e[]=4&e[]=5&empty=&flag', 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      a: ['1', '2'],
      b: 'x y',
      'c[d]': '3',
      'e[]': ['4', '5'],
      empty: '',
      flag: '',
    });
  });
});

describe('parseBody: errors', () => {
  it('EMPTY_BODY for an empty or blank body', () => {
    expectCode(() => parseBody('', 'application/json'), 'EMPTY_BODY');
    expectCode(() => parseBody(Buffer.alloc(0), undefined), 'EMPTY_BODY');
    expectCode(() => parseBody(' \n\t', 'application/json'), 'EMPTY_BODY');
    expectCode(() => parseBody('', 'application/x-www-form-urlencoded'), 'EMPTY_BODY');
  });

  it('MALFORMED_JSON for bad JSON, with the parser\'s position', () => {
    const error = expectCode(() => parseBody('{"a":1,}', 'application/json'), 'MALFORMED_JSON');
    expect(error.message).toMatch(/position \d+/);
    expectCode(() => parseBody('{"a":1} trailing', 'application/json'), 'MALFORMED_JSON');
    expectCode(() => parseBody('a=1', undefined), 'MALFORMED_JSON');
    expectCode(() => parseBody("{'a':1}", 'application/json'), 'MALFORMED_JSON');
    expectCode(() => parseBody('[1e400]', 'application/json'), 'MALFORMED_JSON');
    expectCode(() => parseBody(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'), 'MALFORMED_JSON');
  });

  it('UNSUPPORTED_MEDIA_TYPE for anything but JSON and form', () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'text/json+xml', 'application/jsonp']) {
      expectCode(() => parseBody('{"a":1}', type), 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('NESTING_TOO_DEEP beyond maxDepth (default 32), saying where', () => {
    const nest = (levels: number) => '{"a":'.repeat(levels - 1) + '[1]' + '}'.repeat(levels - 1);
    expect(() => parseBody(nest(32), 'application/json')).not.toThrow();
    const error = expectCode(() => parseBody(nest(33), 'application/json'), 'NESTING_TOO_DEEP');
    expect(error.pointer).toBe('/a'.repeat(32));
    expect(error.message).toContain('/a/a/a');

    const custom = expectCode(() => parseBody('{"x":[0,{"y~/":[[]]}]}', 'application/json', { maxDepth: 3 }), 'NESTING_TOO_DEEP');
    expect(custom.pointer).toBe('/x/1/y~0~1');
    expect(parseBody('{"x":[0,{"y":1}]}', 'application/json', { maxDepth: 3 })).toEqual({ x: [0, { y: 1 }] });
  });

  it('does not count brackets inside strings as nesting', () => {
    expect(parseBody(`{"a":"${'['.repeat(100)}\\"{{{"}`, 'application/json', { maxDepth: 1 })).toEqual({ a: `${'['.repeat(100)}"{{{` });
  });

  it('rejects hostile nesting without blowing the stack', () => {
    const hostile = '['.repeat(200_000) + ']'.repeat(200_000);
    expectCode(() => parseBody(hostile, 'application/json'), 'NESTING_TOO_DEEP');
  });
});

describe('parseBody: prototype pollution', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects __proto__, constructor and prototype keys anywhere in JSON', () => {
    const top = expectCode(() => parseBody('{"__proto__":{"polluted":true}}', 'application/json'), 'FORBIDDEN_KEY');
    expect(top.pointer).toBe('/__proto__');
    const nested = expectCode(() => parseBody('{"a":[{"b":{"constructor":{"prototype":{"polluted":true}}}}]}', 'application/json'), 'FORBIDDEN_KEY');
    expect(nested.pointer).toBe('/a/0/b/constructor');
    expect(nested.message).toContain('/a/0/b/constructor');
    expectCode(() => parseBody('[{"prototype":1}]', 'application/json'), 'FORBIDDEN_KEY');
    expectCode(() => parseBody('{"a":1,"\\u005f_proto__":{"polluted":1}}', 'application/json'), 'FORBIDDEN_KEY');
  });

  it('rejects them in form keys, also as bracket parts', () => {
    expectCode(() => parseBody('__proto__[polluted]=1', 'application/x-www-form-urlencoded'), 'FORBIDDEN_KEY');
    expectCode(() => parseBody('a=1&constructor=2', 'application/x-www-form-urlencoded'), 'FORBIDDEN_KEY');
    expectCode(() => parseBody('a[prototype][polluted]=1', 'application/x-www-form-urlencoded'), 'FORBIDDEN_KEY');
    expectCode(() => parseBody('%5F%5Fproto%5F%5F=1', 'application/x-www-form-urlencoded'), 'FORBIDDEN_KEY');
  });

  it('still allows keys that merely contain those words', () => {
    expect(parseBody('{"constructor_name":"x","my_prototype":1,"proto":2}', 'application/json')).toEqual({ constructor_name: 'x', my_prototype: 1, proto: 2 });
  });

  it('returns ordinary objects whose members are all own data', () => {
    const body = parseBody('{"toString":"x","hasOwnProperty":1}', 'application/json') as Obj;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.toString).toBe('x');
    expect(Object.keys(body)).toEqual(['toString', 'hasOwnProperty']);
  });
});

describe('PayloadError', () => {
  it('is an Error with a code', () => {
    const error = new PayloadError('EMPTY_BODY', 'the body is empty');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PayloadError);
    expect(error.name).toBe('PayloadError');
    expect(error.code).toBe('EMPTY_BODY');
    expect(error.message).toBe('the body is empty');
  });
});
