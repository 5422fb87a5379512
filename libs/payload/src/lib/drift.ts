import type { JsonTypeName } from './json';
import type { ProfileNode, SchemaProfile } from './profile';

/**
 * How one new sample differs from what a trigger's samples looked like so far:
 * - `field_added`: a path no earlier sample carried;
 * - `field_removed`: a path every earlier sample carried, missing here although its parent
 *   is present (so an empty array does not report each of its element fields as gone);
 * - `type_changed`: a path that arrives with a type never seen at it before.
 * Nothing is reported against an empty profile: the first sample has nothing to drift from.
 */
export type DriftKind = 'field_added' | 'field_removed' | 'type_changed';

export interface DriftChange {
  kind: DriftKind;
  path: string;
  typesBefore: JsonTypeName[];
  typesAfter: JsonTypeName[];
}

const typesOf = (node: ProfileNode | undefined): JsonTypeName[] => (node ? (Object.keys(node.types) as JsonTypeName[]).sort() : []);

function parentOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  const bracket = path.lastIndexOf('[');
  const cut = Math.max(dot, bracket);
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** Compares `sample` (the profile of one sample: addSample(emptyProfile(), body)) with `before`. */
export function detectDrift(before: SchemaProfile, sample: SchemaProfile): DriftChange[] {
  if (before.sampleCount === 0) return [];
  const old = new Map(before.nodes.map((n) => [n.path, n]));
  const now = new Map(sample.nodes.map((n) => [n.path, n]));
  const changes: DriftChange[] = [];
  for (const node of sample.nodes) {
    if (node.path === '') continue;
    const previous = old.get(node.path);
    if (!previous) {
      // Report the top of a new subtree only, not each of its leaves.
      if (old.has(parentOf(node.path)) || parentOf(node.path) === '') changes.push({ kind: 'field_added', path: node.path, typesBefore: [], typesAfter: typesOf(node) });
      continue;
    }
    const fresh = typesOf(node).filter((t) => !(t in previous.types));
    if (fresh.length > 0) changes.push({ kind: 'type_changed', path: node.path, typesBefore: typesOf(previous), typesAfter: typesOf(node) });
  }
  for (const node of before.nodes) {
    // An array's elements (`x[]`) missing just means an empty array, not a field gone.
    if (node.path === '' || node.path.endsWith('[]') || now.has(node.path) || node.samples < before.sampleCount) continue;
    const parent = parentOf(node.path);
    if (parent === '' || now.has(parent)) changes.push({ kind: 'field_removed', path: node.path, typesBefore: typesOf(node), typesAfter: [] });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : 1));
}
