// The variable picker's list (GET /v1/triggers/{id}/variables) as a tree: every path under
// its parent, in the order the samples showed them.
import type { PickerVariable } from '@hookline/contracts';
import { lastLabel, parentPath } from '../lib/paths';

export interface TreeNode {
  path: string;
  label: string;
  variable: PickerVariable;
  children: TreeNode[];
}

/**
 * Builds the tree. The picker lists containers too (`line_items`, `line_items[]`), so every
 * path's parent is normally there; a path whose parent is missing hangs from the nearest
 * ancestor that is, else from the root.
 */
export function buildTree(variables: readonly PickerVariable[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const byPath = new Map<string, TreeNode>();
  for (const variable of variables) {
    byPath.set(variable.path, { path: variable.path, label: lastLabel(variable.path), variable, children: [] });
  }
  for (const variable of variables) {
    const node = byPath.get(variable.path) as TreeNode;
    let parent = parentPath(variable.path);
    while (parent !== '' && !byPath.has(parent)) parent = parentPath(parent);
    const into = parent === '' ? roots : (byPath.get(parent) as TreeNode).children;
    into.push(node);
  }
  return roots;
}

/** "present in 23 of 29 samples": presence is the share of samples, so the count is rounded. */
export function presenceText(presence: number, sampleCount: number): string {
  const count = Math.round(presence * sampleCount);
  return `present in ${count} of ${sampleCount} sample${sampleCount === 1 ? '' : 's'}`;
}

/**
 * The paths to show for a filter text: those whose path contains it (case-insensitively), and
 * their ancestors, so each match keeps its place in the tree. Null when there is no filter.
 */
export function matchingPaths(roots: readonly TreeNode[], filter: string): Set<string> | null {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return null;
  const shown = new Set<string>();
  const visit = (node: TreeNode, ancestors: string[]): void => {
    if (node.path.toLowerCase().includes(needle) || node.variable.roles.some((r) => r.includes(needle))) {
      shown.add(node.path);
      for (const a of ancestors) shown.add(a);
    }
    for (const child of node.children) visit(child, [...ancestors, node.path]);
  };
  for (const root of roots) visit(root, []);
  return shown;
}

export function isContainer(variable: PickerVariable): boolean {
  return variable.types.every((t) => t === 'object' || t === 'array' || t === 'null') && variable.types.some((t) => t === 'object' || t === 'array');
}

export function isArray(variable: PickerVariable): boolean {
  return variable.types.includes('array');
}
