// Test-only: real payloads from libs/testing/fixtures/payloads, parsed the way the services parse them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBody, type JsonValue } from '@hookline/payload';

export const PAYLOADS_DIR = join(__dirname, '../../../testing/fixtures/payloads');

export function loadPayload(file: string, contentType = 'application/json'): JsonValue {
  return parseBody(readFileSync(join(PAYLOADS_DIR, file)), contentType);
}

/** The example definition of API.md ("The mapping definition"), verbatim. */
export const API_EXAMPLE_DEFINITION = {
  uniqueId: { type: 'phone', path: 'customer.phone', fallbacks: ['billing_address.phone'], defaultCountry: 'IN' },
  variables: [
    { name: 'orderTotal', path: 'total_price', type: 'number' },
    { name: 'firstItem', path: 'line_items[0].title' },
  ],
  variableSets: {
    order: { id: 'id', name: 'name', totalPrice: 'total_price', currency: 'currency' },
    products: { from: 'line_items[]', fields: { name: 'title', price: 'price', quantity: 'quantity' } },
    customer: { firstName: 'customer.first_name', email: 'customer.email' },
  },
  filter: { all: [{ path: 'financial_status', op: 'eq', value: 'paid' }] },
  dedupeKey: { path: 'id' },
} as const;

/** Every bigint anywhere in a value (there must be none in an output). */
export function findBigints(value: unknown, at = ''): string[] {
  if (typeof value === 'bigint') return [at || '/'];
  if (Array.isArray(value)) return value.flatMap((v, i) => findBigints(v, `${at}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => findBigints(v, `${at}/${k}`));
  return [];
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
