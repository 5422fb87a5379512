import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBody } from '../lib/parse-body';
import type { JsonValue } from '../lib/json';

/** Test-only: the real payloads in libs/testing/fixtures/payloads. */
export const FIXTURE_DIR = path.resolve(__dirname, '../../../testing/fixtures/payloads');

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.json') || name.endsWith('.txt'))
    .sort();
}

export function rawFixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, name));
}

export function fixture(name: string): JsonValue {
  const contentType = name.endsWith('.txt') ? 'application/x-www-form-urlencoded' : 'application/json';
  return parseBody(rawFixture(name), contentType);
}

/** A small deterministic PRNG (mulberry32) for property-style tests. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
