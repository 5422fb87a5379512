import { readFileSync } from 'node:fs';
import { allowedOf, OPERATIONS_DOC, renderConfigReference, SERVICE_SCHEMAS, withConfigReference } from './config-reference';

describe('the configuration reference in docs/operations.md', () => {
  it('is what the config schemas render (npm run docs:config rewrites it)', () => {
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');
    expect(withConfigReference(doc)).toBe(doc);
  });

  it('lists every variable of every service, each with what it does', () => {
    const text = renderConfigReference();
    for (const [service, schema] of SERVICE_SCHEMAS) {
      for (const [name, p] of Object.entries(schema.properties)) {
        expect([service, name, text.includes(`| \`${name}\` |`)]).toEqual([service, name, true]);
        expect([service, name, (p.description ?? '').length > 10]).toEqual([service, name, true]);
      }
    }
  });

  it('says what a variable accepts in words', () => {
    expect(allowedOf({ type: 'integer', minimum: 1, maximum: 64 })).toBe('integer 1–64');
    expect(allowedOf({ type: 'string', enum: ['error', 'warn'] })).toBe('`error`, `warn`');
    expect(allowedOf({ type: 'string', minLength: 16 })).toBe('≥ 16 characters');
    expect(allowedOf({ type: 'string', pattern: '^https?://' })).toBe('matching `^https?://`');
  });
});
