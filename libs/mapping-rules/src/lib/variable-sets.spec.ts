import { VARIABLE_TYPES } from './mapping-definition';
import { validateMapping } from './validate-mapping';
import { VARIABLE_SETS } from './variable-sets';

describe('VARIABLE_SETS', () => {
  it('has the four sets and the fields the product promises', () => {
    expect(Object.keys(VARIABLE_SETS)).toEqual(['order', 'products', 'customer', 'shopify']);
    expect(Object.keys(VARIABLE_SETS.order.fields)).toEqual(
      expect.arrayContaining(['id', 'name', 'number', 'totalPrice', 'subtotalPrice', 'currency', 'status', 'financialStatus', 'createdAt', 'url']),
    );
    expect(Object.keys(VARIABLE_SETS.products.fields)).toEqual(
      expect.arrayContaining(['id', 'name', 'price', 'quantity', 'sku', 'url', 'imageUrl', 'collectionId', 'variantId']),
    );
    expect(Object.keys(VARIABLE_SETS.customer.fields)).toEqual(expect.arrayContaining(['id', 'email', 'phone', 'firstName', 'lastName', 'externalId']));
    expect(Object.keys(VARIABLE_SETS.shopify.fields)).toEqual(expect.arrayContaining(['customerId', 'orderId', 'shopDomain', 'topic']));
  });

  it('types every field, keeps ids as strings (exact digits) and amounts as numbers', () => {
    for (const set of Object.values(VARIABLE_SETS)) {
      expect(set.description.length).toBeGreaterThan(10);
      for (const [name, field] of Object.entries(set.fields)) {
        expect(name).toMatch(/^[a-z][A-Za-z]*$/);
        expect(VARIABLE_TYPES).toContain(field.type);
        expect(field.description.length).toBeGreaterThan(3);
      }
    }
    for (const id of [VARIABLE_SETS.order.fields['id'], VARIABLE_SETS.products.fields['id'], VARIABLE_SETS.customer.fields['id'], VARIABLE_SETS.shopify.fields['orderId']]) {
      expect(id!.type).toBe('string');
    }
    expect(VARIABLE_SETS.order.fields['totalPrice']!.type).toBe('number');
    expect(VARIABLE_SETS.products.fields['quantity']!.type).toBe('integer');
    expect(VARIABLE_SETS.customer.fields['phone']!.type).toBe('phone');
  });

  it('is frozen, so no caller can change the catalogue for everyone', () => {
    expect(Object.isFrozen(VARIABLE_SETS.order.fields)).toBe(true);
    expect(() => {
      (VARIABLE_SETS.order.fields as Record<string, unknown>)['hack'] = { type: 'string', description: 'x' };
    }).toThrow(TypeError);
  });

  it('is what validation accepts: every catalogued field, and nothing else', () => {
    const all = (set: keyof typeof VARIABLE_SETS) => Object.fromEntries(Object.keys(VARIABLE_SETS[set].fields).map((f) => [f, 'x']));
    const definition = {
      uniqueId: { type: 'email', path: 'email' },
      variableSets: { order: all('order'), customer: all('customer'), shopify: all('shopify'), products: { from: 'items[]', fields: all('products') } },
    };
    expect(validateMapping(definition).errors).toEqual([]);
  });
});
