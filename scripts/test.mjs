#!/usr/bin/env node
// `npm test`: every test — lint, the console's component tests (Vitest), and Jest's unit,
// integration and end-to-end tests — against a real Kafka broker and the real Postgres.
// Installs what is missing (npm packages; Chromium, for the console's end-to-end test),
// builds (the end-to-end tests run the built services as processes and the built console),
// starts a broker of its own unless KAFKA_BROKERS is set, and ends with one line of totals:
// `N passed, M failed`.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`; lint and the
// console's component tests then do not run.
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

// The console's component tests: Vitest in a browser-like DOM (apps/console/vite.config.mts).
if (args.length === 0) {
  const vitestResults = join(root, 'tmp/vitest-results.json');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  rmSync(vitestResults, { force: true });
  const vitest = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'apps/console/vite.config.mts', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestResults}`],
    { cwd: root, stdio: 'inherit' },
  );
  const before = failed;
  if (existsSync(vitestResults)) {
    const summary = JSON.parse(readFileSync(vitestResults, 'utf8'));
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    // A spec file that fails to load has no failed tests of its own: count it, so it cannot hide.
    failed += summary.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
    if (summary.numPendingTests + summary.numTodoTests > 0) console.log(`[test] console: ${summary.numPendingTests + summary.numTodoTests} skipped`);
  } else {
    failed += 1;
  }
  if (vitest.status !== 0 && failed === before) failed += 1;
  console.log(`[test] console component tests: ${failed === before ? 'ok' : 'FAILED'}`);
}

// The console's end-to-end test drives Debian's Chromium (playwright-core cannot download a
// browser here): install it when it is missing and the end-to-end tests will run.
if (args.length === 0 || args.some((a) => /e2e/.test(a))) ensureChromium();

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

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  if (process.env.CHROMIUM_PATH) {
    console.log(`[test] chromium: CHROMIUM_PATH=${path} does not exist; the console's end-to-end test will fail`);
    return;
  }
  console.log('[test] chromium: /usr/bin/chromium is missing; installing it (apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env });
  let r = install();
  // A machine whose package lists are stale or empty needs them first.
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = install();
  }
  if (r.status === 0 && existsSync(path)) console.log(`[test] chromium: installed (${path})`);
  else {
    console.log(
      `[test] chromium: could not install it (apt-get ${r.error ? r.error.message : `exited ${r.status}`}). ` +
        "The console's end-to-end test needs Debian's Chromium at /usr/bin/chromium: run `apt-get install -y chromium` as root, or set CHROMIUM_PATH to a Chromium of your own.",
    );
  }
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
