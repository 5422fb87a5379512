import type { MappingDefinition } from '@hookline/mapping-rules';
import { describe, expect, it } from 'vitest';
import { PICKER } from '../test/picker-fixture';
import { applyPick, emptyDraft, fromDefinition, Problems, toDefinition, uniqueName, valueAt } from './mapping-draft';

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

  it('keeps a problem while its field holds the value the API judged', () => {
    const judged = toDefinition(emptyDraft());
    const problems = new Problems(
      [
        { pointer: '/uniqueId/type', code: 'MISSING_FIELD', message: 'uniqueId.type: is required' },
        { pointer: '/uniqueId/path', code: 'MISSING_FIELD', message: 'uniqueId.path: is required' },
      ],
      'error',
      judged,
    );
    expect(problems.stillFor(judged)).toBe(problems);
    const draft = emptyDraft();
    draft.uniqueId.type = 'email';
    expect(problems.stillFor(toDefinition(draft)).all.map((p) => p.pointer)).toEqual(['/uniqueId/path']);
    expect(valueAt({ a: { 'b/c': [1, { '~d': 2 }] } }, '/a/b~1c/1/~0d')).toBe(2);
    expect(valueAt({ a: 1 }, '/a/b')).toBeUndefined();
  });

  it('puts a picked path into the field it was picked for, keeping the rest of the draft', () => {
    const email = PICKER.variables.find((v) => v.path === 'email');
    let draft = emptyDraft();
    draft.uniqueId.fallbacks = ['', 'x'];
    draft = applyPick(draft, '/uniqueId/path', 'email', email);
    expect(draft.uniqueId).toMatchObject({ type: 'email', path: 'email' });
    // A type chosen already stays.
    draft.uniqueId.type = 'external_id';
    expect(applyPick(draft, '/uniqueId/path', 'email', email).uniqueId.type).toBe('external_id');
    draft = applyPick(draft, '/uniqueId/fallbacks/0', 'customer.email');
    expect(draft.uniqueId.fallbacks).toEqual(['customer.email', 'x']);
    draft = applyPick(applyPick(draft, '/variableSets/order/totalPrice', 'total_price'), '/variableSets/order/id', 'id');
    draft = applyPick(applyPick(draft, '/variableSets/products/from', 'line_items[]'), '/variableSets/products/fields/price', 'price');
    expect(toDefinition(draft).variableSets).toEqual({ order: { totalPrice: 'total_price', id: 'id' }, products: { from: 'line_items[]', fields: { price: 'price' } } });
    expect(() => applyPick(draft, '/variables/0/name', 'x')).toThrow(/no field/);
  });

  it('names a new variable apart from those taken', () => {
    expect(uniqueName('title', new Set())).toBe('title');
    expect(uniqueName('title', new Set(['title', 'title2']))).toBe('title3');
  });
});
