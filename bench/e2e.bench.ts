// npm run bench:e2e — webhooks at a fixed rate (1,000/s by default) for 60 s through all four
// services on the real broker and Postgres: the latency from each 202 to its `journey
// triggered` message on the output topic (p50, p99, max), and the ledger check (every
// accepted delivery started exactly one journey). Last line:
//   e2e p50 <x> ms p99 <y> ms at <rate>/s, missing <n>, duplicated <m>
//
// Starts what it needs, like bench:ingress: a broker of its own unless KAFKA_BROKERS is set,
// a database of its own on DATABASE_URL's server, the built services (built first unless
// BENCH_SKIP_BUILD=1). The load generator is a process of its own (bench/e2e-load.ts).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@hookline/contracts';
import { Client } from 'pg';
import { SERVICES, startStack } from '@hookline/testing';
import { machine } from './harness';
import { abort, broker, cleanups, cpuSeconds, database, int, json, ROOT, run, work } from './infra';

const RATE = int('BENCH_RATE', 1_000);
const DURATION_S = int('BENCH_DURATION_S', 60);
// Long enough for the broker's JIT to settle: a fresh JVM spends about half its CPU compiling
// for its first 30 s of load, which is not what a running cluster costs.
const WARMUP_S = int('BENCH_WARMUP_S', 30);
const DELIVERY_HEADER = 'x-wc-webhook-delivery-id';
const ORDER = readFileSync(join(ROOT, 'libs/testing/fixtures/payloads/woocommerce__order_created.json'), 'utf8').replace('"email": "john.doe@example.com"', '"email": "customer-{{customer}}@example.com"');
const nowMs = () => performance.timeOrigin + performance.now();

interface Journey {
  eventId: string;
  source: { eventId: string; deliveryId: string | null };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function load(url: string, seconds: number, outFile: string): Promise<{ sent: number; answers: Record<string, number>; accepted: number; seconds: number; cpuSeconds: number }> {
  const args = JSON.stringify({ url, rate: RATE, seconds, body: ORDER, deliveryHeader: DELIVERY_HEADER, customers: 1_000, outFile });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/e2e-load.ts'), args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((ok, ko) => child.once('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').pop()!)) : ko(new Error(`the load generator failed: ${err}`)))));
}

const ELAPSED = 'elapsed';

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) abort('the build failed');
  }
  const { brokers, pid: brokerPid } = await broker();
  const databaseUrl = await database();
  const stack = await startStack({ kafkaBrokers: brokers, databaseUrl, extraEnv: { LOG_LEVEL: 'warn' } });
  cleanups.push(() => stack.stop());
  const backends = new Client({ connectionString: databaseUrl });
  await backends.connect();
  cleanups.push(() => backends.end());
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  /**
   * CPU seconds so far of each part of the system: every service, the broker (when this run
   * started it) and the Postgres backends of the bench's database (their pids from
   * pg_stat_activity; a backend that came later counts from zero), with the wall clock as
   * `elapsed`.
   */
  const cpuOfParts = async () => {
    const out: Record<string, number> = {};
    for (const service of SERVICES) out[service] = cpuSeconds(stack.pid(service));
    if (brokerPid) out['broker'] = cpuSeconds(brokerPid);
    const pids = (await backends.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName])).rows;
    out['postgres'] = pids.reduce((sum, r) => sum + (cpuSeconds(r.pid) || 0), 0);
    out[ELAPSED] = performance.now() / 1000;
    return out;
  };

  const { apiKey } = await json<{ apiKey: string }>('POST', `${stack.baseUrl}/v1/workspaces`, stack.adminToken, { name: 'bench-e2e' });
  const trigger = await json<{ id: string; url: string }>('POST', `${stack.baseUrl}/v1/triggers`, apiKey, { flowId: 'flow_bench', name: 'bench' });
  await json('PUT', `${stack.baseUrl}/v1/triggers/${trigger.id}/mapping`, apiKey, {
    uniqueId: { type: 'email', path: 'billing.email' },
    variables: [
      { name: 'orderId', path: 'id', type: 'string' },
      { name: 'total', path: 'total', type: 'number' },
    ],
    variableSets: { products: { from: 'line_items[]', fields: { name: 'name', price: 'price', quantity: 'quantity' } } },
  });
  await json('PATCH', `${stack.baseUrl}/v1/triggers/${trigger.id}`, apiKey, { status: 'live' });

  // The output topic, read as its consumers would, each message stamped when it arrives.
  const arrivals = new Map<string, number>();
  const journeysPerDelivery = new Map<string, Set<string>>();
  const kafka = new Kafka({ clientId: `bench-e2e-${randomUUID()}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-e2e-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  // The mapped topic too, to tell where the time goes: 202 → mapped (mapping), mapped → journey (journey-trigger and its outbox).
  const mappedAt = new Map<string, number>();
  await consumer.subscribe({ topics: [stack.topic(TOPICS.JOURNEY_TRIGGERED), stack.topic(TOPICS.TRIGGER_MAPPED)], fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const at = nowMs();
      if (topic === stack.topic(TOPICS.TRIGGER_MAPPED)) {
        const mapped = JSON.parse(message.value!.toString()) as { source: { eventId: string } };
        if (!mappedAt.has(mapped.source.eventId)) mappedAt.set(mapped.source.eventId, at);
        return;
      }
      const journey = JSON.parse(message.value!.toString()) as Journey;
      if (!arrivals.has(journey.source.eventId)) arrivals.set(journey.source.eventId, at);
      const key = journey.source.deliveryId ?? journey.source.eventId;
      journeysPerDelivery.set(key, (journeysPerDelivery.get(key) ?? new Set()).add(journey.eventId));
    },
  });
  await joined;

  console.log(`machine: ${machine()}`);
  console.log(`broker ${brokers}${process.env.KAFKA_BROKERS ? '' : ' (started for this run)'}; ${RATE} webhooks/s for ${WARMUP_S} s of warm-up and ${DURATION_S} s measured, a ${Buffer.byteLength(ORDER)}-byte WooCommerce order each, a new delivery id each`);
  const warm = await load(trigger.url, WARMUP_S, join(work, 'warm.txt'));
  // CPU of every part, from the measured window's start until its last journey arrived.
  const cpuBefore = await cpuOfParts();
  const readerBefore = process.cpuUsage();
  const measured = await load(trigger.url, DURATION_S, join(work, 'measured.txt'));
  const load1 = loadavg()[0]!;
  const accepted = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [eventId, deliveryId, at] = line.split(' ');
        return { eventId: eventId!, deliveryId: `${DELIVERY_HEADER}:${deliveryId}`, at: Number(at) };
      });
  const all = [...accepted(join(work, 'warm.txt')), ...accepted(join(work, 'measured.txt'))];
  const window = accepted(join(work, 'measured.txt'));

  // Every accepted event's journey, or 60 s of nothing new.
  let seen = -1;
  let quietSince = Date.now();
  while (all.some((a) => !arrivals.has(a.eventId)) && Date.now() - quietSince < 60_000) {
    if (arrivals.size !== seen) {
      seen = arrivals.size;
      quietSince = Date.now();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const cpuAfter = await cpuOfParts();
  const reader = process.cpuUsage(readerBefore);
  const missing = all.filter((a) => !arrivals.has(a.eventId)).length;
  const duplicated = [...journeysPerDelivery.values()].filter((ids) => ids.size > 1).length;
  const latencies = window
    .filter((a) => arrivals.has(a.eventId))
    .map((a) => arrivals.get(a.eventId)! - a.at)
    .sort((a, b) => a - b);
  const toMapped = window.filter((a) => mappedAt.has(a.eventId)).map((a) => mappedAt.get(a.eventId)! - a.at).sort((a, b) => a - b);
  const mappedToJourney = window.filter((a) => mappedAt.has(a.eventId) && arrivals.has(a.eventId)).map((a) => arrivals.get(a.eventId)! - mappedAt.get(a.eventId)!).sort((a, b) => a - b);
  const rate = measured.accepted / measured.seconds;
  const others = Object.entries(measured.answers).filter(([code]) => code !== '202');
  console.log(`sent ${warm.sent + measured.sent} (warm-up ${warm.sent}); answers in the measured window: ${Object.entries(measured.answers).map(([c, n]) => `${c}×${n}`).join(' ')}`);
  if (others.length > 0) console.log(`not accepted: ${others.map(([c, n]) => `${c}×${n}`).join(' ')} (a provider retries these; not counted as missing)`);
  console.log(`202 → journey on the topic: p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms over ${latencies.length} journeys; load average ${load1.toFixed(1)}`);
  console.log(`where: 202 → mapped p50 ${percentile(toMapped, 50).toFixed(1)} ms p99 ${percentile(toMapped, 99).toFixed(1)} ms; mapped → journey p50 ${percentile(mappedToJourney, 50).toFixed(1)} ms p99 ${percentile(mappedToJourney, 99).toFixed(1)} ms`);
  const perJourney = (seconds: number) => ((seconds / window.length) * 1000).toFixed(3);
  const parts = Object.keys(cpuAfter)
    .filter((part) => part !== ELAPSED)
    .map((part) => [part, cpuAfter[part]! - (cpuBefore[part] ?? 0)] as const);
  parts.push(['load generator', measured.cpuSeconds], ['this reader', (reader.user + reader.system) / 1e6]);
  const cpuTotal = parts.reduce((sum, [, seconds]) => sum + seconds, 0);
  console.log(`CPU per accepted webhook, ms: ${parts.map(([part, seconds]) => `${part} ${perJourney(seconds)}`).join(', ')}; total ${perJourney(cpuTotal)} (${((cpuTotal / ((cpuAfter[ELAPSED]! - cpuBefore[ELAPSED]!) * availableParallelism())) * 100).toFixed(0)} % of ${availableParallelism()} cores)`);
  console.log(`ledger: ${all.length} accepted, ${all.length - missing} with their journey, missing ${missing}, duplicated ${duplicated}`);
  console.log(`e2e p50 ${Math.round(percentile(latencies, 50))} ms p99 ${Math.round(percentile(latencies, 99))} ms at ${Math.round(rate)}/s, missing ${missing}, duplicated ${duplicated}`);
}

run(main);
