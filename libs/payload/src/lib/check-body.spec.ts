// checkBody (the edge's fast check) must accept exactly what parseBody accepts, and refuse
// the rest with the same code and message: a body the edge lets through that a consumer then
// cannot parse would be dead-lettered instead of refused with 400.
import * as fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { FIXTURES_DIR, fixtureBytes } from '@hookline/testing';
import { PayloadError } from './errors';
import { checkBody, parseBody } from './parse-body';

type Outcome = 'ok' | { code: string; message: string } | { other: string };

function outcome(run: () => unknown): Outcome {
  try {
    run();
    return 'ok';
  } catch (error) {
    return error instanceof PayloadError ? { code: error.code, message: error.message } : { other: String(error) };
  }
}

function expectSameVerdict(body: string | Buffer, contentType = 'application/json', maxDepth?: number): void {
  const options = maxDepth === undefined ? {} : { maxDepth };
  expect(outcome(() => checkBody(body, contentType, options))).toEqual(outcome(() => parseBody(body, contentType, options)));
}

const RUNS = { numRuns: 500 };
// Text that is JSON-like more often than random text is: brackets, quotes, escapes, numbers at the edges of double range.
const jsonishArb = fc.string({
  unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\\', '\\u0000', '\\ud800', '1', '-', '.', 'e', '1e400', '-1e400', '1e-400', '0', '00', 'true', 'null', 'nul', '"__proto__"', '"constructor"', '"a"', '\n', '\t', '\u2028', '\u0001', 'é', '\ufeff'),
  maxLength: 40,
});

describe('checkBody', () => {
  it('accepts every real webhook fixture that parseBody accepts', () => {
    for (const name of readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json'))) {
      expect(outcome(() => checkBody(fixtureBytes(name), 'application/json'))).toBe('ok');
    }
  });

  it.each([
    ['malformed', '{"id": 1,'],
    ['empty', '  \n'],
    ['forbidden key at depth', '{"a": [{"b": {"__proto__": {"admin": true}}}]}'],
    ['constructor key', '{"constructor": 1}'],
    ['number out of range', '{"total": 1e400}'],
    ['negative number out of range', '[-1e999]'],
    ['underflow is fine', '[1e-400]'],
    ['too deep', `${'['.repeat(40)}${']'.repeat(40)}`],
    ['exactly at the limit', `${'['.repeat(32)}${']'.repeat(32)}`],
    ['too deep in a large body', `${'['.repeat(40)}${' '.repeat(70_000)}${']'.repeat(40)}`],
    ['hostile depth, unterminated', '['.repeat(200_000)],
    ['hostile depth in a small body', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`],
    ['duplicate keys (the last wins)', '{"a": 1, "a": 2}'],
    ['top-level scalar', '42'],
    ['a BOM', '\ufeff{"a":1}'],
    ['big integer', '{"id": 820982911946154508}'],
    ['lone surrogate escape', '{"a": "\\ud800"}'],
  ])('gives the verdict of parseBody for %s', (_name, body) => {
    expectSameVerdict(body);
  });

  it('gives the verdict of parseBody for invalid UTF-8, form bodies and other content types', () => {
    expectSameVerdict(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expectSameVerdict('a=1&a=2&b[__proto__]=x', 'application/x-www-form-urlencoded');
    expectSameVerdict('a=1&b=2', 'application/x-www-form-urlencoded; charset=utf-8');
    expectSameVerdict('<order/>', 'application/xml');
    expectSameVerdict('{"a":1}', 'application/vnd.api+json');
    expectSameVerdict('{"a":1}', '');
  });

  it('agrees with parseBody on any JSON value, at any depth limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 8 }), (value, maxDepth) => expectSameVerdict(JSON.stringify(value), 'application/json', maxDepth)),
      RUNS,
    );
  });

  it('agrees with parseBody on JSON-like text, valid or not', () => {
    fc.assert(fc.property(jsonishArb, (text) => expectSameVerdict(text)), { numRuns: 3000 });
  });

  it('returns the body decoded once, byte for byte, BOM included', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes('shopify__orders_create.json')]);
    const text = checkBody(bytes, 'application/json');
    expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
    expect(checkBody('a=1&b=%C3%A9', 'application/x-www-form-urlencoded')).toBe('a=1&b=%C3%A9');
  });
});
