import { fixture } from '../test/fixtures';
import type { JsonValue } from './json';
import { formatParsedPath, formatPath, parsePath, PathSyntaxError, selectValue, selectValues, type PathSegment } from './path';

const key = (name: string): PathSegment => ({ kind: 'key', key: name });
const index = (at: number): PathSegment => ({ kind: 'index', index: at });
const each: PathSegment = { kind: 'each' };

function syntaxError(path: string): PathSyntaxError {
  try {
    parsePath(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) return error;
    throw error;
  }
  throw new Error(`'${path}' parsed, expected a PathSyntaxError`);
}

describe('parsePath', () => {
  it.each<[string, PathSegment[]]>([
    ['customer.email', [key('customer'), key('email')]],
    ['line_items[].price', [key('line_items'), each, key('price')]],
    ['line_items[0].title', [key('line_items'), index(0), key('title')]],
    ['["odd.key"].x', [key('odd.key'), key('x')]],
    ['a["b c"][2][]', [key('a'), key('b c'), index(2), each]],
    ['[].id', [each, key('id')]],
    ['[0]', [index(0)]],
    ['[][]', [each, each]],
    ['entry[].changes[].value.messages[].from', [key('entry'), each, key('changes'), each, key('value'), key('messages'), each, key('from')]],
    ['_links.self[].href', [key('_links'), key('self'), each, key('href')]],
    ['x-custom.123.a$b', [key('x-custom'), key('123'), key('a$b')]],
    ['[""]', [key('')]],
    ['["\\"quoted\\" \\\\ \\u00e9"]', [key('"quoted" \\ é')]],
  ])('%s', (text, segments) => {
    expect(parsePath(text)).toEqual({ root: 'body', segments });
  });

  it('reads $headers and $query roots', () => {
    expect(parsePath('$headers.x-shopify-topic')).toEqual({ root: 'headers', segments: [key('x-shopify-topic')] });
    expect(parsePath('$query.foo')).toEqual({ root: 'query', segments: [key('foo')] });
    expect(parsePath('$headers["X Odd"]')).toEqual({ root: 'headers', segments: [key('X Odd')] });
  });

  it.each<[string, number]>([
    ['', 0],
    ['a.', 2],
    ['a..b', 2],
    ['.a', 0],
    ['a[', 1],
    ['a[x]', 2],
    ['a[1', 3],
    ['a["b"', 5],
    ['a["b', 2],
    ['a["\\q"]', 2],
    ['a b', 1],
    ['a[0]b', 4],
    ['a.[0]', 2],
    ['$body.a', 0],
    ['$headers', 8],
    ['$headers.a.b', 10],
    ['$query[0]', 6],
    ["a['b']", 2],
  ])('rejects %j at position %i', (text, position) => {
    const error = syntaxError(text);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PathSyntaxError');
    expect(error.position).toBe(position);
    expect(error.path).toBe(text);
    expect(error.message).toContain(`position ${position}`);
  });
});

describe('formatPath', () => {
  it('writes canonical text, quoting keys that need it with JSON escaping', () => {
    expect(formatPath([key('customer'), key('email')])).toBe('customer.email');
    expect(formatPath([key('line_items'), each, key('price')])).toBe('line_items[].price');
    expect(formatPath([key('line_items'), index(0), key('title')])).toBe('line_items[0].title');
    expect(formatPath([key('odd.key'), key('x')])).toBe('["odd.key"].x');
    expect(formatPath([key('a'), key('say "hi"\n')])).toBe('a["say \\"hi\\"\\n"]');
    expect(formatPath([key('$headers')])).toBe('["$headers"]');
    expect(formatPath([key('c[d]')])).toBe('["c[d]"]');
    expect(formatPath([key('-x')])).toBe('["-x"]');
    expect(formatPath([key('名前'), key('x-y_z9')])).toBe('名前.x-y_z9');
    expect(formatPath([each, key('id')])).toBe('[].id');
    expect(formatPath([])).toBe('');
    expect(formatPath([key('X-Shopify-Topic')], 'headers')).toBe('$headers.X-Shopify-Topic');
    expect(formatParsedPath(parsePath('$query["a b"]'))).toBe('$query["a b"]');
  });

  it('round-trips: parsePath(formatPath(s)) is s, for awkward keys too', () => {
    const awkward = ['', ' ', '.', '[', ']', '[]', '"', "'", '\\', 'a.b', 'a[0]', '$x', '__x__', 'tab\there', 'ünï', '🎉', '\u2028', '0', '-', 'a-b', 'x y'];
    const segmentLists: PathSegment[][] = [];
    for (const one of awkward) {
      segmentLists.push([key(one)], [key('root'), key(one)], [key(one), each, key(one), index(3)], [each, key(one)]);
    }
    for (const segments of segmentLists) {
      const text = formatPath(segments);
      expect(parsePath(text)).toEqual({ root: 'body', segments });
      expect(formatPath(parsePath(text).segments)).toBe(text);
    }
  });

  it('canonicalises non-canonical spellings', () => {
    expect(formatPath(parsePath('["a"]["b"][01]').segments)).toBe('a.b[1]');
    expect(formatPath(parsePath('a.@type').segments)).toBe('a["@type"]');
  });
});

describe('selectValues / selectValue', () => {
  const order = fixture('shopify__orders_create.json');

  it('reaches keys, indexes and fans out over []', () => {
    expect(selectValues({ body: order }, 'email')).toEqual(['jon@example.com']);
    expect(selectValue({ body: order }, 'customer.id')).toBe(115310627314723954n);
    expect(selectValues({ body: order }, 'line_items[].title')).toEqual([
      'Aviator sunglasses',
      'Lens Protection Plan (2 Year)',
      'Premium Leather Case',
      'Mid-century lounger',
      'Coffee table',
    ]);
    expect(selectValues({ body: order }, 'line_items[].price')).toHaveLength(5);
    expect(selectValue({ body: order }, 'line_items[3].title')).toBe('Mid-century lounger');
    expect(selectValue({ body: order }, 'line_items[].title')).toBe('Aviator sunglasses');
  });

  it('fans out over nested arrays', () => {
    const whatsapp = fixture('whatsapp__messages_text.json');
    expect(selectValues({ body: whatsapp }, 'entry[].changes[].value.messages[].from')).toEqual(['16505551234']);
    const body: JsonValue = { a: [{ b: [1, 2] }, { b: [] }, { c: 1 }, { b: [3] }, 'x', null] };
    expect(selectValues({ body }, 'a[].b[]')).toEqual([1, 2, 3]);
    expect(selectValues({ body }, 'a[].b')).toEqual([[1, 2], [], [3]]);
    expect(selectValues({ body: [[1, [2]], [3]] }, '[][]')).toEqual([1, [2], 3]);
  });

  it('returns [] / undefined for absent paths, and keeps nulls that are present', () => {
    const body: JsonValue = { a: { b: null }, list: [1], s: 'str' };
    expect(selectValues({ body }, 'a.b')).toEqual([null]);
    expect(selectValue({ body }, 'a.b')).toBeNull();
    expect(selectValue({ body }, 'a.c')).toBeUndefined();
    expect(selectValues({ body }, 'a.b.c')).toEqual([]);
    expect(selectValues({ body }, 'list[5]')).toEqual([]);
    expect(selectValues({ body }, 'list.0')).toEqual([]);
    expect(selectValues({ body }, 's[]')).toEqual([]);
    expect(selectValues({ body }, 'a[]')).toEqual([]);
    expect(selectValues({ body }, 's.length')).toEqual([]);
  });

  it('never reaches inherited members', () => {
    const body: JsonValue = { a: {} };
    for (const path of ['toString', 'a.constructor', 'a.__proto__', 'hasOwnProperty', 'list.length']) {
      expect(selectValues({ body }, path)).toEqual([]);
    }
    expect(selectValue({ body: { list: [1, 2] } }, 'list.length')).toBeUndefined();
  });

  it('reads headers case-insensitively and the query exactly', () => {
    const input = { body: {}, headers: { 'X-Shopify-Topic': 'orders/create', 'content-type': 'application/json' }, query: { foo: '1', Foo: '2' } };
    expect(selectValue(input, '$headers.x-shopify-topic')).toBe('orders/create');
    expect(selectValue(input, '$headers.X-SHOPIFY-TOPIC')).toBe('orders/create');
    expect(selectValue(input, '$headers.Content-Type')).toBe('application/json');
    expect(selectValue(input, '$query.foo')).toBe('1');
    expect(selectValue(input, '$query.Foo')).toBe('2');
    expect(selectValue(input, '$query.FOO')).toBeUndefined();
    expect(selectValue({ body: {} }, '$headers.x')).toBeUndefined();
    expect(selectValues(input, '$headers.missing')).toEqual([]);
  });

  it('accepts a parsed path and does not confuse a body key "$headers" with the root', () => {
    const input = { body: { $headers: { a: 'body' } }, headers: { a: 'header' } };
    expect(selectValue(input, parsePath('["$headers"].a'))).toBe('body');
    expect(selectValue(input, '$headers.a')).toBe('header');
  });

  it('throws PathSyntaxError for a bad path string', () => {
    expect(() => selectValues({ body: {} }, 'a..b')).toThrow(PathSyntaxError);
  });
});
