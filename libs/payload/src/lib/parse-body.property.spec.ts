// parseBody takes the native JSON.parse whenever it gives what the lossless parser gives.
// These properties hold it to that: for any body, the value (bigints, -0, decimals, key
// order) or the error is exactly the lossless parser's.
import * as fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { parse as parseLossless } from 'lossless-json';
import { FIXTURES_DIR, fixtureBytes } from '@hookline/testing';
import { PayloadError } from './errors';
import { parseBody } from './parse-body';

/** The reference: the lossless parser alone, with parseBody's number rule (safe integers as numbers, the others as bigint). */
function reference(text: string): unknown {
  return parseLossless(text, null, {
    parseNumber: (literal: string) => {
      if (/^-?\d+$/.test(literal)) {
        const n = Number(literal);
        return Number.isSafeInteger(n) ? n : BigInt(literal);
      }
      const n = Number(literal);
      if (!Number.isFinite(n)) throw new Error('out of range');
      return n;
    },
    onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
  });
}

type Outcome = { value: unknown } | { code: string; message: string } | { other: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return error instanceof PayloadError ? { code: error.code, message: error.message } : { other: String(error) };
  }
}

/** Object.is on every leaf (so -0 and 0 differ), key order included. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (a === null || b === null || typeof a !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Numbers as a webhook may write them: big and small integers at the edges of the safe range, decimals, exponents, -0. */
const numberLiteral = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740993', '820982911946154508', '-0', '0', '1.0', '1e20', '1E+2', '12345678901234567.5', '0.1', '5e-324', '1.7976931348623157e308'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);
/** JSON texts whose number literals are written out (JSON.stringify would round the big ones). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    numberLiteral,
    fc.string().map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('id', 'a', '__proto__', 'constructor')), tie('value')), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

function expectLossless(text: string, maxDepth?: number): void {
  const got = outcome(() => parseBody(text, 'application/json', maxDepth === undefined ? {} : { maxDepth }));
  const ref = outcome(() => reference(text));
  if ('value' in ref && 'value' in got) {
    expect(same(got.value, ref.value)).toBe(true);
    return;
  }
  // The reference refuses (out of range) or parseBody refuses (forbidden key, depth): parseBody's error is then the lossless path's.
  expect('value' in got).toBe(false);
}

describe('parseBody: the fast path is the lossless parse', () => {
  it('gives every real webhook fixture exactly the lossless value (the Shopify ids as bigint)', () => {
    for (const name of readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json'))) {
      const text = fixtureBytes(name).toString('utf8');
      expect(same(parseBody(text, 'application/json'), reference(text.replace(/^\uFEFF/, '')))).toBe(true);
    }
    const order = parseBody(fixtureBytes('shopify__orders_create.json'), 'application/json') as { id: unknown };
    expect(order.id).toBe(820982911946154508n);
  });

  it('gives any JSON text the lossless value or the lossless error', () => {
    fc.assert(fc.property(jsonText, (text) => expectLossless(text)), { numRuns: 3000 });
  });

  it('keeps the depth limit and its error whichever parser reads the body', () => {
    fc.assert(
      fc.property(jsonText, fc.integer({ min: 1, max: 4 }), (text, maxDepth) => {
        const fast = outcome(() => parseBody(text, 'application/json', { maxDepth }));
        if (!('value' in fast)) return;
        expect(same(fast.value, reference(text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps bigints, -0 and refusals at the edges', () => {
    expect(parseBody('{"a":9007199254740992,"b":9007199254740991,"c":-0,"d":1e20}', 'application/json')).toEqual({ a: 9007199254740992n, b: 9007199254740991, c: -0, d: 1e20 });
    expect(Object.is((parseBody('[-0]', 'application/json') as number[])[0], -0)).toBe(true);
    expect(() => parseBody('{"n":1e400}', 'application/json')).toThrow(expect.objectContaining({ code: 'MALFORMED_JSON' }));
    expect(() => parseBody('{"a":{"__proto__":1}}', 'application/json')).toThrow(expect.objectContaining({ code: 'FORBIDDEN_KEY', message: "forbidden key '__proto__' at '/a/__proto__'" }));
  });
});
