// One-shot `demo` service of docker/compose.yaml: waits until the gateway is ready, creates
// (or reuses) a demo workspace with the admin token, and prints what `npm start` prints: the
// base URL, the admin token and the demo workspace's API key.
//
//   node compose-demo.mjs [<dir>]     (default /state; reads <dir>/secrets.env, keeps <dir>/demo.json)
//
// GATEWAY_URL is where to reach the gateway (compose: http://ingress-gateway:3000);
// PUBLIC_BASE_URL is what to print (http://localhost:3000).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '/state';
const gateway = (process.env.GATEWAY_URL ?? 'http://ingress-gateway:3000').replace(/\/+$/, '');
const publicBase = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const log = (line) => console.log(`[hookline] ${line}`);

const secrets = Object.fromEntries(
  readFileSync(join(dir, 'secrets.env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const adminToken = process.env.HOOKLINE_ADMIN_TOKEN || secrets.HOOKLINE_ADMIN_TOKEN;

const deadline = Date.now() + Number(process.env.READY_TIMEOUT_MS ?? 180_000);
for (;;) {
  const ready = await fetch(`${gateway}/health/ready`).then((r) => r.status === 200, () => false);
  if (ready) break;
  if (Date.now() > deadline) {
    console.error(`[hookline] the gateway at ${gateway} did not become ready; see docker compose logs`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 1000));
}

const apiKey = await demoKey();
const consoleUp = await fetch(`${gateway}/console`, { redirect: 'manual' }).then((r) => r.status < 400, () => false);
log('');
log(`Hookline is up at ${publicBase}  (GET /health/ready → 200)`);
if (consoleUp) log(`console: ${publicBase}/console`);
log(`admin token (HOOKLINE_ADMIN_TOKEN, generated once, kept in the hookline-state volume): ${adminToken}`);
log(`demo workspace API key: ${apiKey}`);
log(`try: curl -s -X POST ${publicBase}/v1/triggers -H 'authorization: Bearer ${apiKey}' -H 'content-type: application/json' -d '{"flowId":"flow_welcome"}'`);

/** The demo workspace's key, kept beside the secrets and reused while it still works. */
async function demoKey() {
  const file = join(dir, 'demo.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const ok = await fetch(`${gateway}/v1/triggers?limit=1`, { headers: { authorization: `Bearer ${saved.apiKey}` } }).then((r) => r.status === 200, () => false);
    if (ok) return saved.apiKey;
  }
  const res = await fetch(`${gateway}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'demo' }),
  });
  if (res.status !== 201) throw new Error(`could not create the demo workspace: ${res.status} ${await res.text()}`);
  const workspace = await res.json();
  writeFileSync(file, JSON.stringify({ workspaceId: workspace.id, apiKey: workspace.apiKey }), { mode: 0o600 });
  return workspace.apiKey;
}
