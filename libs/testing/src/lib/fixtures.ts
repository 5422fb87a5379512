import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real webhook bodies (copied from shared/fixtures/payloads), byte for byte. */
export const FIXTURES_DIR = join(__dirname, '../../fixtures/payloads');

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, name));
}

export function fixtureText(name: string): string {
  return fixtureBytes(name).toString('utf8');
}
