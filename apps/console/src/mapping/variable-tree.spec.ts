import { describe, expect, it } from 'vitest';
import { PICKER } from '../test/picker-fixture';
import { buildTree, isArray, isContainer, matchingPaths, presenceText } from './variable-tree';

describe('the variable tree', () => {
  const roots = buildTree(PICKER.variables);

  it('hangs every path under its parent, in the order the samples showed them', () => {
    expect(roots.map((n) => n.path)).toEqual(['id', 'email', 'name', 'total_price', 'customer', 'line_items', 'note_attributes', '["odd.key"]']);
    const customer = roots.find((n) => n.path === 'customer');
    expect(customer?.children.map((n) => n.label)).toEqual(['id', 'email', 'phone']);
    const items = roots.find((n) => n.path === 'line_items');
    expect(items?.children.map((n) => n.path)).toEqual(['line_items[]']);
    expect(items?.children[0].label).toBe('each item');
    expect(items?.children[0].children.map((n) => n.label)).toEqual(['title', 'price', 'quantity']);
  });

  it('hangs a path whose parent is not listed from the nearest ancestor that is', () => {
    const tree = buildTree([PICKER.variables[4], { ...PICKER.variables[6], path: 'customer.default_address.email' }]);
    expect(tree).toHaveLength(1);
    expect(tree[0].children.map((n) => n.path)).toEqual(['customer.default_address.email']);
  });

  it('says how many samples carried a path', () => {
    expect(presenceText(23 / 29, 29)).toBe('present in 23 of 29 samples');
    expect(presenceText(1, 1)).toBe('present in 1 of 1 sample');
  });

  it('filters by path or role and keeps the ancestors of each match', () => {
    expect(matchingPaths(roots, '  ')).toBeNull();
    expect([...(matchingPaths(roots, 'TITLE') ?? [])].sort()).toEqual(['line_items', 'line_items[]', 'line_items[].title']);
    expect(matchingPaths(roots, 'phone')).toEqual(new Set(['customer', 'customer.phone']));
  });

  it('tells containers and arrays apart from values', () => {
    const byPath = new Map(PICKER.variables.map((v) => [v.path, v]));
    expect(isContainer(byPath.get('customer')!)).toBe(true);
    expect(isContainer(byPath.get('customer.phone')!)).toBe(false);
    expect(isArray(byPath.get('line_items')!)).toBe(true);
    expect(isArray(byPath.get('line_items[]')!)).toBe(false);
  });
});
