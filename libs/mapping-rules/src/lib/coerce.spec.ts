import { coerceValue } from './coerce';
import type { VariableType } from './mapping-definition';

const coerce = (type: VariableType, value: unknown, defaultCountry?: string) => {
  const r = coerceValue(type, value as never, { defaultCountry });
  return r.ok ? r.value : Symbol.for('invalid');
};
const INVALID = Symbol.for('invalid');

describe('coerceValue', () => {
  it.each([
    ['199.00', 199],
    [' -12.5 ', -12.5],
    ['1e3', 1000],
    ['.5', 0.5],
    [42, 42],
    ['9007199254740993', 9007199254740993n], // beyond 2^53: kept exact as bigint
    [18446744073709551615n, 18446744073709551615n],
    ['', null],
    [null, null],
    ['1,299.00', INVALID],
    ['0x10', INVALID],
    ['Infinity', INVALID],
    ['1e999', INVALID],
    [true, INVALID],
    [{ a: 1 }, INVALID],
  ])('number: %p → %p', (input, expected) => {
    expect(coerce('number', input)).toEqual(expected);
  });

  it.each([
    ['42', 42],
    ['42.000', 42],
    [7, 7],
    ['1e2', 100],
    [820982911946154508n, 820982911946154508n],
    ['820982911946154508', 820982911946154508n],
    ['4.5', INVALID],
    [4.5, INVALID],
    ['four', INVALID],
  ])('integer: %p → %p', (input, expected) => {
    expect(coerce('integer', input)).toEqual(expected);
  });

  it.each([
    ['true', true],
    [' FALSE ', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    [1, true],
    [0, false],
    [true, true],
    ['maybe', INVALID],
    [2, INVALID],
  ])('boolean: %p → %p', (input, expected) => {
    expect(coerce('boolean', input)).toEqual(expected);
  });

  it.each([
    ['2021-12-31T19:00:00-05:00', '2022-01-01T00:00:00.000Z'],
    ['2024-03-05T10:00:00+0530', '2024-03-05T04:30:00.000Z'],
    ['2017-03-22T16:28:02', '2017-03-22T16:28:02.000Z'], // no offset: UTC, never the server's zone
    ['2017-03-22 16:28:02.123456Z', '2017-03-22T16:28:02.123Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    [1680000000, '2023-03-28T10:40:00.000Z'], // epoch seconds (Stripe)
    [1680000000123, '2023-03-28T10:40:00.123Z'], // epoch milliseconds
    ['1680000000', '2023-03-28T10:40:00.000Z'],
    ['2023-02-29', INVALID],
    ['2021-13-01', INVALID],
    ['2021-12-31T25:00:00Z', INVALID],
    ['yesterday', INVALID],
    ['20211231', INVALID],
    [true, INVALID],
  ])('datetime: %p → %p', (input, expected) => {
    expect(coerce('datetime', input)).toEqual(expected);
  });

  it.each([
    [12.5, '12.5'],
    [1e21, '1000000000000000000000'],
    [820982911946154508n, '820982911946154508'],
    [false, 'false'],
    ['  kept as is ', '  kept as is '],
    ['', ''],
    [{ a: 1 }, INVALID],
  ])('string: %p → %p', (input, expected) => {
    expect(coerce('string', input)).toEqual(expected);
  });

  it('url: absolute http(s) only', () => {
    expect(coerce('url', ' https://shop.example.com/p/1?x=2 ')).toBe('https://shop.example.com/p/1?x=2');
    expect(coerce('url', 'http://x.io')).toBe('http://x.io');
    expect(coerce('url', 'javascript:alert(1)')).toBe(INVALID);
    expect(coerce('url', 'aviator-sunglasses')).toBe(INVALID);
    expect(coerce('url', '/relative/path')).toBe(INVALID);
  });

  it('email and phone normalise like unique ids', () => {
    expect(coerce('email', ' Jon@Example.com ')).toBe('jon@example.com');
    expect(coerce('email', 'jon')).toBe(INVALID);
    expect(coerce('phone', '98765 43210', 'IN')).toBe('+919876543210');
    expect(coerce('phone', '98765 43210')).toBe(INVALID);
  });

  it('json keeps the value as is; other types apply to each array element', () => {
    const value = { a: [1, 'x', null], b: 1n };
    expect(coerce('json', value)).toBe(value);
    expect(coerce('number', ['1', 2, null, '3.5'])).toEqual([1, 2, null, 3.5]);
    expect(coerce('number', ['1', 'x'])).toBe(INVALID);
    expect(coerceValue('number', ['1', 'x'])).toEqual({ ok: false, reason: expect.stringMatching(/^element 1: /) });
  });
});
