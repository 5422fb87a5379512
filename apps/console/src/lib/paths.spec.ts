import { describe, expect, it } from 'vitest';
import { fansOut, firstElementPath, joinPath, lastLabel, parentPath, relativeTo, splitPath, suggestName } from './paths';

describe('canonical paths', () => {
  it('splits keys, each-element and index segments, and quoted keys', () => {
    expect(splitPath('line_items[].tax_lines[0].price').map((s) => s.text)).toEqual(['line_items', '[]', '.tax_lines', '[0]', '.price']);
    expect(splitPath('["odd.key"].x')).toEqual([
      { kind: 'key', key: 'odd.key', text: '["odd.key"]' },
      { kind: 'key', key: 'x', text: '.x' },
    ]);
    expect(splitPath('["say \\"hi\\"]"]')[0]).toMatchObject({ kind: 'key', key: 'say "hi"]' });
    expect(() => splitPath('a..b')).toThrow(/not a canonical path/);
  });

  it('rejoins what it split, and finds parents', () => {
    for (const path of ['id', 'customer.default_address.city', 'line_items[].title', '[].id', '["a b"]["c.d"]', 'x[3]']) expect(joinPath(splitPath(path))).toBe(path);
    expect(parentPath('line_items[].title')).toBe('line_items[]');
    expect(parentPath('line_items[]')).toBe('line_items');
    expect(parentPath('customer.email')).toBe('customer');
    expect(parentPath('["odd.key"].x')).toBe('["odd.key"]');
    expect(parentPath('id')).toBe('');
  });

  it('names nodes by their last segment', () => {
    expect(lastLabel('customer.first_name')).toBe('first_name');
    expect(lastLabel('line_items[]')).toBe('each item');
    expect(lastLabel('["odd.key"]')).toBe('odd.key');
  });

  it('takes the first element where a single value is needed', () => {
    expect(fansOut('line_items[].title')).toBe(true);
    expect(fansOut('line_items[0].title')).toBe(false);
    expect(firstElementPath('line_items[].tax_lines[].price')).toBe('line_items[0].tax_lines[0].price');
    expect(firstElementPath('[].id')).toBe('[0].id');
  });

  it('gives paths relative to an array element, or null outside it', () => {
    expect(relativeTo('line_items[]', 'line_items[].price')).toBe('price');
    expect(relativeTo('line_items[]', 'line_items[].price_set.shop_money.amount')).toBe('price_set.shop_money.amount');
    expect(relativeTo('line_items[]', 'line_items')).toBeNull();
    expect(relativeTo('line_items[]', 'shipping_lines[].price')).toBeNull();
    expect(relativeTo('line_items[]', 'line_items_count')).toBeNull();
  });

  it('suggests camelCase variable names from the last key', () => {
    expect(suggestName('total_price')).toBe('totalPrice');
    expect(suggestName('line_items[0].title')).toBe('title');
    expect(suggestName('customer.first-name')).toBe('firstName');
    expect(suggestName('["2fa code"]')).toBe('_2faCode');
  });
});
