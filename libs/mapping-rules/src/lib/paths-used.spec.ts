import { pathsUsed } from './paths-used';

describe('pathsUsed', () => {
  it('lists every body path a mapping reads, in catalog spelling', () => {
    const sut = pathsUsed({
      uniqueId: { type: 'phone', path: 'customer.phone', fallbacks: ['billing_address.phone', '$headers.x-phone'] },
      variables: [
        { name: 'firstItem', path: 'line_items[0].title' },
        { name: 'full', path: 'customer.first_name', transform: { op: 'template', template: '{{customer.first_name}} {{ customer.last_name }}' } },
      ],
      variableSets: { order: { id: 'id' }, products: { from: 'line_items[]', fields: { name: 'title', price: 'price' } } },
      filter: { all: [{ path: 'financial_status', op: 'eq', value: 'paid' }, { any: [{ path: '["odd.key"]', op: 'exists' }] }] },
      dedupeKey: { path: 'id' },
    });
    expect(sut).toEqual(
      [
        '["odd.key"]',
        'billing_address.phone',
        'customer.first_name',
        'customer.last_name',
        'customer.phone',
        'financial_status',
        'id',
        'line_items[]',
        'line_items[].price',
        'line_items[].title',
      ].sort(),
    );
  });

  it('names no path for variables "all"', () => {
    expect(pathsUsed({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' })).toEqual(['email']);
  });
});
