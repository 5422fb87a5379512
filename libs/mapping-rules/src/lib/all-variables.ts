// `"variables": "all"`: every leaf of the body becomes a variable, named by one rule that
// resolveAllVariables (catalog side) and the compiled mapping (event side) share.
import { formatPath, type JsonValue, type PathSegment } from '@hookline/payload';
import { isPlainObject } from './object-utils';
import { tryParsePath } from './paths';

/**
 * The naming rule for `"variables": "all"`:
 *
 * 1. Take the path's keys in order; `[]` adds nothing (its variable holds an array of every
 *    element's value) and `[n]` adds `n`.
 * 2. In each key, replace every run of characters other than ASCII letters, digits and `_`
 *    with one `_` (an empty key becomes `_`).
 * 3. Join the keys with `_`. A name starting with a digit gets a leading `_`; a path with no
 *    keys at all (a body that is a bare value or an array of values) is named `value`.
 * 4. Names must be unique: when two paths give the same name, the paths are sorted by their
 *    canonical text (code-unit order) and the second gets `_2`, the third `_3`, and so on.
 *
 *   customer.email                          → customer_email
 *   line_items[].price                      → line_items_price (an array: one price per item)
 *   customer.default_address.phone          → customer_default_address_phone
 *   ["odd.key"].x                           → odd_key_x
 *
 * Rule 4 depends on which colliding paths are present, so in the rare collision the event
 * side (paths present in that body) can number differently from the catalog side (paths
 * seen across all samples).
 */
export function baseVariableName(segments: readonly PathSegment[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment.kind === 'key') parts.push(segment.key.replace(/[^A-Za-z0-9_]+/g, '_') || '_');
    else if (segment.kind === 'index') parts.push(String(segment.index));
  }
  const name = parts.join('_');
  if (name === '') return 'value';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Names for a set of paths (rule 4 included); keyed by canonical path text. */
export function assignVariableNames(paths: ReadonlyArray<{ key: string; segments: readonly PathSegment[] }>): Map<string, string> {
  const sorted = [...paths].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const { key, segments } of sorted) {
    if (names.has(key)) continue;
    const base = baseVariableName(segments);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    names.set(key, name);
  }
  return names;
}

const CONTAINER_TYPES = new Set(['object', 'array']);

/** What resolveAllVariables reads of a catalog entry (@hookline/payload's Variable fits). */
export interface CatalogVariable {
  path: string;
  types: readonly string[];
}

/**
 * The explicit variable list that `"variables": "all"` stands for, given a trigger's catalog:
 * one entry per leaf path (entries typed only as object/array are containers and are skipped,
 * as are header/query paths and paths that do not parse), in catalog order.
 */
export function resolveAllVariables(catalog: readonly CatalogVariable[]): Array<{ name: string; path: string }> {
  const entries: Array<{ key: string; segments: readonly PathSegment[]; path: string }> = [];
  const seen = new Set<string>();
  for (const variable of catalog) {
    if (variable.types.length > 0 && variable.types.every((t) => CONTAINER_TYPES.has(t))) continue;
    const parsed = tryParsePath(variable.path);
    if (!parsed.ok || parsed.path.root !== 'body') continue;
    const key = formatPath(parsed.path.segments);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ key, segments: parsed.path.segments, path: variable.path });
  }
  const names = assignVariableNames(entries);
  return entries.map((e) => ({ name: names.get(e.key)!, path: e.path }));
}

export interface Leaf {
  key: string;
  segments: PathSegment[];
  fanOut: boolean;
  values: JsonValue[];
}

/**
 * Every leaf path of a body in catalog spelling (`[]` for array elements), with the values
 * found there in document order. Leaves are scalars and nulls; empty arrays and objects hold
 * no value and are skipped.
 */
export function collectLeaves(body: JsonValue): Leaf[] {
  const leaves = new Map<string, Leaf>();
  const walk = (value: JsonValue, segments: PathSegment[], fanOut: boolean): void => {
    if (Array.isArray(value)) {
      const next = [...segments, { kind: 'each' } as const];
      for (const element of value) walk(element, next, true);
      return;
    }
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) walk(value[key]!, [...segments, { kind: 'key', key }], fanOut);
      return;
    }
    const key = formatPath(segments);
    let leaf = leaves.get(key);
    if (!leaf) {
      leaf = { key, segments, fanOut, values: [] };
      leaves.set(key, leaf);
    }
    leaf.values.push(value);
  };
  walk(body, [], false);
  return [...leaves.values()];
}
