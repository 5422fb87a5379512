import { parsePath } from '@hookline/payload';
import { assignVariableNames, baseVariableName, collectLeaves, resolveAllVariables } from './all-variables';
import { VARIABLE_NAME_PATTERN } from './mapping-definition.schema';

const nameOf = (path: string) => baseVariableName(parsePath(path).segments);

describe('the "all" naming rule', () => {
  it.each([
    ['customer.email', 'customer_email'],
    ['line_items[].price', 'line_items_price'],
    ['customer.default_address.phone', 'customer_default_address_phone'],
    ['["odd.key"].x', 'odd_key_x'],
    ['["a  b"]["c-d"]', 'a_b_c_d'],
    ['data.object.amount_received', 'data_object_amount_received'],
    ['entry[].changes[].value.messages[].from', 'entry_changes_value_messages_from'],
    ['line_items[0].title', 'line_items_0_title'],
    ['["2fa"]', '_2fa'],
    ['[].id', 'id'],
    ['[]', 'value'],
    ['["$"]', '_'],
    ['["ünï"]', '_n_'], // ASCII only: other letters become _
  ])('%s → %s', (path, expected) => {
    expect(nameOf(path)).toBe(expected);
    expect(nameOf(path)).toMatch(new RegExp(VARIABLE_NAME_PATTERN.replace('{0,99}', '*')));
  });

  it('numbers colliding names in canonical path order', () => {
    const paths = ['a.b_c', 'a_b.c', 'a_b_c'].map((p) => ({ key: p, segments: parsePath(p).segments }));
    const names = assignVariableNames(paths);
    expect(Object.fromEntries(names)).toEqual({ 'a.b_c': 'a_b_c', 'a_b.c': 'a_b_c_2', a_b_c: 'a_b_c_3' });
    // order of input does not matter
    expect(Object.fromEntries(assignVariableNames([...paths].reverse()))).toEqual(Object.fromEntries(names));
  });

  it('does not hand out a suffixed name that a real path already has', () => {
    const paths = ['x_2', 'x', '["x!"]'].map((p) => ({ key: p, segments: parsePath(p).segments }));
    const names = [...assignVariableNames(paths).values()];
    expect(new Set(names).size).toBe(3);
  });
});

describe('resolveAllVariables', () => {
  it('names each leaf of the catalog and skips containers and header paths', () => {
    const catalog = [
      { path: 'customer', types: ['object'] },
      { path: 'customer.email', types: ['string'] },
      { path: 'line_items', types: ['array'] },
      { path: 'line_items[]', types: ['object'] },
      { path: 'line_items[].price', types: ['string'] },
      { path: 'tags', types: ['array', 'null'] },
      { path: '$headers.x-topic', types: ['string'] },
      { path: 'bad..path', types: ['string'] },
    ];
    expect(resolveAllVariables(catalog)).toEqual([
      { name: 'customer_email', path: 'customer.email' },
      { name: 'line_items_price', path: 'line_items[].price' },
      { name: 'tags', path: 'tags' },
    ]);
  });
});

describe('collectLeaves', () => {
  it('collects scalar and null leaves in document order, fanning arrays out', () => {
    const leaves = collectLeaves({ a: 1, b: { c: null, d: [] }, e: [{ f: 'x' }, { f: 'y', g: true }], h: {} });
    expect(leaves.map((l) => [l.key, l.fanOut, l.values])).toEqual([
      ['a', false, [1]],
      ['b.c', false, [null]],
      ['e[].f', true, ['x', 'y']],
      ['e[].g', true, [true]],
    ]);
  });
});
