import type { MappingDefinition } from '@hookline/mapping-rules';
import { describe, expect, it } from 'vitest';
import { emptyDraft, fromDefinition, Problems, toDefinition, uniqueName } from './mapping-draft';

describe('the mapping draft', () => {
  it('leaves empty fields out, so the API names what is missing', () => {
    expect(toDefinition(emptyDraft())).toEqual({ uniqueId: {} });
    const draft = emptyDraft();
    draft.uniqueId = { type: 'phone', path: ' customer.phone ', fallbacks: ['', 'billing_address.phone'], defaultCountry: 'in' };
    draft.sets.order = { id: 'id', name: '', totalPrice: 'total_price' };
    draft.sets.products = { from: '', fields: { name: 'title' } };
    expect(toDefinition(draft)).toEqual({
      uniqueId: { type: 'phone', path: 'customer.phone', fallbacks: ['billing_address.phone'], defaultCountry: 'IN' },
      variableSets: { order: { id: 'id', totalPrice: 'total_price' }, products: { from: '', fields: { name: 'title' } } },
    });
  });

  it('keeps variables in order (a problem at /variables/1 is the second row) and "all" as all', () => {
    const draft = emptyDraft();
    draft.variables = [
      { path: 'total_price', name: 'orderTotal', type: 'number', rest: {} },
      { path: 'line_items[0].title', name: ' firstItem ', type: '', rest: { default: 'none' } },
    ];
    expect(toDefinition(draft).variables).toEqual([
      { name: 'orderTotal', path: 'total_price', type: 'number' },
      { name: 'firstItem', path: 'line_items[0].title', default: 'none' },
    ]);
    draft.allVariables = true;
    expect(toDefinition(draft).variables).toBe('all');
  });

  it('edits a saved definition without losing what the console does not show', () => {
    const saved: MappingDefinition = {
      uniqueId: { type: 'email', path: 'email', fallbacks: ['customer.email'] },
      variables: [{ name: 'total', path: 'total_price', type: 'number', transform: { op: 'scale', factor: 0.01 } }],
      variableSets: { order: { id: 'id' }, products: { from: 'line_items[]', fields: { name: 'title' } } },
      filter: { path: 'financial_status', op: 'eq', value: 'paid' },
      dedupeKey: { path: 'id' },
    };
    expect(toDefinition(fromDefinition(saved))).toEqual(saved);
    expect(toDefinition(fromDefinition({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' }))).toEqual({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' });
  });

  it('groups problems by pointer', () => {
    const problems = new Problems([
      { pointer: '/uniqueId/type', code: 'MISSING_FIELD', message: 'uniqueId.type: is required' },
      { pointer: '/variableSets/order/totalPrice', code: 'PATH_SYNTAX', message: 'bad path' },
      { pointer: '/variableSets/order/totalPrice', code: 'UNKNOWN_PATH', message: 'never seen' },
    ]);
    expect(problems.at('/variableSets/order/totalPrice').map((p) => p.code)).toEqual(['PATH_SYNTAX', 'UNKNOWN_PATH']);
    expect(problems.at('/variables/0/name')).toEqual([]);
    expect(problems.under('/variableSets/order')).toHaveLength(2);
    expect(problems.under('/variableSets/or')).toHaveLength(0);
  });

  it('names a new variable apart from those taken', () => {
    expect(uniqueName('title', new Set())).toBe('title');
    expect(uniqueName('title', new Set(['title', 'title2']))).toBe('title3');
  });
});
