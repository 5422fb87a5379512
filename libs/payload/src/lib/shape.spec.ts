import { fixtureBytes } from '@hookline/testing';
import { parseBody } from './parse-body';
import { shapeSignature } from './shape';

const sut = shapeSignature;
const order = () => parseBody(fixtureBytes('woocommerce__order_created.json'), 'application/json') as Record<string, unknown> & { line_items: unknown[] };

describe('shapeSignature', () => {
  it('is the same for bodies that differ only in their values and their arrays’ lengths', () => {
    const a = order();
    const b = order();
    b['total'] = '9999.00';
    b['billing'] = { ...(b['billing'] as object), email: 'someone.else@example.com' };
    b.line_items = [...b.line_items, ...b.line_items];
    expect(sut(b as never)).toBe(sut(a as never));
  });

  it('changes when a field is added, removed or changes type', () => {
    const base = sut(order() as never);
    const added = order();
    added['loyalty_tier'] = 'gold';
    const removed = order();
    delete removed['total'];
    const retyped = order();
    retyped['total'] = 42.5;
    expect(new Set([base, sut(added as never), sut(removed as never), sut(retyped as never)]).size).toBe(4);
  });

  it('tells an integer from a fraction, and null from a missing field', () => {
    expect(sut({ a: 1 })).not.toBe(sut({ a: 1.5 }));
    expect(sut({ a: null })).not.toBe(sut({}));
    expect(sut({ a: 10n ** 20n })).toBe(sut({ a: 3 }));
  });
});
