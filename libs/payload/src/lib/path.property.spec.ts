// Properties of paths (fast-check): canonical text round-trips, the parser fails only with
// PathSyntaxError, and a path finds the value placed at it.
import * as fc from 'fast-check';
import { isJsonObject, setOwn, type JsonValue } from './json';
import { formatParsedPath, formatPath, parsePath, PathSyntaxError, selectValue, selectValues, type PathRoot, type PathSegment } from './path';

const RUNS = { numRuns: 200 };

// ---------------------------------------------------------------------------------------
// Arbitraries

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const pathChar = fc.constantFrom('.', '[', ']', '"', "'", '\\', ' ', '\t', '\n', '\u2028', '\u00a0', '$', '-', '_', '0', '9', 'a', 'Z', 'é', '名', '🎉', '\u0000');
/** Keys with dots, spaces, quotes, brackets, backslashes, unicode, controls, lone surrogates, or nothing at all. */
const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('id', 'email', 'line_items', 'x-shopify-topic', '$headers', '$query', '__proto__', 'constructor', 'toString', '-x', '0', '', 'a.b', 'a b', '["a"]', 'ünï'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.oneof(pathChar, loneSurrogate), maxLength: 8 }),
);
const segmentArb: fc.Arbitrary<PathSegment> = fc.oneof(
  { weight: 4, arbitrary: keyArb.map((key): PathSegment => ({ kind: 'key', key })) },
  { weight: 1, arbitrary: fc.oneof(fc.nat({ max: 20 }), fc.maxSafeNat()).map((index): PathSegment => ({ kind: 'index', index })) },
  { weight: 1, arbitrary: fc.constant<PathSegment>({ kind: 'each' }) },
);
const segmentsArb = fc.array(segmentArb, { minLength: 1, maxLength: 8 });

/** Text that looks like a path more often than random text does, to reach deep into the parser. */
const pathishArb = fc.string({
  unit: fc.oneof(pathChar, fc.constantFrom('$headers', '$query', '[]', '[0]', '["', '"]', '\\u00e9', '\\"', '[123456789012345678901234]')),
  maxLength: 16,
});

// ---------------------------------------------------------------------------------------

describe('formatPath / parsePath round trip', () => {
  it('parsePath(formatPath(segments)) gives the segments back, and formatPath is canonical', () => {
    fc.assert(
      fc.property(segmentsArb, (segments) => {
        const text = formatPath(segments);
        const parsed = parsePath(text);
        expect(parsed).toEqual({ root: 'body', segments });
        expect(formatPath(parsed.segments)).toBe(text);
      }),
      RUNS,
    );
  });

  it('also for $headers and $query paths (one name)', () => {
    fc.assert(
      fc.property(fc.constantFrom<PathRoot>('headers', 'query'), keyArb, (root, key) => {
        const text = formatPath([{ kind: 'key', key }], root);
        expect(parsePath(text)).toEqual({ root, segments: [{ kind: 'key', key }] });
        expect(formatParsedPath(parsePath(text))).toBe(text);
      }),
      RUNS,
    );
  });

  it('formatPath(s.concat(x)) is formatPath(s) plus the segment text', () => {
    fc.assert(
      fc.property(segmentsArb, segmentArb, (segments, next) => {
        const joined = formatPath([...segments, next]);
        expect(joined.startsWith(formatPath(segments))).toBe(true);
        expect(parsePath(joined).segments).toEqual([...segments, next]);
      }),
      RUNS,
    );
  });
});

describe('parsePath on arbitrary text', () => {
  const check = (text: string) => {
    let parsed;
    try {
      parsed = parsePath(text);
    } catch (error) {
      expect(error).toBeInstanceOf(PathSyntaxError);
      const syntax = error as PathSyntaxError;
      expect(syntax.path).toBe(text);
      expect(Number.isInteger(syntax.position)).toBe(true);
      expect(syntax.position).toBeGreaterThanOrEqual(0);
      expect(syntax.position).toBeLessThanOrEqual(text.length);
      return;
    }
    // whatever parses has a canonical spelling that parses to the same path
    expect(parsePath(formatParsedPath(parsed))).toEqual(parsed);
    expect(parsed.segments.length).toBeGreaterThan(0);
  };

  it('never throws anything but PathSyntaxError (any string)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), check), RUNS);
  });

  it('never throws anything but PathSyntaxError (path-like strings)', () => {
    fc.assert(fc.property(pathishArb, check), { numRuns: 500 });
  });

  it('a canonical path with one character changed still fails only with PathSyntaxError', () => {
    fc.assert(
      fc.property(segmentsArb, fc.nat(), pathChar, (segments, at, replacement) => {
        const text = formatPath(segments);
        const position = at % (text.length + 1);
        check(text.slice(0, position) + replacement + text.slice(position + 1));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------
// selectValues: build a body with a value at a path (and distractors around it)

const fillerArb: fc.Arbitrary<JsonValue> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 4 }));
const leafArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fillerArb,
  fc.double(),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
  fc.constant<JsonValue>({}),
  fc.constant<JsonValue>([]),
  fc.dictionary(fc.string({ maxLength: 3 }), fillerArb, { maxKeys: 3, noNullPrototype: true }),
);
/** Path segments without []: they reach one place. */
const placeArb = fc.array(
  fc.oneof({ weight: 3, arbitrary: keyArb.map((key): PathSegment => ({ kind: 'key', key })) }, { weight: 1, arbitrary: fc.nat({ max: 6 }).map((index): PathSegment => ({ kind: 'index', index })) }),
  { minLength: 1, maxLength: 6 },
);

interface Placement {
  segments: PathSegment[];
  value: JsonValue;
  siblings: Array<[string, JsonValue]>;
  fillers: JsonValue[];
  /** filler elements after ours (0: ours is the last element) */
  after: number;
}
const placementArb: fc.Arbitrary<Placement> = fc.record({
  segments: placeArb,
  value: leafArb,
  siblings: fc.array(fc.tuple(keyArb, fillerArb), { maxLength: 3 }),
  fillers: fc.array(fillerArb, { minLength: 1, maxLength: 4 }),
  after: fc.nat({ max: 3 }),
});

/** The body holding `value` at `segments`: objects get sibling keys, arrays get filler elements before and after. */
function place({ segments, value, siblings, fillers, after }: Placement, each = new Set<number>()): JsonValue {
  const build = (at: number): JsonValue => {
    if (at === segments.length) return value;
    const segment = segments[at]!;
    const inner = build(at + 1);
    if (segment.kind === 'key') {
      const object: Record<string, JsonValue> = {};
      for (const [key, filler] of siblings) if (key !== segment.key) setOwn(object, key, filler);
      setOwn(object, segment.key, inner);
      return object;
    }
    const index = segment.kind === 'index' ? segment.index : 0;
    if (each.has(at)) return [inner]; // [] fans out over every element: only ours
    const array: JsonValue[] = Array.from({ length: index }, (_, i) => fillers[i % fillers.length]!);
    array.push(inner, ...Array.from({ length: after }, (_, i) => fillers[i % fillers.length]!));
    return array;
  };
  return build(0);
}

describe('selectValues finds what was placed', () => {
  it('at a path of keys and indexes: exactly that value (same reference)', () => {
    fc.assert(
      fc.property(placementArb, (placement) => {
        const { segments, value } = placement;
        const body = place(placement);
        const found = selectValues({ body }, formatPath(segments));
        expect(found).toHaveLength(1);
        expect(Object.is(found[0], value)).toBe(true);
        expect(Object.is(selectValue({ body }, parsePath(formatPath(segments))), value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('with [] in place of some indexes: the value, once per element reached', () => {
    fc.assert(
      fc.property(placementArb, fc.array(fc.boolean(), { maxLength: 6 }), (placement, flags) => {
        const { segments, value } = placement;
        // index segments turned into [] hold a single element, so the value is found exactly once
        const each = new Set(segments.flatMap((segment, at) => (segment.kind === 'index' && flags[at] ? [at] : [])));
        const body = place(placement, each);
        const path = segments.map((segment, at): PathSegment => (each.has(at) ? { kind: 'each' } : segment));
        const found = selectValues({ body }, formatPath(path));
        expect(found).toHaveLength(1);
        expect(Object.is(found[0], value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a key that was not placed finds nothing, inherited members included', () => {
    fc.assert(
      fc.property(placementArb, keyArb, (placement, other) => {
        const { segments, siblings } = placement;
        const body = place(placement);
        const first = segments[0]!;
        fc.pre(!(first.kind === 'key' && first.key === other) && !siblings.some(([key]) => key === other));
        // the body is an object when the path starts with a key, else an array (keys never match arrays)
        expect(isJsonObject(body) || Array.isArray(body)).toBe(true);
        expect(selectValues({ body }, formatPath([{ kind: 'key', key: other }]))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('$headers finds a header whatever the case of its name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), fc.string(), fc.array(fc.boolean(), { maxLength: 22 }), (name, value, upper) => {
        const spelled = [...name].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join('');
        expect(selectValue({ body: {}, headers: { [name]: value } }, formatPath([{ kind: 'key', key: spelled }], 'headers'))).toBe(value);
      }),
      RUNS,
    );
  });
});
