import { describe, expect, it } from 'vitest';
import { PICKER } from '../test/picker-fixture';
import { fallbackCandidates, typeForRoles, uniqueIdCandidates } from './unique-id-candidates';

describe('unique id candidates', () => {
  const candidates = uniqueIdCandidates(PICKER.variables);

  it('offers the fields whose role fits first: email, then phone, external and Shopify ids, orders last', () => {
    expect(candidates.map((c) => `${c.type}:${c.path}`)).toEqual([
      'email:email',
      'email:customer.email',
      'phone:customer.phone',
      'external_id:customer.id',
      'shopify_customer_id:customer.id',
      'order_id:id',
      'order_name:name',
    ]);
  });

  it('puts fields the samples always carried before rarer ones of the same role', () => {
    const list = uniqueIdCandidates([
      { path: 'billing.email', types: ['string'], presence: 0.4, example: 'a@b.c', roles: ['email'], mapped: false },
      { path: 'contact.email', types: ['string'], presence: 1, example: 'a@b.c', roles: ['email'], mapped: false },
    ]);
    expect(list.map((c) => c.path)).toEqual(['contact.email', 'billing.email']);
  });

  it('takes the first element of an array as one value', () => {
    const list = uniqueIdCandidates([{ path: 'contacts[].email', types: ['string'], presence: 1, example: 'a@b.c', roles: ['email'], mapped: false }]);
    expect(list[0].path).toBe('contacts[0].email');
  });

  it('offers the other fields of the same type as fallbacks', () => {
    expect(fallbackCandidates(candidates, 'email', 'email').map((c) => c.path)).toEqual(['customer.email']);
    expect(fallbackCandidates(candidates, '', 'email')).toEqual([]);
  });

  it('maps roles to a unique id type', () => {
    expect(typeForRoles(['customer_id', 'shopify_customer_id'])).toBe('external_id');
    expect(typeForRoles(['price'])).toBeNull();
  });
});
