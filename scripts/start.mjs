#!/usr/bin/env node
// `npm start`: the whole system on this machine. Installs what is missing, starts a Kafka
// broker from the repo's jars (unless KAFKA_BROKERS is set), creates and migrates the
// database, starts the four services, and prints the base URL and a demo API key.
// Ctrl-C or SIGTERM stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ensureDependencies } from './lib/ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = ['schema-discovery', 'mapping', 'journey-trigger', 'ingress-gateway'];
const log = (line) => console.log(`[hookline] ${line}`);

ensureDependencies(root);
build(root);
const { fetchKafka, startKafka } = await import('./lib/kafka-local.mjs');

const port = Number(process.env.PORT ?? 3000);
const stateDir = join(root, '.hookline');
mkdirSync(stateDir, { recursive: true });
const adminTokenGenerated = !process.env.HOOKLINE_ADMIN_TOKEN;
const env = {
  ...process.env,
  PORT: String(port),
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hookline',
  HOOKLINE_ADMIN_TOKEN: process.env.HOOKLINE_ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
  HOOKLINE_INTERNAL_TOKEN: process.env.HOOKLINE_INTERNAL_TOKEN ?? randomBytes(24).toString('base64url'),
  HOOKLINE_ENCRYPTION_KEY: process.env.HOOKLINE_ENCRYPTION_KEY || localEncryptionKey(),
  SCHEMA_DISCOVERY_PORT: process.env.SCHEMA_DISCOVERY_PORT ?? String(port + 1),
  MAPPING_PORT: process.env.MAPPING_PORT ?? String(port + 2),
  JOURNEY_TRIGGER_PORT: process.env.JOURNEY_TRIGGER_PORT ?? String(port + 3),
};
env.SCHEMA_DISCOVERY_URL ??= `http://127.0.0.1:${env.SCHEMA_DISCOVERY_PORT}`;
env.MAPPING_URL ??= `http://127.0.0.1:${env.MAPPING_PORT}`;
env.JOURNEY_TRIGGER_URL ??= `http://127.0.0.1:${env.JOURNEY_TRIGGER_PORT}`;
env.PUBLIC_BASE_URL ??= `http://localhost:${port}`;

let broker = null;
const children = new Map();
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (broker) await broker.stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

try {
  if (!process.env.KAFKA_BROKERS) {
    await fetchKafka();
    broker = await startKafka({ port: Number(process.env.KAFKA_PORT ?? 9092) });
    env.KAFKA_BROKERS = broker.brokers;
  }
  log(`Kafka: ${env.KAFKA_BROKERS}`);

  for (const service of SERVICES) {
    const r = spawnSync(process.execPath, [join(root, 'dist/apps', service, 'src/main.js'), 'migrate'], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${service}: migration failed\n${r.stdout}${r.stderr}`);
  }
  log('database migrated');

  for (const service of SERVICES) {
    const child = spawn(process.execPath, [join(root, 'dist/apps', service, 'src/main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `${service.padEnd(16)} | `;
    const pipe = (stream, out) => {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) out.write(prefix + readable(line) + '\n');
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${service} exited (${code ?? signal}); stopping everything`);
        void stopAll(1);
      }
    });
    children.set(service, child);
  }

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error('the services did not become ready within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }

  const apiKey = await demoKey(base);
  log('');
  log(`Hookline is up at ${env.PUBLIC_BASE_URL}  (GET /health/ready → 200)`);
  log(`the console: ${env.PUBLIC_BASE_URL}/console/  (sign in with the demo key below)`);
  log(`the API: ${env.PUBLIC_BASE_URL}/docs  (OpenAPI 3.1 at /openapi.json)`);
  if (adminTokenGenerated) log(`admin token (HOOKLINE_ADMIN_TOKEN, generated for this run): ${env.HOOKLINE_ADMIN_TOKEN}`);
  log(`demo workspace API key: ${apiKey}`);
  log(`try: curl -s -X POST ${env.PUBLIC_BASE_URL}/v1/triggers -H 'authorization: Bearer ${apiKey}' -H 'content-type: application/json' -d '{"flowId":"flow_welcome"}'`);
  log('Ctrl-C stops everything.');
} catch (error) {
  console.error(`[hookline] ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}

/**
 * The services log JSON lines (for a log pipeline); a terminal reads them better as
 * `time LEVEL [context] message key=value…`. HOOKLINE_LOG_FORMAT=json passes them through.
 */
function readable(line) {
  if (process.env.HOOKLINE_LOG_FORMAT === 'json' || !line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const { time, level, msg, context, ...fields } = entry;
  const at = typeof time === 'string' ? time.slice(11, 23) : '';
  // The prefix names the service already; the span id says little to a reader.
  const extra = Object.entries(fields)
    .filter(([k]) => !['service', 'pid', 'span_id'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${at} ${String(level ?? '').toUpperCase().padEnd(5)} ${context ? `[${context}] ` : ''}${msg ?? ''}${extra ? `  ${extra}` : ''}`;
}

/**
 * The key signing secrets are sealed with, for this machine: generated once and kept in
 * .hookline/ (git-ignored), because secrets sealed in the database need the same key on the
 * next run.
 */
function localEncryptionKey() {
  const file = join(stateDir, 'encryption-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The demo workspace's key, kept in .hookline/ (git-ignored) and reused while it works. */
async function demoKey(base) {
  const file = join(stateDir, `demo-${new URL(env.DATABASE_URL).pathname.slice(1)}.json`);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const ok = await fetch(`${base}/v1/triggers?limit=1`, { headers: { authorization: `Bearer ${saved.apiKey}` } }).then((r) => r.status === 200, () => false);
    if (ok) return saved.apiKey;
  }
  const res = await fetch(`${base}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.HOOKLINE_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'demo' }),
  });
  if (res.status !== 201) throw new Error(`could not create the demo workspace: ${res.status} ${await res.text()}`);
  const workspace = await res.json();
  writeFileSync(file, JSON.stringify({ workspaceId: workspace.id, apiKey: workspace.apiKey }), { mode: 0o600 });
  return workspace.apiKey;
}
