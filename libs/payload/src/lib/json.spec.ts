import { jsonPointer, jsonTypeOf, stringifyLossless, toJsonSafe, type JsonValue } from './json';

describe('toJsonSafe', () => {
  it('turns every bigint into its decimal string, recursively, and leaves the rest alone', () => {
    const value: JsonValue = { id: 820982911946154508n, n: 1.5, list: [1, -9007199254740993n, { deep: 2n ** 70n }], s: 'x', b: true, z: null };
    expect(toJsonSafe(value)).toEqual({
      id: '820982911946154508',
      n: 1.5,
      list: [1, '-9007199254740993', { deep: '1180591620717411303424' }],
      s: 'x',
      b: true,
      z: null,
    });
    // and JSON.stringify can now handle it
    expect(() => JSON.stringify(toJsonSafe(value))).not.toThrow();
    expect(() => JSON.stringify(value)).toThrow(TypeError);
  });

  it('does not let a __proto__ key change the copy\'s prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    const copy = toJsonSafe(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('stringifyLossless', () => {
  it('writes bigints as bare digits', () => {
    expect(stringifyLossless({ id: 820982911946154508n, a: [1, 2.5, 'x"y', null, false] })).toBe('{"id":820982911946154508,"a":[1,2.5,"x\\"y",null,false]}');
  });

  it('matches JSON.stringify when there are no bigints', () => {
    const value = { a: { b: [1, { c: 'é\n' }] }, d: -0.25, e: 1e21 };
    expect(stringifyLossless(value)).toBe(JSON.stringify(value));
  });

  it('writes non-finite numbers as null', () => {
    expect(stringifyLossless([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]');
  });
});

describe('jsonTypeOf and jsonPointer', () => {
  it('names types the catalog way', () => {
    expect([null, true, 1, 1.5, 3n, 's', [], {}].map((value) => jsonTypeOf(value as JsonValue))).toEqual([
      'null',
      'boolean',
      'integer',
      'number',
      'integer',
      'string',
      'array',
      'object',
    ]);
  });

  it('escapes ~ and / (RFC 6901)', () => {
    expect(jsonPointer(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
    expect(jsonPointer([])).toBe('');
  });
});
