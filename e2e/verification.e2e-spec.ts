/**
 * The edge's credentials, end to end: signatures checked per trigger (a Shopify-signed and a
 * Stripe-signed trigger, signed as the providers sign), token rotation with a grace period,
 * and a second gateway replica that serves the webhook route from its trigger cache alone,
 * with its database cut off. Secrets must never come back from the API, travel on Kafka in
 * clear or reach a log; nor may a body: the logs are JSON lines, and every line about an event
 * names it with its trigger and workspace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import Stripe from 'stripe';
import { TOPICS } from '@hookline/contracts';
import { builtServiceEntry, createTestDatabase, MAX_LOG_LINES, dropTestDatabase, fixtureBytes, freePort, REPO_ROOT, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { ApiClient, type ApiResponse } from './api-client';

interface Trigger {
  id: string;
  url: string | null;
  status: string;
  previousUrlValidUntil: string | null;
  verification: Record<string, unknown>;
}
interface LoggedEvent {
  eventId: string;
  status: string;
  reason: string | null;
}

const SHOPIFY_BODY = fixtureBytes('shopify__orders_create.json');
const STRIPE_BODY = fixtureBytes('stripe__payment_intent_succeeded.json');
const SHOPIFY_SECRET = `shpss_${randomBytes(16).toString('hex')}`;
const STRIPE_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
const STRIPE_NEXT_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
const SECRETS = [SHOPIFY_SECRET, STRIPE_SECRET, STRIPE_NEXT_SECRET];
/** A value only a payload holds: it must reach the samples and never a log line. */
const BODY_MARKER = `body-field-${randomBytes(12).toString('hex')}`;

const shopifyHeaders = (secret: string, body = SHOPIFY_BODY, deliveryId = randomBytes(6).toString('hex')) => ({
  'content-type': 'application/json',
  'x-shopify-topic': 'orders/create',
  'x-shopify-webhook-id': deliveryId,
  'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
});
const stripeHeaders = (secret: string, timestamp = Math.floor(Date.now() / 1000)) => ({
  'content-type': 'application/json',
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: STRIPE_BODY.toString('utf8'), secret, timestamp }),
});
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** A TCP relay to Postgres that can be cut: the second replica's only way to its database. */
async function cuttableProxy(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe('verification and tokens at the edge', () => {
  let stack: Stack;
  let databaseUrl: string;
  let api: ApiClient;
  let apiKey: string;
  let workspaceId: string;
  /** Every event id the edge answered 202 for. */
  const accepted: string[] = [];
  let configTopic: TopicReader;
  /** Every management answer the test received: none may hold a secret. */
  const answers: unknown[] = [];
  const record = <T>(res: ApiResponse<T>) => (answers.push(res.body), res);
  let shopify: Trigger;
  let stripe: Trigger;

  // The second replica.
  let replica: ChildProcess | undefined;
  const replicaLogs: string[] = [];
  let replicaUrl: string;
  let proxy: { port: number; cut(): Promise<void> };

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_verification');
    // Debug logs: the more the services say, the better the check that no secret is among it.
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { LOG_LEVEL: 'debug' } });
    configTopic = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.TRIGGER_CONFIG)).start();
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ id: string; apiKey: string }>('/v1/workspaces', { name: 'Edge' });
    apiKey = ws.body.apiKey;
    workspaceId = ws.body.id;
    api = new ApiClient(stack.baseUrl, apiKey);
  });

  afterAll(async () => {
    if (replica && replica.exitCode === null) {
      const exited = new Promise((resolve) => replica?.once('exit', resolve));
      replica.kill('SIGTERM');
      await exited;
    }
    await proxy?.cut();
    await configTopic?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const eventsOf = async (triggerId: string, status: string) => (await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${triggerId}/events?status=${status}`)).body.items;
  const samplesOf = async (triggerId: string) => (await api.get<{ items: Array<{ eventId: string }> }>(`/v1/triggers/${triggerId}/samples`)).body.items;

  it('creates signed triggers whose answers show the scheme, never the secret', async () => {
    const created = record(await api.post<Trigger>('/v1/triggers', { flowId: 'flow_orders', verification: { scheme: 'shopify', secret: SHOPIFY_SECRET } }));
    expect(created.status).toBe(201);
    expect(created.body.verification).toEqual({ scheme: 'shopify', toleranceSeconds: 300, hasPreviousSecret: false });
    shopify = created.body;

    const made = record(await api.post<Trigger>('/v1/triggers', { flowId: 'flow_payments', verification: { scheme: 'stripe', secret: STRIPE_SECRET, toleranceSeconds: 300 } }));
    expect(made.status).toBe(201);
    stripe = made.body;

    const refused = record(await api.post('/v1/triggers', { flowId: 'flow_x', verification: { scheme: 'hmac', secret: 's3cret-value' } }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ pointer: '/verification/header' }] } });

    record(await api.get(`/v1/triggers/${shopify.id}`));
    record(await api.get('/v1/triggers'));
    for (const answer of answers) for (const secret of SECRETS) expect(JSON.stringify(answer)).not.toContain(secret);
  });

  it('accepts a Shopify-signed webhook (202) and refuses unsigned, tampered or wrongly signed ones (401), recording why', async () => {
    const good = await api.post<{ eventId: string }>(shopify.url!, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET));
    expect(good.status).toBe(202);

    const tamperedBody = Buffer.from(SHOPIFY_BODY.toString('utf8').replace('"total_price": "404.95"', '"total_price": "0.01"'));
    const tampered = await api.post(shopify.url!, tamperedBody, shopifyHeaders(SHOPIFY_SECRET));
    const wrongSecret = await api.post(shopify.url!, SHOPIFY_BODY, shopifyHeaders('shpss_not-the-secret'));
    const unsigned = await api.post(shopify.url!, SHOPIFY_BODY, { 'content-type': 'application/json' });
    expect([tampered.status, wrongSecret.status, unsigned.status]).toEqual([401, 401, 401]);
    expect(tampered.body).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect(unsigned.body).toEqual({ error: { code: 'SIGNATURE_MISSING', message: 'no x-shopify-hmac-sha256 header', details: [] } });

    const rejected = await waitFor(async () => {
      const items = await eventsOf(shopify.id, 'rejected');
      return items.length >= 3 ? items : undefined;
    }, 30_000, 'the three 401s in the event log');
    expect(rejected.map((e) => e.reason?.split(':')[0]).sort()).toEqual(['SIGNATURE_INVALID', 'SIGNATURE_INVALID', 'SIGNATURE_MISSING']);

    // Only the genuine request became a sample; give a refused one every chance to show up.
    await waitFor(async () => (await samplesOf(shopify.id)).length >= 1, 30_000, 'the sample');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await samplesOf(shopify.id)).map((s) => s.eventId)).toEqual([good.body.eventId]);
  });

  it('accepts a Stripe-signed webhook and refuses a stale or wrongly signed one, then rotates the secret', async () => {
    const good = await api.post<{ eventId: string }>(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_SECRET));
    expect(good.status).toBe(202);
    const stale = await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_SECRET, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: { code: 'TIMESTAMP_OUT_OF_TOLERANCE' } });
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(401);

    // Rotation: both secrets work while the provider switches over, then only the new one.
    const rotating = record(await api.patch<Trigger>(`/v1/triggers/${stripe.id}`, { verification: { secret: STRIPE_NEXT_SECRET, previousSecret: STRIPE_SECRET } }));
    expect(rotating.status).toBe(200);
    expect(rotating.body.verification).toEqual({ scheme: 'stripe', toleranceSeconds: 300, hasPreviousSecret: true });
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_SECRET))).status).toBe(202);
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);
    const done = record(await api.patch<Trigger>(`/v1/triggers/${stripe.id}`, { verification: { previousSecret: null } }));
    expect(done.body.verification).toMatchObject({ hasPreviousSecret: false });
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_SECRET))).status).toBe(401);
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);

    const rejected = await waitFor(async () => {
      const items = await eventsOf(stripe.id, 'rejected');
      return items.length >= 3 ? items : undefined;
    }, 30_000, 'the 401s in the event log');
    expect(rejected.map((e) => e.reason?.split(':')[0]).sort()).toEqual(['SIGNATURE_INVALID', 'SIGNATURE_INVALID', 'TIMESTAMP_OUT_OF_TOLERANCE']);
    await waitFor(async () => (await samplesOf(stripe.id)).length >= 4, 30_000, 'the accepted samples');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await samplesOf(stripe.id)).toHaveLength(4);
  });

  it('rotates the URL: the old one keeps working through its grace, then answers 404', async () => {
    const oldUrl = shopify.url!;
    const rotated = record(await api.post<Trigger>(`/v1/triggers/${shopify.id}/rotate-token`, { graceSeconds: 3 }));
    expect(rotated.status).toBe(200);
    expect(rotated.body.url).toMatch(new RegExp(`^${stack.baseUrl}/hooks/${shopify.id}/[A-Za-z0-9_-]{43}$`));
    expect(rotated.body.url).not.toBe(oldUrl);
    const graceEnds = Date.parse(rotated.body.previousUrlValidUntil!);
    expect(graceEnds - Date.now()).toBeGreaterThan(1_000);
    expect(graceEnds - Date.now()).toBeLessThanOrEqual(3_000);
    expect((await api.get<Trigger>(`/v1/triggers/${shopify.id}`)).body).toMatchObject({ url: null, previousUrlValidUntil: rotated.body.previousUrlValidUntil });

    expect((await api.post(rotated.body.url!, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);
    expect((await api.post(oldUrl, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);
    // The token still has to come with a valid signature.
    expect((await api.post(oldUrl, SHOPIFY_BODY, { 'content-type': 'application/json' })).status).toBe(401);

    await new Promise((r) => setTimeout(r, Math.max(0, graceEnds - Date.now()) + 100));
    const after = await api.post(oldUrl, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET));
    expect(after.status).toBe(404);
    expect(after.body).toEqual((await api.post(`${stack.baseUrl}/hooks/trg_unknown/x`, SHOPIFY_BODY)).body);
    expect((await api.post(rotated.body.url!, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);
    shopify = rotated.body;

    // Without a grace in the request, the configured default (24 h) applies.
    const again = record(await api.post<Trigger>(`/v1/triggers/${stripe.id}/rotate-token`));
    expect(Date.parse(again.body.previousUrlValidUntil!) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);
    expect((await api.post(again.body.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);
    stripe = again.body;
  });

  it('serves the webhook route from memory: a change that skipped the topic is unknown to it until a replica starts and reconciles', async () => {
    // A change written to Postgres alone (as when a commit and its config message part ways).
    const token = randomBytes(32).toString('base64url');
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const changed = await db.query(
        `UPDATE gateway.triggers SET token_hash = $2, previous_token_hash = NULL, previous_token_valid_until = NULL, updated_at = updated_at + interval '1 second' WHERE id = $1`,
        [stripe.id, createHash('sha256').update(token).digest('hex')],
      );
      expect(changed.rowCount).toBe(1);
    } finally {
      await db.end();
    }
    const reconciledUrl = `${stack.baseUrl}/hooks/${stripe.id}/${token}`;
    expect((await api.post(reconciledUrl, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(404);
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);

    await startReplica();
    // The new replica republished what Postgres holds; the first one took it from the topic.
    await waitFor(async () => (await api.post(reconciledUrl, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status === 202 || undefined, 10_000, 'the reconciled token on the first replica');
    expect((await api.post(stripe.url!, STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(404);
    stripe = { ...stripe, url: reconciledUrl };
  });

  /** A second gateway process on the same stack, reaching Postgres only through a relay the test can cut. */
  async function startReplica(): Promise<void> {
    proxy = await cuttableProxy(new URL(databaseUrl));
    const viaProxy = new URL(databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const port = await freePort();
    replicaUrl = `http://127.0.0.1:${port}`;
    replica = spawn(process.execPath, [builtServiceEntry('ingress-gateway')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...stack.env, PORT: String(port), DATABASE_URL: viaProxy.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [replica.stdout, replica.stderr]) stream?.on('data', (c: Buffer) => replicaLogs.push(...c.toString('utf8').split('\n').filter(Boolean)));
    await waitFor(async () => (await fetch(`${replicaUrl}/health/ready`)).status === 200, 60_000, 'the second replica to be ready (its trigger cache loaded)');
  }

  it('serves the webhook route of a second replica from its cache, with its database cut off, and follows changes made on the first within a second', async () => {
    const onReplica = (url: string) => url.replace(stack.baseUrl, replicaUrl);

    // What the first replica wrote before the second started came from the topic.
    expect((await api.post(onReplica(shopify.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);
    expect((await api.post(onReplica(stripe.url!), STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);

    await proxy.cut();
    // The management API of that replica needs its database: it is really gone.
    expect((await new ApiClient(replicaUrl, apiKey).get('/v1/triggers')).status).toBeGreaterThanOrEqual(500);
    const ready = await fetch(`${replicaUrl}/health/ready`).then((r) => r.json() as Promise<{ status: string; details: Record<string, { status: string }> }>);
    expect(ready).toMatchObject({ status: 'error', details: { postgres: { status: 'down' }, triggers: { status: 'up' } } });

    // No database, and still: 202 for the genuine, 401 for the forged, 404 for the unknown.
    expect((await api.post(onReplica(shopify.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);
    expect((await api.post(onReplica(shopify.url!), SHOPIFY_BODY, shopifyHeaders('shpss_forged'))).status).toBe(401);
    expect((await api.post(onReplica(stripe.url!), STRIPE_BODY, stripeHeaders(STRIPE_NEXT_SECRET))).status).toBe(202);
    expect((await api.post(`${replicaUrl}/hooks/${shopify.id}/wrong-token`, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(404);

    // A change on the first replica reaches the second through the topic.
    const within = async (what: string, probe: () => Promise<boolean>) => {
      const started = Date.now();
      await waitFor(async () => (await probe()) || undefined, 10_000, what);
      return Date.now() - started;
    };
    const created = record(await api.post<Trigger>('/v1/triggers', { flowId: 'flow_new', verification: { scheme: 'shopify', secret: SHOPIFY_SECRET } }));
    const newTrigger = created.body;
    const createdAfter = await within('the new trigger on the second replica', async () => (await api.post(onReplica(newTrigger.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status === 202);

    const rotated = record(await api.post<Trigger>(`/v1/triggers/${newTrigger.id}/rotate-token`, { graceSeconds: 0 }));
    const rotatedAfter = await within('the rotation on the second replica', async () => (await api.post(onReplica(newTrigger.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status === 404);
    expect((await api.post(onReplica(rotated.body.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(202);

    expect((await api.delete(`/v1/triggers/${newTrigger.id}`)).status).toBe(204);
    // Deleted: 404 at once on the replica that served the delete...
    expect((await api.post(rotated.body.url!, SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status).toBe(404);
    // ...and within a second on the other one.
    const deletedAfter = await within('the delete on the second replica', async () => (await api.post(onReplica(rotated.body.url!), SHOPIFY_BODY, shopifyHeaders(SHOPIFY_SECRET))).status === 404);
    expect({ createdAfter, rotatedAfter, deletedAfter }).toEqual({ createdAfter: expect.any(Number), rotatedAfter: expect.any(Number), deletedAfter: expect.any(Number) });
    for (const ms of [createdAfter, rotatedAfter, deletedAfter]) expect(ms).toBeLessThan(1_000);
  });

  it('keeps bodies out of the logs, which are JSON lines naming the event, trigger and workspace of each line about an event', async () => {
    // A signed webhook and a malformed one (its start is recorded for the event log), both
    // carrying the marker, and a preview of a posted body: payloads through every service.
    const marked = Buffer.from(SHOPIFY_BODY.toString('utf8').replace('"note": null', `"note": "${BODY_MARKER}"`));
    expect(marked.toString('utf8')).toContain(BODY_MARKER);
    const good = await api.post<{ eventId: string }>(shopify.url!, marked, shopifyHeaders(SHOPIFY_SECRET, marked));
    expect(good.status).toBe(202);
    accepted.push(good.body.eventId);
    const broken = Buffer.from(`{"note": "${BODY_MARKER}", `);
    expect((await api.post(shopify.url!, broken, shopifyHeaders(SHOPIFY_SECRET, broken))).status).toBe(400);
    expect((await api.post(`/v1/triggers/${shopify.id}/mapping/preview`, { body: { email: BODY_MARKER }, mapping: { uniqueId: { type: 'email', path: 'email' } } })).status).toBe(200);
    await waitFor(async () => {
      const res = await api.get<{ items: Array<{ body: unknown }> }>(`/v1/triggers/${shopify.id}/samples?limit=100`);
      return JSON.stringify(res.body).includes(BODY_MARKER) || undefined;
    }, 30_000, 'the marked sample stored');
    await waitFor(async () => (await eventsOf(shopify.id, 'rejected')).some((e) => e.reason?.startsWith('MALFORMED_JSON')) || undefined, 30_000, 'the malformed body recorded');

    const logs = [...Object.values(stack.logs).flat(), ...replicaLogs];
    expect(logs.filter((line) => line.includes(BODY_MARKER))).toEqual([]);
    const parsed = logs.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return line;
      }
    });
    expect(parsed.filter((line) => typeof line === 'string')).toEqual([]);
    for (const line of parsed as Array<Record<string, unknown>>) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: expect.any(String), msg: expect.any(String) });
    // At debug level every service says something about the accepted events; each such line names them.
    const aboutEvents = logs.filter((line) => accepted.some((id) => line.includes(id))).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(new Set(aboutEvents.map((l) => l['service']))).toEqual(new Set(['ingress-gateway', 'schema-discovery', 'mapping', 'journey-trigger']));
    for (const line of aboutEvents) {
      expect(accepted).toContain(line['eventId']);
      expect(line).toMatchObject({ workspaceId, triggerId: expect.stringMatching(/^trg_/), trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    }
  });

  it('never lets a secret reach an answer, the trigger-config topic or a log', async () => {
    for (const answer of answers) for (const secret of SECRETS) expect(JSON.stringify(answer)).not.toContain(secret);

    const configs = configTopic.messages.filter((m) => m.value !== null);
    expect(configs.length).toBeGreaterThanOrEqual(6);
    const shopifyConfig = configs.map((m) => JSON.parse(m.value!) as { triggerId: string; verification: { secrets: Array<{ ciphertext: string }> } }).find((c) => c.triggerId === shopify.id);
    expect(shopifyConfig?.verification.secrets).toEqual([{ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), ciphertext: expect.any(String) }]);
    for (const message of configs) for (const secret of SECRETS) expect(message.value).not.toContain(secret);

    const logs = [...Object.values(stack.logs).flat(), ...replicaLogs];
    expect(logs.length).toBeGreaterThan(0);
    // Every line of the run is here: none was dropped to keep the harness's buffer bounded.
    for (const lines of Object.values(stack.logs)) expect(lines.length).toBeLessThan(MAX_LOG_LINES);
    for (const secret of [...SECRETS, tokenOf(shopify.url!), tokenOf(stripe.url!)]) expect(logs.filter((line) => line.includes(secret))).toEqual([]);
  });
});
