#!/usr/bin/env node
// `npm test`: every test — unit, integration and end-to-end — against a real Kafka broker
// and the real Postgres. Installs what is missing, builds (the end-to-end tests run the
// built services as processes), starts a broker of its own unless KAFKA_BROKERS is set,
// and ends with one line of totals: `N passed, M failed`.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ensureDependencies } from './lib/ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let passed = 0;
let failed = 0;

ensureDependencies(root);
build(root);

// Static checks count as tests: the module boundaries and lint rules are part of the contract.
for (const [name, cmd] of [['lint', ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', 'apps', 'libs', 'e2e', 'scripts', 'docker', 'k8s']]]) {
  if (args.length > 0) break;
  const r = spawnSync(process.execPath, cmd, { cwd: root, stdio: 'inherit' });
  if (r.status === 0) {
    passed += 1;
    console.log(`[test] ${name}: ok`);
  } else {
    failed += 1;
    console.log(`[test] ${name}: FAILED`);
  }
}

const { fetchKafka, startKafka } = await import('./lib/kafka-local.mjs');
const env = { ...process.env };
let broker = null;
if (!env.KAFKA_BROKERS) {
  await fetchKafka();
  broker = await startKafka({ port: 19092, dataDir: join(root, '.kafka/test-19092') });
  env.KAFKA_BROKERS = broker.brokers;
}
console.log(`[test] Kafka ${env.KAFKA_BROKERS}, Postgres ${redact(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')}`);

mkdirSync(join(root, 'tmp'), { recursive: true });
const results = join(root, 'tmp/jest-results.json');
rmSync(results, { force: true });
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--json', `--outputFile=${results}`, ...args], { cwd: root, env, stdio: 'inherit' });
if (broker) await broker.stop().catch(() => undefined);

if (existsSync(results)) {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  // A suite that fails to load has no failed tests of its own: count it, so it cannot hide.
  failed += summary.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  if (summary.numPendingTests + summary.numTodoTests > 0) console.log(`[test] ${summary.numPendingTests + summary.numTodoTests} skipped`);
} else {
  failed += 1;
}
if (jest.status !== 0 && failed === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
