// npm run bench:ingress — the webhook route of a live trigger on the real broker, under load
// from a separate autocannon process, against a bare node:http server answering 202 (the
// baseline), alternating the two over several rounds. Every 202 our gateway gave must be on
// the topic. The last line: `<ours> req/s vs node:http <theirs> req/s = <ratio>x` (medians).
//
// Starts what it needs: a broker of its own (scripts/lib/kafka-local.mjs, free ports) unless
// KAFKA_BROKERS is set; a database of its own on DATABASE_URL's server (or the local one);
// the built gateway (built first unless BENCH_SKIP_BUILD=1). Only the gateway runs: the
// consumers would compete for the same two cores, and the route does not wait for them.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_SPECS, TOPICS } from '@hookline/contracts';
import { machine, median } from './harness';
import { abort, broker, cpuSeconds, database, freePort, int, json, ROOT, run, startChild, treeCpuSeconds, work } from './infra';

const BODY_FILE = join(ROOT, 'libs/testing/fixtures/payloads/shopify__customers_create.json'); // a real 1 KB webhook
const RECEIVED_TOPIC = 'hookline.webhook.received.v1';
const RECEIVED_PARTITIONS = TOPIC_SPECS.find((t) => t.topic === TOPICS.WEBHOOK_RECEIVED)!.partitions;

const CONNECTIONS = int('BENCH_CONNECTIONS', 100);
const DURATION_S = int('BENCH_DURATION_S', 15);
const ROUNDS = int('BENCH_ROUNDS', 3, 3);
const WARMUP_S = int('BENCH_WARMUP_S', 3);
// GATEWAY_WORKERS settings to measure, each as a gateway of its own: the first is the issue's line.
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map((w) => Math.max(1, Math.floor(Number(w)) || 1));

interface LoadResult {
  statuses: Record<string, number>;
  accepted: number;
  acceptedPerSecond: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  ids: number;
}

/** Runs the load generator; async, so this process keeps draining the gateway's log pipes meanwhile. */
function load(url: string, durationSeconds: number, idsFile?: string): Promise<LoadResult> {
  const args = JSON.stringify({ url, bodyFile: BODY_FILE, connections: CONNECTIONS, durationSeconds, idsFile });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ingress-load.ts'), args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((ok, ko) =>
    child.once('exit', (code) => {
      if (code !== 0) ko(new Error(`the load generator failed: ${err}`));
      else ok(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    }),
  );
}

/** Reads the topic from the beginning until every id is found, or nothing new arrives for 30 s. */
async function missingOnTopic(brokers: string, topic: string, expected: Set<string>): Promise<number> {
  const missing = new Set(expected);
  const kafka = new Kafka({ clientId: 'bench-ingress-verify', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-ingress-verify-${randomBytes(4).toString('hex')}`, maxBytes: 50 << 20, maxBytesPerPartition: 10 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let lastProgress = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) if (m.key && missing.delete(m.key.toString())) lastProgress = Date.now();
    },
  });
  while (missing.size > 0 && Date.now() - lastProgress < 30_000) await new Promise((r) => setTimeout(r, 250));
  await consumer.disconnect();
  return missing.size;
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

const fmt = (n: number) => Math.round(n).toString();
const describe = (r: LoadResult) => {
  const others = Object.entries(r.statuses).filter(([code]) => code !== '202');
  const extra = others.length ? `, other answers ${others.map(([c, n]) => `${c}×${n}`).join(' ')}` : '';
  return `${fmt(r.acceptedPerSecond)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms${extra}${r.errors ? `, ${r.errors} errors` : ''})`;
};

/** One server under load: its 202s per second, and the CPU it (with its child processes) spent per 202. */
interface Side {
  name: string;
  url: string;
  pid: number;
  /** Ours: the ids of its 202s are collected and looked for on the topic. */
  verified: boolean;
  results: LoadResult[];
  cpuPerAccepted: number[];
  brokerCpuPerAccepted: number[];
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) abort('the build failed');
  }
  const { brokers, pid: brokerPid } = await broker();
  const databaseUrl = await database();
  const adminToken = randomBytes(24).toString('base64url');
  const prefix = `bench${randomBytes(4).toString('hex')}.`;
  const [baselinePort, referencePort, closedPort] = [await freePort(), await freePort(), await freePort()];
  const gatewayPorts = await Promise.all(WORKERS.map(() => freePort()));
  const gatewayUrls = gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    HOOKLINE_ADMIN_TOKEN: adminToken,
    HOOKLINE_INTERNAL_TOKEN: randomBytes(24).toString('base64url'),
    HOOKLINE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    // Not started (see above); nothing on the webhook route calls them.
    SCHEMA_DISCOVERY_URL: `http://127.0.0.1:${closedPort}`,
    MAPPING_URL: `http://127.0.0.1:${closedPort}`,
    JOURNEY_TRIGGER_URL: `http://127.0.0.1:${closedPort}`,
    LOG_LEVEL: 'warn',
  };
  const entry = join(ROOT, 'dist/apps/ingress-gateway/src/main.js');
  const migrated = spawnSync(process.execPath, [entry, 'migrate'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (migrated.status !== 0) abort(`migrate failed: ${migrated.stderr}`);
  // BENCH_NODE_ARGS: extra node flags for our gateways and the reference, e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // One gateway per GATEWAY_WORKERS setting measured: replicas of one system (one database, one topic prefix).
  const gateways: ChildProcess[] = [];
  for (const [i, workers] of WORKERS.entries()) {
    const url = gatewayUrls[i]!;
    const own = { ...env, PORT: String(gatewayPorts[i]), PUBLIC_BASE_URL: url, GATEWAY_WORKERS: String(workers) };
    gateways.push(await startChild(`the gateway (${workers} worker(s))`, [...nodeArgs, entry], own, async () => (await fetch(`${url}/health/live`)).status === 200));
  }
  const baselineCode = `
    const http = require('node:http');
    let n = 0;
    http.createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        const body = JSON.stringify({ eventId: String(++n) });
        res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    }).listen(${baselinePort}, '127.0.0.1');`;
  const baseline = await startChild('the node:http baseline', ['-e', baselineCode], {}, async () => (await fetch(`http://127.0.0.1:${baselinePort}/`, { method: 'POST', body: '{}' })).status === 202);
  // The issue's reference (bench/reference-gateway.mjs) writes to a topic of its own, shaped like ours.
  const referenceTopic = `${prefix}bench.reference`;
  const admin = new Kafka({ clientId: 'bench-ingress-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: referenceTopic, numPartitions: RECEIVED_PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const reference = await startChild('the reference', [...nodeArgs, join(ROOT, 'bench/reference-gateway.mjs'), String(referencePort), brokers, referenceTopic], {}, async () => (await fetch(`http://127.0.0.1:${referencePort}/`, { method: 'POST', body: '{}' })).status === 202);

  const workspace = await json<{ apiKey: string }>('POST', `${gatewayUrls[0]}/v1/workspaces`, adminToken, { name: 'bench' });
  const trigger = await json<{ id: string; url: string }>('POST', `${gatewayUrls[0]}/v1/triggers`, workspace.apiKey, { flowId: 'flow_bench', name: 'bench' });
  await json('PATCH', `${gatewayUrls[0]}/v1/triggers/${trigger.id}`, workspace.apiKey, { status: 'live' });
  const hookPath = new URL(trigger.url).pathname;
  // Every replica serves the trigger once its cache has the change (from the config topic).
  for (const url of gatewayUrls) {
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${url}${hookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status !== 202) {
      if (Date.now() > deadline) abort(`the gateway at ${url} does not serve the live trigger`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const side = (name: string, url: string, pid: number, verified: boolean): Side => ({ name, url, pid, verified, results: [], cpuPerAccepted: [], brokerCpuPerAccepted: [] });
  const ours = WORKERS.map((workers, i) => side(workers === 1 ? 'ours' : `ours×${workers}`, `${gatewayUrls[i]}${hookPath}`, gateways[i]!.pid!, true));
  const sides = [...ours, side('node:http', `http://127.0.0.1:${baselinePort}/hooks/x/y`, baseline.pid!, false), side('reference', `http://127.0.0.1:${referencePort}/hooks/x/y`, reference.pid!, false)];
  const [baselineSide, referenceSide] = [sides[sides.length - 2]!, sides[sides.length - 1]!];
  const idFiles: string[] = [];
  const run = async (s: Side, seconds: number, measured: boolean): Promise<void> => {
    let file: string | undefined;
    if (s.verified) {
      file = join(work, `ids-${idFiles.length}.txt`);
      idFiles.push(file);
    }
    const before = treeCpuSeconds(s.pid);
    const brokerBefore = cpuSeconds(brokerPid);
    const result = await load(s.url, seconds, file);
    if (!measured) return;
    s.results.push(result);
    s.cpuPerAccepted.push(((treeCpuSeconds(s.pid) - before) / result.accepted) * 1e6);
    s.brokerCpuPerAccepted.push(((cpuSeconds(brokerPid) - brokerBefore) / result.accepted) * 1e6);
  };

  console.log(`machine: ${machine()}`);
  console.log(
    `broker ${brokers}${process.env.KAFKA_BROKERS ? '' : ' (started for this run)'}; ${CONNECTIONS} connections, ${readFileSync(BODY_FILE).length}-byte JSON body, ${ROUNDS} rounds of ${DURATION_S} s per side (${sides.map((s) => s.name).join(', ')}), taking turns; warm-up ${WARMUP_S} s each`,
  );
  for (const s of sides) await run(s, WARMUP_S, false);
  for (let round = 1; round <= ROUNDS; round++) {
    // Each side goes first in turn, so a load that comes and goes hits every side alike.
    for (let i = 0; i < sides.length; i++) await run(sides[(round - 1 + i) % sides.length]!, DURATION_S, true);
    const theirs = baselineSide.results[round - 1]!.acceptedPerSecond;
    const parts = sides.map((s) => {
      const r = s.results[round - 1]!;
      const ratio = s === baselineSide ? '' : ` = ${(r.acceptedPerSecond / theirs).toFixed(2)}x`;
      const broker = s.verified && brokerPid ? ` + broker ${s.brokerCpuPerAccepted[round - 1]!.toFixed(0)}` : '';
      return `${s.name} ${describe(r)}${ratio}, CPU ${s.cpuPerAccepted[round - 1]!.toFixed(0)}${broker} µs/202`;
    });
    console.log(`round ${round}: ${parts.join(' | ')}`);
  }

  for (const [i, url] of gatewayUrls.entries()) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const batches = metricValue(metrics, 'hookline_kafka_produce_batch_size_count');
    const messages = metricValue(metrics, 'hookline_kafka_produce_batch_size_sum');
    console.log(`${ours[i]!.name}: ${batches} produce calls, ${(messages / batches).toFixed(1)} messages per call on average (its /metrics)`);
  }

  const expected = new Set<string>();
  for (const file of idFiles) for (const id of readFileSync(file, 'utf8').split('\n')) if (id) expected.add(id);
  const missing = await missingOnTopic(brokers, `${prefix}${RECEIVED_TOPIC}`, expected);
  if (missing > 0) abort(`${missing} of ${expected.size} events answered 202 are not on ${prefix}${RECEIVED_TOPIC}`);
  console.log(`verified: all ${expected.size} events our gateways answered 202 (warm-ups included) are on the topic`);

  const medianRate = (s: Side) => median(s.results.map((r) => r.acceptedPerSecond));
  const theirsMedian = medianRate(baselineSide);
  const referenceMedian = medianRate(referenceSide);
  console.log(`p99 medians: ${sides.map((s) => `${s.name} ${median(s.results.map((r) => r.p99))} ms`).join(', ')}`);
  console.log(`CPU per 202, medians: ${sides.map((s) => `${s.name} ${median(s.cpuPerAccepted).toFixed(0)} µs`).join(', ')}${brokerPid ? `; broker ${median(ours[0]!.brokerCpuPerAccepted).toFixed(0)} µs per message` : ''}`);
  console.log(`reference (node:http + JSON.parse + the coalescing producer, no checks): ${fmt(referenceMedian)} req/s = ${(referenceMedian / theirsMedian).toFixed(2)}x of node:http`);
  for (const [i, s] of ours.entries()) {
    if (i > 0) console.log(`GATEWAY_WORKERS=${WORKERS[i]}: ${fmt(medianRate(s))} req/s vs node:http ${fmt(theirsMedian)} req/s = ${(medianRate(s) / theirsMedian).toFixed(2)}x`);
  }
  // The issue's line: one gateway process against one node:http process.
  console.log(`${fmt(medianRate(ours[0]!))} req/s vs node:http ${fmt(theirsMedian)} req/s = ${(medianRate(ours[0]!) / theirsMedian).toFixed(2)}x`);
}

run(main);
