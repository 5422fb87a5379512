// compileMapping does the parsing once: running the compiled function must not parse a path
// again, nor hand a path string to the selector (which would parse it on every event).
import type * as Payload from '@hookline/payload';

const calls = { parsePath: 0, stringPathSelects: 0 };

jest.mock('@hookline/payload', () => {
  const actual = jest.requireActual<typeof Payload>('@hookline/payload');
  return {
    ...actual,
    parsePath: (path: string) => {
      calls.parsePath++;
      return actual.parsePath(path);
    },
    selectValue: (input: Payload.PathInput, path: string | Payload.ParsedPath) => {
      if (typeof path === 'string') calls.stringPathSelects++;
      return actual.selectValue(input, path);
    },
    selectValues: (input: Payload.PathInput, path: string | Payload.ParsedPath) => {
      if (typeof path === 'string') calls.stringPathSelects++;
      return actual.selectValues(input, path);
    },
  };
});

import { compileMapping } from './compile-mapping';

describe('compile once', () => {
  it('parses every path at compile time and none while running', () => {
    const sut = compileMapping({
      uniqueId: { type: 'phone', path: 'customer.phone', fallbacks: ['billing.phone'], defaultCountry: 'IN' },
      variables: [
        { name: 'total', path: 'total', type: 'number', transform: [{ op: 'scale', factor: 0.01 }] },
        { name: 'greeting', path: 'x', transform: { op: 'template', template: 'Hi {{customer.name}}' } },
        { name: 'topic', path: '$headers.x-topic' },
      ],
      variableSets: { products: { from: 'items[]', fields: { name: 'name', price: 'price' } }, order: { id: 'id' } },
      filter: { all: [{ path: 'status', op: 'eq', value: 'paid' }, { any: [{ path: 'total', op: 'gt', value: 0 }] }] },
      dedupeKey: { path: 'id' },
    });
    expect(calls.parsePath).toBeGreaterThan(0);
    const parsedAtCompile = calls.parsePath;
    const input = {
      body: { id: 7, status: 'paid', total: 1999, customer: { phone: '98765 43210', name: 'Asha' }, items: [{ name: 'Tea', price: '2' }] },
      headers: { 'x-topic': 'orders/paid' },
    };
    for (let i = 0; i < 5; i++) {
      const result = sut(input);
      expect(result).toMatchObject({ ok: true, matched: true, uniqueId: { value: '+919876543210' }, variables: { total: 19.99, greeting: 'Hi Asha', topic: 'orders/paid' } });
    }
    expect(calls.parsePath).toBe(parsedAtCompile);
    expect(calls.stringPathSelects).toBe(0);
  });
});
