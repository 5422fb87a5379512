// The samples of bench:discovery, the same for both sides: the 12 fixture payloads and a stream
// of Shopify orders/create variants (fields removed and added, types changed, fewer or more line
// items, other customers), as a trigger would receive them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchema, extendSchema, type Schema } from 'genson-js';
import { addSample, emptyProfile, parseBody, stringifyLossless, type JsonValue, type SchemaProfile } from '@hookline/payload';

export const FIXTURE_DIR = join(__dirname, '../libs/testing/fixtures/payloads');

export interface Sample {
  name: string;
  /** parseBody output (lossless: big integers are bigints). Ours. */
  ours: JsonValue;
  /** JSON.parse output (genson-js cannot take bigints); the form body is already plain strings. Theirs. */
  theirs: unknown;
  /** When the sample arrived (ISO 8601), as the service passes it to addSample. */
  observedAt: string;
}

/** mulberry32: deterministic, so every run sees the same stream. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = { [key: string]: JsonValue };

/** One Shopify order variant (a fresh object; `base` is not changed). */
function shopifyVariant(base: Obj, i: number, random: () => number): Obj {
  const order = structuredClone(base);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  order['id'] = (order['id'] as bigint) + BigInt(i + 1);
  order['name'] = `#${10000 + i}`;
  order['order_number'] = 10000 + i;
  order['email'] = ` Customer${i}@Example.com `;
  order['created_at'] = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
  // fields removed
  const keys = Object.keys(order).filter((k) => k !== 'id' && k !== 'line_items');
  for (let n = Math.floor(random() * 4); n > 0; n--) delete order[pick(keys)];
  // line items: between 0 and 7, quantities vary, sometimes a new field
  const items = (base['line_items'] as Obj[]) ?? [];
  const count = Math.floor(random() * 8);
  order['line_items'] = Array.from({ length: count }, (_, k) => {
    const item = structuredClone(items[k % items.length]!);
    item['quantity'] = 1 + Math.floor(random() * 5);
    if (random() < 0.2) item['gift_card'] = random() < 0.5;
    if (random() < 0.1) item['properties'] = [{ name: 'engraving', value: `for ${k}` }];
    return item;
  });
  // types changed
  if (random() < 0.3) order['total_price'] = Number(order['total_price'] ?? 0);
  if (random() < 0.15) order['customer'] = null;
  if (random() < 0.2) order['phone'] = `+1 555 01${String(i % 100).padStart(2, '0')}`;
  if (random() < 0.2) order['note'] = random() < 0.5 ? null : `leave at the door ${i}`;
  // fields added
  if (random() < 0.3) order['note_attributes'] = [{ name: 'utm_source', value: pick(['ig', 'fb', 'email']) }];
  if (random() < 0.1) order[`x_custom_${i % 5}`] = pick<JsonValue>(['text', 42, 4.2, true, { nested: 'yes' }]);
  return order;
}

export function loadSamples(variants = Number(process.env['BENCH_VARIANTS'] ?? 36)): Sample[] {
  const samples: Sample[] = [];
  const at = (n: number): string => new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const files = readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json') || f.endsWith('.txt'))
    .sort();
  for (const file of files) {
    const raw = readFileSync(join(FIXTURE_DIR, file));
    const form = file.endsWith('.txt');
    const ours = parseBody(raw, form ? 'application/x-www-form-urlencoded' : 'application/json');
    const theirs: unknown = form ? ours : JSON.parse(raw.toString('utf8'));
    samples.push({ name: file, ours, theirs, observedAt: at(samples.length) });
  }
  const base = samples.find((s) => s.name === 'shopify__orders_create.json')!.ours as Obj;
  const random = prng(20250101);
  for (let i = 0; i < variants; i++) {
    const ours = shopifyVariant(base, i, random);
    // What JSON.parse gives for the same text: the 64-bit ids become (rounded) numbers.
    samples.push({ name: `shopify order variant ${i}`, ours, theirs: JSON.parse(stringifyLossless(ours)), observedAt: at(samples.length) });
  }
  return samples;
}

export interface DiscoveryOps {
  samples: Sample[];
  /** addSample of the next sample into the trigger's profile (the profile keeps folding). */
  ours: () => number;
  /** genson-js extendSchema of the next sample into the trigger's schema (keeps folding). */
  theirs: () => number;
  profile: () => SchemaProfile;
  schema: () => Schema;
}

/**
 * Both sides start from the state after one pass over the stream (a trigger that has seen
 * samples), then each op folds the next sample of the stream (round robin) into it.
 */
export function discoveryOps(samples = loadSamples()): DiscoveryOps {
  let profile = emptyProfile();
  let schema: Schema = createSchema(samples[0]!.theirs);
  samples.forEach((s, k) => {
    profile = addSample(profile, s.ours, { observedAt: s.observedAt });
    if (k > 0) schema = extendSchema(schema, s.theirs);
  });
  let i = 0;
  let j = 0;
  const n = samples.length;
  return {
    samples,
    ours: () => {
      const s = samples[i]!;
      i = i + 1 === n ? 0 : i + 1;
      profile = addSample(profile, s.ours, { observedAt: s.observedAt });
      return profile.nodes.length;
    },
    theirs: () => {
      const s = samples[j]!;
      j = j + 1 === n ? 0 : j + 1;
      schema = extendSchema(schema, s.theirs);
      return schema.properties ? 1 : 0;
    },
    profile: () => profile,
    schema: () => schema,
  };
}
