import { fixture, fixtureNames, prng } from '../test/fixtures';
import { catalogOf } from './catalog';
import type { JsonValue } from './json';
import { addSample, emptyProfile, MAX_EXAMPLE_LENGTH, MAX_PROFILE_DEPTH, MAX_PROFILE_PATHS, mergeProfiles, type SchemaProfile } from './profile';

const profileOf = (samples: JsonValue[], observedAt?: (index: number) => string | undefined): SchemaProfile =>
  samples.reduce<SchemaProfile>((profile, sample, index) => {
    const at = observedAt?.(index);
    return addSample(profile, sample, at === undefined ? {} : { observedAt: at });
  }, emptyProfile());

const variable = (profile: SchemaProfile, path: string) => catalogOf(profile).variables.find((entry) => entry.path === path);

describe('emptyProfile / addSample', () => {
  it('starts empty', () => {
    expect(emptyProfile()).toEqual({ version: 1, sampleCount: 0, truncated: false, nodes: [] });
    expect(catalogOf(emptyProfile())).toEqual({ sampleCount: 0, schema: { $schema: 'https://json-schema.org/draft/2020-12/schema' }, variables: [] });
  });

  it('is pure: the input profile is not changed, and a new one is returned', () => {
    const before = addSample(emptyProfile(), { a: 1, list: [{ b: 'x' }] });
    const snapshot = JSON.stringify(before);
    const after = addSample(before, { a: 'two', list: [{ b: null, c: true }] });
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(after.sampleCount).toBe(2);
  });

  it('is plain JSON: no bigint, no Map, survives a jsonb round trip', () => {
    const profile = profileOf(fixtureNames().map(fixture), (index) => `2024-05-0${(index % 9) + 1}T10:00:00Z`);
    const text = JSON.stringify(profile); // would throw on a bigint
    const restored = JSON.parse(text) as SchemaProfile;
    expect(restored).toEqual(profile);
    expect(catalogOf(restored)).toEqual(catalogOf(profile));
    expect(addSample(restored, { z: 1 })).toEqual(addSample(profile, { z: 1 }));
  });

  it('records when samples were observed, normalised to UTC', () => {
    const profile = profileOf([{ a: 1 }, { a: 2, b: 1 }, { a: 3 }], (index) => ['2024-05-02T12:00:00+02:00', '2024-05-03T00:00:00Z', '2024-05-01T00:00:00Z'][index]);
    expect(profile.firstObservedAt).toBe('2024-05-01T00:00:00.000Z');
    expect(profile.lastObservedAt).toBe('2024-05-03T00:00:00.000Z');
    const b = profile.nodes.find((node) => node.path === 'b')!;
    expect([b.firstSeenAt, b.lastSeenAt]).toEqual(['2024-05-03T00:00:00.000Z', '2024-05-03T00:00:00.000Z']);
    expect(() => addSample(emptyProfile(), {}, { observedAt: 'yesterday-ish' })).toThrow(TypeError);
  });

  it('rejects something that is not a profile', () => {
    expect(() => mergeProfiles(emptyProfile(), {} as SchemaProfile)).toThrow(TypeError);
  });
});

describe('examples', () => {
  it('prefers a non-null example whatever the order', () => {
    const a = addSample(emptyProfile(), { x: null });
    const b = addSample(emptyProfile(), { x: 'value' });
    expect(variable(mergeProfiles(a, b), 'x')!.example).toBe('value');
    expect(variable(mergeProfiles(b, a), 'x')!.example).toBe('value');
    expect(variable(a, 'x')!.example).toBeNull();
  });

  it('prefers the most recently observed sample, and is order-independent without dates', () => {
    const older = addSample(emptyProfile(), { x: 'old' }, { observedAt: '2024-01-01T00:00:00Z' });
    const newer = addSample(emptyProfile(), { x: 'new' }, { observedAt: '2024-02-01T00:00:00Z' });
    expect(variable(mergeProfiles(older, newer), 'x')!.example).toBe('new');
    expect(variable(mergeProfiles(newer, older), 'x')!.example).toBe('new');
    const p = addSample(emptyProfile(), { x: 'b' });
    const q = addSample(emptyProfile(), { x: 'a' });
    expect(variable(mergeProfiles(p, q), 'x')!.example).toBe(variable(mergeProfiles(q, p), 'x')!.example);
  });

  it('takes the first non-null element within one sample, writes bigints as strings and cuts long strings', () => {
    const profile = addSample(emptyProfile(), { list: [{ t: null }, { t: 'first' }, { t: 'second' }], big: 12345678901234567890n, long: 'é'.repeat(500) });
    expect(variable(profile, 'list[].t')!.example).toBe('first');
    expect(variable(profile, 'big')!.example).toBe('12345678901234567890');
    const long = variable(profile, 'long')!.example as string;
    expect(long.length).toBe(MAX_EXAMPLE_LENGTH + 1);
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives containers no example', () => {
    const profile = addSample(emptyProfile(), { o: { a: 1 }, l: [1] });
    expect(variable(profile, 'o')!.example).toBeNull();
    expect(variable(profile, 'l')!.example).toBeNull();
    expect(variable(profile, 'l[]')!.example).toBe(1);
  });
});

describe('mergeProfiles is associative and commutative', () => {
  // single-sample profiles from every fixture, some observed at different times, plus
  // variants that drop keys, change types and empty arrays, so merges have conflicts
  const bodies = fixtureNames().map(fixture);
  const variants: JsonValue[] = [
    { id: 'not-a-number', email: null, line_items: [] },
    { id: 1, email: 'someone@example.com', line_items: [{ title: 42, price: null }, { title: 'Hat' }] },
    { email: 'not an email', customer: null },
    [{ id: 1 }, { id: 2n ** 63n }],
    'a bare string',
    { line_items: 'oops', created_at: '2024-01-01T00:00:00Z' },
  ];
  const singles = [...bodies, ...variants].map((body, index) =>
    addSample(emptyProfile(), body, index % 3 === 0 ? {} : { observedAt: `2024-03-${String((index % 27) + 1).padStart(2, '0')}T08:00:00Z` }),
  );
  const random = prng(20240501);
  const pick = () => singles[Math.floor(random() * singles.length)]!;
  const group = () => {
    let profile = pick();
    const extra = Math.floor(random() * 3);
    for (let i = 0; i < extra; i++) profile = mergeProfiles(profile, pick());
    return profile;
  };

  it('merge(a, merge(b, c)) equals merge(merge(a, b), c) — profiles and catalogs', () => {
    for (let round = 0; round < 40; round++) {
      const [a, b, c] = [group(), group(), group()];
      const left = mergeProfiles(a, mergeProfiles(b, c));
      const right = mergeProfiles(mergeProfiles(a, b), c);
      expect(catalogOf(left)).toEqual(catalogOf(right));
      expect(left).toEqual(right);
    }
  });

  it('merge(a, b) equals merge(b, a)', () => {
    for (let round = 0; round < 40; round++) {
      const [a, b] = [group(), group()];
      expect(catalogOf(mergeProfiles(a, b))).toEqual(catalogOf(mergeProfiles(b, a)));
      expect(mergeProfiles(a, b)).toEqual(mergeProfiles(b, a));
    }
  });

  it('emptyProfile is the identity, and folding samples in any order gives one result', () => {
    const all = singles.reduce(mergeProfiles);
    expect(mergeProfiles(emptyProfile(), all)).toEqual(all);
    expect(mergeProfiles(all, emptyProfile())).toEqual(all);
    const shuffled = [...singles].sort(() => random() - 0.5);
    expect(shuffled.reduceRight((acc, profile) => mergeProfiles(profile, acc), emptyProfile())).toEqual(all);
    expect(all.sampleCount).toBe(singles.length);
  });

  it('stays associative when the path cap bites', () => {
    const wide = (prefix: string, count: number): JsonValue => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, { v: i }]));
    const [a, b, c] = [wide('a', 450), wide('b', 450), wide('c', 450)].map((body) => addSample(emptyProfile(), body));
    const left = mergeProfiles(a!, mergeProfiles(b!, c!));
    const right = mergeProfiles(mergeProfiles(a!, b!), c!);
    expect(left.nodes.length).toBe(MAX_PROFILE_PATHS);
    expect(left.truncated).toBe(true);
    expect(left).toEqual(right);
    expect(mergeProfiles(c!, mergeProfiles(a!, b!))).toEqual(left);
  });
});

describe('caps', () => {
  it('keeps at most MAX_PROFILE_PATHS paths, preferring the shallowest', () => {
    const body = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${String(i).padStart(4, '0')}`, { nested: i }]));
    const profile = addSample(emptyProfile(), body);
    expect(profile.nodes).toHaveLength(MAX_PROFILE_PATHS);
    expect(profile.truncated).toBe(true);
    // all 1500 top-level keys (depth 1) are kept before any depth-2 path
    const topLevel = profile.nodes.filter((node) => node.path !== '' && !node.path.includes('.'));
    expect(topLevel).toHaveLength(1500);
    // every kept path has its parent kept
    const paths = new Set(profile.nodes.map((node) => node.path));
    for (const path of paths) if (path.includes('.')) expect(paths.has(path.slice(0, path.lastIndexOf('.')))).toBe(true);
    expect(catalogOf(profile).variables).toHaveLength(MAX_PROFILE_PATHS - 1);
  });

  it('does not descend deeper than MAX_PROFILE_DEPTH', () => {
    let body: JsonValue = 'leaf';
    for (let i = 0; i < MAX_PROFILE_DEPTH + 5; i++) body = { d: body };
    const profile = addSample(emptyProfile(), body);
    expect(profile.truncated).toBe(true);
    const deepest = Math.max(...profile.nodes.map((node) => (node.path === '' ? 0 : node.path.split('.').length)));
    expect(deepest).toBe(MAX_PROFILE_DEPTH);
  });

  it('is not truncated for ordinary payloads', () => {
    expect(profileOf(fixtureNames().map(fixture)).truncated).toBe(false);
  });
});
