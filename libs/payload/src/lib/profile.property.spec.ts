// Properties of the discovery profile (fast-check): merging is order-independent, merging
// nothing changes nothing, addSample is a merge, presence is a share, and every leaf of a
// sample is in the catalog. Samples are random JSON values of random nested shapes (keys
// drawn mostly from a small pool, so samples overlap and conflict) and subsets of the real
// fixtures.
import * as fc from 'fast-check';
import { fixture, fixtureNames } from '../test/fixtures';
import { catalogOf } from './catalog';
import type { JsonValue } from './json';
import { formatPath, type PathSegment } from './path';
import { addSample, emptyProfile, MAX_PROFILE_DEPTH, MAX_PROFILE_KEY_LENGTH, mergeProfiles, type SchemaProfile } from './profile';

const RUNS = { numRuns: 40 };

// ---------------------------------------------------------------------------------------
// Arbitraries

const KEY_POOL = [
  'id',
  'email',
  'phone',
  'name',
  'price',
  'total_price',
  'created_at',
  'line_items',
  'customer',
  'items',
  'a',
  'b',
  'odd.key',
  'with space',
  'quote"d',
  '[x]',
  '$dollar',
  'ünï',
  '名前',
  '🎉',
  '-dash',
  '0',
  '',
  'k'.repeat(MAX_PROFILE_KEY_LENGTH + 1), // skipped by the profile (and marks it truncated)
];
const keyArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEY_POOL) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });

const STRING_POOL = [
  'jon@example.com',
  '+919876543210',
  '(555) 555-5555',
  '2024-05-01T10:00:00Z',
  '2024-05-01',
  'https://example.com/x',
  '199.00',
  'USD',
  '6a1f0c52-4a55-4e84-9d1a-58c0a5f3a5e1',
  '',
  'x'.repeat(250), // longer than the example cap
];
const scalarArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }), fc.bigInt({ min: -(2n ** 70n), max: -(2n ** 53n) })),
  fc.constantFrom(...STRING_POOL),
  fc.string({ maxLength: 8 }),
);

const { json: jsonArb } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('json'), { maxKeys: 5, noNullPrototype: true }),
  ),
}));
/** Mostly objects at the top, like webhook bodies; sometimes an array or a scalar. */
const bodyArb: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(keyArb, jsonArb, { maxKeys: 6, noNullPrototype: true }) },
  { weight: 1, arbitrary: jsonArb },
);

const FIXTURES: JsonValue[] = fixtureNames().map(fixture);
const observedAtArb = fc.option(
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  { nil: undefined },
);

interface Sample {
  body: JsonValue;
  observedAt: string | undefined;
}
const sampleArb: fc.Arbitrary<Sample> = fc.record({
  body: fc.oneof({ weight: 3, arbitrary: bodyArb }, { weight: 1, arbitrary: fc.constantFrom(...FIXTURES) }),
  observedAt: observedAtArb,
});
/** Random samples plus a random subset of the fixtures. */
const samplesArb: fc.Arbitrary<Sample[]> = fc
  .tuple(fc.array(sampleArb, { maxLength: 5 }), fc.subarray(FIXTURES, { maxLength: 4 }), observedAtArb)
  .map(([random, fixtures, observedAt]) => [...random, ...fixtures.map((body) => ({ body, observedAt }))]);

/**
 * Deep equality, fast: canonical JSON (object keys sorted) compared as text; only on a
 * mismatch does Jest's (slow, but readable) toEqual run to show the difference.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
function expectSame(actual: unknown, expected: unknown): void {
  if (canonical(actual) !== canonical(expected)) expect(actual).toEqual(expected);
}

const add = (profile: SchemaProfile, sample: Sample): SchemaProfile =>
  addSample(profile, sample.body, sample.observedAt === undefined ? {} : { observedAt: sample.observedAt });
const profileOf = (samples: Sample[]): SchemaProfile => samples.reduce(add, emptyProfile());

/**
 * A random way of combining the samples: shuffle them (by sort keys), cut the shuffled list
 * into groups, fold each group with addSample, then merge the groups pairwise in a random
 * tree shape and argument order.
 */
function combine(samples: Sample[], sortKeys: number[], cuts: boolean[], picks: number[]): SchemaProfile {
  const order = samples.map((sample, index) => ({ sample, key: sortKeys[index % sortKeys.length] ?? 0, index }));
  order.sort((x, y) => x.key - y.key || x.index - y.index);
  const groups: Sample[][] = [[]];
  order.forEach(({ sample }, index) => {
    groups[groups.length - 1]!.push(sample);
    if (cuts[index % Math.max(1, cuts.length)]) groups.push([]);
  });
  let profiles = groups.map(profileOf);
  let step = 0;
  while (profiles.length > 1) {
    const pick = picks.length === 0 ? 0 : picks[step++ % picks.length]!;
    const at = pick % (profiles.length - 1);
    const [left, right] = [profiles[at]!, profiles[at + 1]!];
    const merged = pick % 2 === 0 ? mergeProfiles(left, right) : mergeProfiles(right, left);
    profiles = [...profiles.slice(0, at), merged, ...profiles.slice(at + 2)];
  }
  return profiles[0] ?? emptyProfile();
}

/** Segments of the leaves (scalars and empty containers) of a value, within the profile's depth and key caps. */
function leaves(value: JsonValue, segments: PathSegment[] = []): PathSegment[][] {
  if (segments.length >= MAX_PROFILE_DEPTH) return [segments];
  if (Array.isArray(value)) {
    if (value.length === 0) return [segments];
    return value.flatMap((element) => leaves(element, [...segments, { kind: 'each' }]));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => key.length <= MAX_PROFILE_KEY_LENGTH);
    if (keys.length === 0) return [segments];
    return keys.flatMap((key) => leaves(value[key]!, [...segments, { kind: 'key', key }]));
  }
  return [segments];
}
const leafPaths = (value: JsonValue): string[] => leaves(value).map((segments) => formatPath(segments));
/** Every path from the body to a leaf: the leaves and their containers, without the body itself. */
const allPaths = (value: JsonValue): string[] => leaves(value).flatMap((segments) => segments.map((_, end) => formatPath(segments.slice(0, end + 1))));

// ---------------------------------------------------------------------------------------

describe('mergeProfiles: order independence', () => {
  it('any permutation and grouping of the samples gives the same profile and catalog', () => {
    fc.assert(
      fc.property(
        samplesArb,
        fc.array(fc.integer(), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (samples, sortKeys, cuts, picks) => {
          const reference = profileOf(samples);
          const combined = combine(samples, sortKeys, cuts, picks);
          expectSame(catalogOf(combined), catalogOf(reference));
          expectSame(combined, reference);
          expect(combined.sampleCount).toBe(samples.length);
        },
      ),
      RUNS,
    );
  });

  it('merge is commutative and associative on arbitrary profiles', () => {
    fc.assert(
      fc.property(samplesArb, samplesArb, samplesArb, (as, bs, cs) => {
        const [a, b, c] = [profileOf(as), profileOf(bs), profileOf(cs)];
        expectSame(mergeProfiles(a, b), mergeProfiles(b, a));
        expectSame(catalogOf(mergeProfiles(a, mergeProfiles(b, c))), catalogOf(mergeProfiles(mergeProfiles(a, b), c)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('mergeProfiles: idempotence', () => {
  it('merging the profile of an empty list of samples changes nothing (on either side)', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const profile = profileOf(samples);
        const nothing = profileOf([]);
        expectSame(mergeProfiles(profile, nothing), profile);
        expectSame(mergeProfiles(nothing, profile), profile);
        expectSame(catalogOf(mergeProfiles(profile, nothing)), catalogOf(profile));
      }),
      RUNS,
    );
  });

  it('addSample(p, s) is mergeProfiles(p, addSample(emptyProfile(), s))', () => {
    fc.assert(
      fc.property(samplesArb, sampleArb, (samples, sample) => {
        const profile = profileOf(samples);
        const direct = add(profile, sample);
        const merged = mergeProfiles(profile, add(emptyProfile(), sample));
        expectSame(catalogOf(direct), catalogOf(merged));
        expectSame(direct, merged);
      }),
      RUNS,
    );
  });

  it('addSample and mergeProfiles do not change their inputs', () => {
    fc.assert(
      fc.property(samplesArb, sampleArb, (samples, sample) => {
        const profile = profileOf(samples);
        const single = add(emptyProfile(), sample);
        const before = JSON.stringify([profile, single]);
        add(profile, sample);
        mergeProfiles(profile, single);
        mergeProfiles(single, profile);
        expect(JSON.stringify([profile, single])).toBe(before);
      }),
      RUNS,
    );
  });
});

describe('catalogOf: invariants', () => {
  it('presence is always within [0, 1], and 1 for paths every sample carries', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const catalog = catalogOf(profileOf(samples));
        expect(catalog.sampleCount).toBe(samples.length);
        // every path was seen in at least one sample, so presence is never 0 either
        expect(catalog.variables.filter((variable) => !(variable.presence > 0 && variable.presence <= 1))).toEqual([]);
        if (samples.length > 0) {
          // a leaf found in every sample
          const everywhere = samples
            .map((sample) => new Set(leafPaths(sample.body)))
            .reduce((common, paths) => new Set([...common].filter((path) => paths.has(path))));
          const partial = catalog.variables.filter((variable) => everywhere.has(variable.path) && variable.presence !== 1);
          expect(partial).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('every leaf path of every sample is in the catalog (within the caps), and nothing else is', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const profile = profileOf(samples);
        fc.pre(profile.nodes.length < 2000);
        const paths = new Set(catalogOf(profile).variables.map((variable) => variable.path));
        const leafSet = new Set(samples.flatMap((sample) => leafPaths(sample.body)));
        leafSet.delete(''); // a scalar body: the body itself is not a variable
        expect([...leafSet].filter((leaf) => !paths.has(leaf))).toEqual([]);
        // and the catalog holds nothing but those leaves and their containers
        expect([...paths].sort()).toEqual([...new Set(samples.flatMap((sample) => allPaths(sample.body)))].sort());
      }),
      RUNS,
    );
  });

  it('the catalog is JSON-safe and survives a jsonb round trip of the profile', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const profile = profileOf(samples);
        const restored = JSON.parse(JSON.stringify(profile)) as SchemaProfile;
        expectSame(catalogOf(restored), catalogOf(profile));
        expect(() => JSON.stringify(catalogOf(profile))).not.toThrow();
      }),
      { numRuns: 30 },
    );
  });
});
