import { detectFormats, matchesFormat, STRING_FORMATS, type StringFormat } from './formats';
import { isJsonObject, jsonTypeOf, type JsonTypeName, type JsonValue } from './json';
import { formatSegment, parsePath, type PathSegment } from './path';

/**
 * Discovery profile: what many samples of one trigger looked like, kept as plain JSON
 * (stored as jsonb) and folded incrementally.
 *
 * One node per distinct path (canonical formatPath text; every array element is merged
 * into `[]`; '' is the body itself). A node holds only counters, sets and one example,
 * so two profiles merge by adding counters — mergeProfiles is associative and commutative,
 * example choice included (see betterExample), and addSample(p, s) is
 * mergeProfiles(p, profile of s alone). A profile cannot be "un-merged": after samples
 * are deleted, rebuild it from the samples that remain.
 *
 * Caps, so a profile stays small whatever arrives:
 * - MAX_PROFILE_PATHS distinct paths. When there are more, the profile keeps the
 *   shallowest ones (fewest segments, then path text): a fixed order, so capping commutes
 *   with merging and a kept path always has its parent kept and its counters complete.
 * - MAX_PROFILE_DEPTH segments: deeper values are not descended into.
 * - keys longer than MAX_PROFILE_KEY_LENGTH are skipped.
 * - examples are scalars only; strings are cut to MAX_EXAMPLE_LENGTH characters.
 * Whenever a cap drops something, `truncated` is set.
 */
export const PROFILE_VERSION = 1 as const;
export const MAX_PROFILE_PATHS = 2000;
export const MAX_PROFILE_DEPTH = 20;
export const MAX_PROFILE_KEY_LENGTH = 256;
export const MAX_EXAMPLE_LENGTH = 200;

export type ExampleValue = string | number | boolean | null;

export interface ProfileExample {
  /** A scalar seen at the path; a bigint is stored as its decimal string, long strings are cut. */
  value: ExampleValue;
  /** observedAt of the sample it came from (ISO 8601, UTC), when given. */
  at?: string;
}

export interface ProfileNode {
  /** Canonical path (formatPath); '' = the body itself. */
  path: string;
  /** Samples that carried the path (for paths under [], samples in which at least one element did). */
  samples: number;
  /** Occurrences per type over all samples; each array element counts. */
  types: Partial<Record<JsonTypeName, number>>;
  /** Formats that every string seen here matched; present only when strings were seen. */
  formats?: StringFormat[];
  /** Best example so far (scalars only): non-null first, then latest `at`, then smallest JSON text. */
  example?: ProfileExample;
  /** Smallest document-order index at which the path first appeared in a sample; for display order. */
  ord: number;
  firstSeenAt?: string;
  lastSeenAt?: string;
}

export interface SchemaProfile {
  version: typeof PROFILE_VERSION;
  sampleCount: number;
  /** True once a cap has dropped something (a path, a too-deep subtree, a too-long key). */
  truncated: boolean;
  firstObservedAt?: string;
  lastObservedAt?: string;
  /** Sorted by path (UTF-16 code-unit order). */
  nodes: ProfileNode[];
}

export function emptyProfile(): SchemaProfile {
  return { version: PROFILE_VERSION, sampleCount: 0, truncated: false, nodes: [] };
}

/** A new profile that also counts `sample`. Pure: `profile` is not changed. */
export function addSample(profile: SchemaProfile, sample: JsonValue, options: { observedAt?: string } = {}): SchemaProfile {
  const at = normaliseInstant(options.observedAt);
  return addSampleFast(profile, sample, at) ?? mergeProfiles(profile, profileOfSample(sample, at));
}

export function mergeProfiles(a: SchemaProfile, b: SchemaProfile): SchemaProfile {
  assertProfile(a);
  assertProfile(b);
  const nodes = new Map<string, ProfileNode>();
  for (const node of a.nodes) nodes.set(node.path, node);
  for (const node of b.nodes) {
    const existing = nodes.get(node.path);
    nodes.set(node.path, existing ? mergeNodes(existing, node) : node);
  }
  const merged: SchemaProfile = {
    version: PROFILE_VERSION,
    sampleCount: a.sampleCount + b.sampleCount,
    truncated: a.truncated || b.truncated,
    nodes: [],
  };
  const first = minDefined(a.firstObservedAt, b.firstObservedAt);
  const last = maxDefined(a.lastObservedAt, b.lastObservedAt);
  if (first !== undefined) merged.firstObservedAt = first;
  if (last !== undefined) merged.lastObservedAt = last;
  return finish(merged, nodes);
}

// ---------------------------------------------------------------------------------------

function profileOfSample(sample: JsonValue, at: string | undefined): SchemaProfile {
  const nodes = new Map<string, ProfileNode>();
  let ord = 0;
  let truncated = false;
  const depths = new Map<string, number>();

  const visit = (value: JsonValue, path: string, depth: number): void => {
    let node = nodes.get(path);
    if (!node) {
      node = { path, samples: 1, types: {}, ord: ord++ };
      if (at !== undefined) {
        node.firstSeenAt = at;
        node.lastSeenAt = at;
      }
      nodes.set(path, node);
      depths.set(path, depth);
    }
    const type = jsonTypeOf(value);
    node.types[type] = (node.types[type] ?? 0) + 1;
    if (typeof value === 'string') {
      if (!node.formats) node.formats = detectFormats(value);
      else if (node.formats.length > 0) node.formats = node.formats.filter((format) => matchesFormat(value, format));
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return;
      if (depth >= MAX_PROFILE_DEPTH) {
        truncated = true;
        return;
      }
      const childPath = path + formatSegment({ kind: 'each' }, path === '');
      for (const element of value) if (element !== undefined) visit(element, childPath, depth + 1);
      return;
    }
    if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (child === undefined) continue;
        if (depth >= MAX_PROFILE_DEPTH || key.length > MAX_PROFILE_KEY_LENGTH) {
          truncated = true;
          continue;
        }
        visit(child, path + formatSegment({ kind: 'key', key }, path === ''), depth + 1);
      }
      return;
    }
    // a scalar: within one sample the first non-null value in document order is the example
    if (!node.example || (node.example.value === null && value !== null)) {
      node.example = at === undefined ? { value: exampleOf(value) } : { value: exampleOf(value), at };
    }
  };
  visit(sample, '', 0);

  const profile: SchemaProfile = { version: PROFILE_VERSION, sampleCount: 1, truncated, nodes: [] };
  if (at !== undefined) {
    profile.firstObservedAt = at;
    profile.lastObservedAt = at;
  }
  return finish(profile, nodes, (path) => depths.get(path) ?? 0);
}

/** One path of the sample during addSample's fast path. */
interface Visit {
  /** The merged node being built (for a new path, the node the sample alone would give). */
  node: ProfileNode;
  /** Index of the profile's node at this path, or -1 for a path the profile has not seen. */
  index: number;
  /** Existing paths only: formats every string of this sample matched (undefined: no string yet). */
  formats: StringFormat[] | undefined;
  /** Existing paths only: the sample's example before exampleOf (see hasExample). */
  exampleRaw: string | number | bigint | boolean | null;
  hasExample: boolean;
}

/**
 * Where each path is in a sorted nodes array. Internal memo only: it is keyed by the array and
 * checked against it (same path strings at the same places) before every use, so a changed
 * array simply gets a new index. Results of addSample that add no path have their input's paths
 * at the same places, so they share the index (and its memo of child lookups).
 */
interface PathIndex {
  paths: string[];
  at: Map<string, number>;
  /** Memo per parent index: key → child index (-1: not in the profile). */
  keyChild: Array<Map<string, number> | undefined>;
  /** Memo per parent index: index of `<parent>[]` (-1: not in the profile). */
  eachChild: Array<number | undefined>;
}

const pathIndexes = new WeakMap<readonly ProfileNode[], PathIndex>();

function pathIndexOf(nodes: readonly ProfileNode[]): PathIndex | undefined {
  const n = nodes.length;
  const cached = pathIndexes.get(nodes);
  if (cached && cached.paths.length === n) {
    let i = 0;
    while (i < n && nodes[i]?.path === cached.paths[i]) i++;
    if (i === n) return cached;
  }
  const paths = new Array<string>(n);
  const at = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const path = nodes[i]?.path;
    if (typeof path !== 'string' || (i > 0 && !(paths[i - 1]! < path))) return undefined;
    paths[i] = path;
    at.set(path, i);
  }
  const index: PathIndex = { paths, at, keyChild: new Array(n), eachChild: new Array(n) };
  pathIndexes.set(nodes, index);
  return index;
}

const KNOWN_FORMATS: ReadonlySet<string> = new Set(STRING_FORMATS);
const EACH: PathSegment = { kind: 'each' };

/**
 * addSample's fast path: exactly mergeProfiles(profile, profileOfSample(sample, at)), computed
 * in one walk of the sample instead of building the sample's profile, indexing every node of
 * both and sorting them all again. Each path of the sample is looked up in an index of the
 * profile's paths; only the nodes the sample touches are rebuilt (the others are shared, as a
 * merge shares them), and the few new paths are sorted and merged in linearly (the profile's
 * nodes are sorted already). Formats: where the profile already knows the formats of a path,
 * only those are re-checked (the merge keeps the intersection anyway). Returns undefined — the
 * general merge then decides — when the profile is not well formed (nodes sorted by path, each
 * path once) or when the path cap would drop something.
 */
function addSampleFast(profile: SchemaProfile, sample: JsonValue, at: string | undefined): SchemaProfile | undefined {
  if (!profile || profile.version !== PROFILE_VERSION || !Array.isArray(profile.nodes)) return undefined;
  const old = profile.nodes;
  const index = pathIndexOf(old);
  if (!index) return undefined;

  const visits: Visit[] = [];
  let ord = 0;
  let added = 0;
  let truncated = false;

  /** The visit of the profile's node `i`, or (i = -1) of the new path `path`. */
  const open = (i: number, path: string): Visit => {
    let node: ProfileNode;
    if (i >= 0) {
      const existing = old[i]!;
      node = { path: existing.path, samples: existing.samples + 1, types: { ...existing.types }, ord: Math.min(existing.ord, ord++) };
    } else {
      node = { path, samples: 1, types: {}, ord: ord++ };
      if (at !== undefined) {
        node.firstSeenAt = at;
        node.lastSeenAt = at;
      }
      added++;
    }
    const v: Visit = { node, index: i, formats: undefined, exampleRaw: null, hasExample: false };
    visits.push(v);
    return v;
  };

  // Each path is opened once per sample: profile paths are found by index, new ones by text.
  const byIndex = new Array<Visit | undefined>(old.length);
  const byPath = new Map<string, Visit>();
  /** The visit of a child path; `i` = its index when already known (-1: not in the profile). */
  const child = (parent: Visit, segment: PathSegment, i?: number): Visit => {
    let path: string | undefined;
    if (i === undefined) {
      path = parent.node.path + formatSegment(segment, parent.node.path === '');
      i = index.at.get(path) ?? -1;
    }
    if (i >= 0) return (byIndex[i] ??= open(i, old[i]!.path));
    path ??= parent.node.path + formatSegment(segment, parent.node.path === '');
    let v = byPath.get(path);
    if (!v) byPath.set(path, (v = open(-1, path)));
    return v;
  };

  const openKey = (parent: Visit, key: string): Visit => {
    const p = parent.index;
    if (p < 0) return child(parent, { kind: 'key', key });
    const memo = (index.keyChild[p] ??= new Map());
    const i = memo.get(key);
    if (i === undefined) {
      const v = child(parent, { kind: 'key', key });
      memo.set(key, v.index);
      return v;
    }
    return child(parent, { kind: 'key', key }, i);
  };

  const openEach = (parent: Visit): Visit => {
    const p = parent.index;
    if (p < 0) return child(parent, EACH);
    const i = index.eachChild[p];
    if (i === undefined) {
      const v = child(parent, EACH);
      index.eachChild[p] = v.index;
      return v;
    }
    return child(parent, EACH, i);
  };

  const visit = (value: JsonValue, v: Visit, depth: number): void => {
    const node = v.node;
    const type = jsonTypeOf(value);
    node.types[type] = (node.types[type] ?? 0) + 1;
    if (typeof value === 'string') {
      if (v.index < 0) {
        if (!node.formats) node.formats = detectFormats(value);
        else if (node.formats.length > 0) node.formats = node.formats.filter((format) => matchesFormat(value, format));
      } else if (v.formats === undefined) {
        const known = old[v.index]!.formats;
        v.formats = known ? known.filter((format) => KNOWN_FORMATS.has(format) && matchesFormat(value, format)) : detectFormats(value);
      } else if (v.formats.length > 0) {
        v.formats = v.formats.filter((format) => matchesFormat(value, format));
      }
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return;
      if (depth >= MAX_PROFILE_DEPTH) {
        truncated = true;
        return;
      }
      for (const element of value) {
        if (element === undefined) continue;
        visit(element, openEach(v), depth + 1);
      }
      return;
    }
    if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (child === undefined) continue;
        if (depth >= MAX_PROFILE_DEPTH || key.length > MAX_PROFILE_KEY_LENGTH) {
          truncated = true;
          continue;
        }
        visit(child, openKey(v, key), depth + 1);
      }
      return;
    }
    // a scalar: within one sample the first non-null value in document order is the example
    if (v.index < 0) {
      if (!node.example || (node.example.value === null && value !== null)) {
        node.example = at === undefined ? { value: exampleOf(value) } : { value: exampleOf(value), at };
      }
    } else if (!v.hasExample || (v.exampleRaw === null && value !== null)) {
      v.exampleRaw = value;
      v.hasExample = true;
    }
  };
  const rootIndex = index.at.get('') ?? -1;
  visit(sample, open(rootIndex, ''), 0);

  // The cap would drop paths: leave that to the general merge.
  if (old.length + added > MAX_PROFILE_PATHS) return undefined;

  const nodes = old.slice();
  const fresh: ProfileNode[] = [];
  for (const v of visits) {
    if (v.index < 0) {
      fresh.push(v.node);
      continue;
    }
    // what mergeNodes(existing, the sample's node) gives, in the same key order
    const existing = old[v.index]!;
    const node = v.node;
    const formats = v.formats ?? existing.formats;
    if (formats) node.formats = formats === existing.formats ? [...formats] : formats;
    const example = betterExample(
      existing.example,
      v.hasExample ? (at === undefined ? { value: exampleOf(v.exampleRaw) } : { value: exampleOf(v.exampleRaw), at }) : undefined,
    );
    if (example) node.example = example;
    const first = minDefined(existing.firstSeenAt, at);
    const last = maxDefined(existing.lastSeenAt, at);
    if (first !== undefined) node.firstSeenAt = first;
    if (last !== undefined) node.lastSeenAt = last;
    nodes[v.index] = node;
  }

  let mergedNodes = nodes;
  if (fresh.length > 0) mergedNodes = mergeSorted(nodes, fresh.sort((x, y) => compareText(x.path, y.path)));
  else pathIndexes.set(mergedNodes, index); // same paths at the same places
  const merged: SchemaProfile = {
    version: PROFILE_VERSION,
    sampleCount: profile.sampleCount + 1,
    truncated: profile.truncated || truncated,
    nodes: mergedNodes,
  };
  const first = minDefined(profile.firstObservedAt, at);
  const last = maxDefined(profile.lastObservedAt, at);
  if (first !== undefined) merged.firstObservedAt = first;
  if (last !== undefined) merged.lastObservedAt = last;
  return merged;
}

/** Two lists sorted by path, with no path in both, as one sorted list. */
function mergeSorted(a: ProfileNode[], b: ProfileNode[]): ProfileNode[] {
  const out = new Array<ProfileNode>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.path < b[j]!.path ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function exampleOf(value: string | number | bigint | boolean | null): ExampleValue {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value === 'string' && value.length > MAX_EXAMPLE_LENGTH) {
    // don't cut a surrogate pair in half
    let end = MAX_EXAMPLE_LENGTH;
    const code = value.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    return `${value.slice(0, end)}…`;
  }
  return value;
}

function mergeNodes(a: ProfileNode, b: ProfileNode): ProfileNode {
  const types: Partial<Record<JsonTypeName, number>> = { ...a.types };
  for (const [type, count] of Object.entries(b.types) as Array<[JsonTypeName, number]>) {
    types[type] = (types[type] ?? 0) + count;
  }
  const node: ProfileNode = { path: a.path, samples: a.samples + b.samples, types, ord: Math.min(a.ord, b.ord) };
  const formats = a.formats && b.formats ? a.formats.filter((format) => b.formats!.includes(format)) : (a.formats ?? b.formats);
  if (formats) node.formats = [...formats];
  const example = betterExample(a.example, b.example);
  if (example) node.example = example;
  const first = minDefined(a.firstSeenAt, b.firstSeenAt);
  const last = maxDefined(a.lastSeenAt, b.lastSeenAt);
  if (first !== undefined) node.firstSeenAt = first;
  if (last !== undefined) node.lastSeenAt = last;
  return node;
}

/**
 * A total order on examples, so the choice does not depend on merge order: a non-null
 * value beats null, then the later `at` wins (no `at` counts as oldest), then the smaller
 * JSON text. Equal keys mean equal examples.
 */
export function betterExample(a: ProfileExample | undefined, b: ProfileExample | undefined): ProfileExample | undefined {
  if (!a) return b;
  if (!b) return a;
  const aNonNull = a.value !== null;
  if (aNonNull !== (b.value !== null)) return aNonNull ? a : b;
  const aAt = a.at ?? '';
  const bAt = b.at ?? '';
  if (aAt !== bAt) return aAt > bAt ? a : b;
  return JSON.stringify(b.value) < JSON.stringify(a.value) ? b : a;
}

function finish(profile: SchemaProfile, nodes: Map<string, ProfileNode>, depthOf: (path: string) => number = pathDepth): SchemaProfile {
  let kept = [...nodes.values()];
  if (kept.length > MAX_PROFILE_PATHS) {
    const depth = new Map(kept.map((node) => [node.path, depthOf(node.path)]));
    kept.sort((x, y) => depth.get(x.path)! - depth.get(y.path)! || compareText(x.path, y.path));
    kept = kept.slice(0, MAX_PROFILE_PATHS);
    profile.truncated = true;
  }
  kept.sort((x, y) => compareText(x.path, y.path));
  profile.nodes = kept;
  return profile;
}

function pathDepth(path: string): number {
  return path === '' ? 0 : parsePath(path).segments.length;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minDefined(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function maxDefined(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function normaliseInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new TypeError(`observedAt is not a date-time: '${value}'`);
  return new Date(time).toISOString();
}

function assertProfile(profile: SchemaProfile): void {
  if (!profile || profile.version !== PROFILE_VERSION || !Array.isArray(profile.nodes)) {
    throw new TypeError(`not a version ${PROFILE_VERSION} SchemaProfile`);
  }
}
