import { detectDrift } from './drift';
import { addSample, emptyProfile } from './profile';
import type { JsonValue } from './json';

const profileOf = (...samples: JsonValue[]) => samples.reduce((p, s) => addSample(p, s), emptyProfile());

describe('detectDrift', () => {
  const before = profileOf(
    { id: 1, email: 'a@b.co', customer: { phone: '+15550000001' }, items: [{ sku: 'A' }] },
    { id: 2, email: 'c@d.co', customer: { phone: '+15550000002' }, items: [{ sku: 'B' }] },
  );

  it('reports nothing for the first sample or a sample of the same shape', () => {
    expect(detectDrift(emptyProfile(), profileOf({ id: 1 }))).toEqual([]);
    expect(detectDrift(before, profileOf({ id: 3, email: 'e@f.co', customer: { phone: '+15550000003' }, items: [{ sku: 'C' }] }))).toEqual([]);
  });

  it('reports a new field once, at the top of its subtree', () => {
    const sut = detectDrift(before, profileOf({ id: 3, email: 'e@f.co', customer: { phone: '+1555', vip: true }, items: [{ sku: 'C' }], shipping: { city: 'Pune', zip: '411001' } }));
    expect(sut).toEqual([
      { kind: 'field_added', path: 'customer.vip', typesBefore: [], typesAfter: ['boolean'] },
      { kind: 'field_added', path: 'shipping', typesBefore: [], typesAfter: ['object'] },
    ]);
  });

  it('reports a field that always arrived and is gone, but not the fields of an empty array', () => {
    const sut = detectDrift(before, profileOf({ id: 3, email: 'e@f.co', customer: {}, items: [] }));
    expect(sut).toEqual([{ kind: 'field_removed', path: 'customer.phone', typesBefore: ['string'], typesAfter: [] }]);
  });

  it('reports a type never seen at a path', () => {
    const sut = detectDrift(before, profileOf({ id: '3', email: null, customer: { phone: '+1555' }, items: [{ sku: 'C' }] }));
    expect(sut).toEqual([
      { kind: 'type_changed', path: 'email', typesBefore: ['string'], typesAfter: ['null'] },
      { kind: 'type_changed', path: 'id', typesBefore: ['integer'], typesAfter: ['string'] },
    ]);
  });
});
