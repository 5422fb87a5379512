/**
 * The edge never lies, through a shutdown: SIGTERM to the gateway while webhooks pour in.
 * It stops accepting, finishes the requests in flight and their writes, then exits; every
 * event it answered 202 for is on the topic, and nothing else than 202 or 503 is answered.
 * The same with GATEWAY_WORKERS=2, where the signal goes to the primary and each worker
 * drains; there the metrics of both workers are also read as one.
 */
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, fixtureBytes, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const BODY = fixtureBytes('shopify__customers_create.json');
const CLIENTS = 32;

const WEBHOOKS_202 = /^hookline_gateway_requests_total\{route="\/hooks\/\{triggerId\}\/\{token\}",status_code="202",trigger_status="listening"\} (\d+)$/m;

describe.each([1, 2])('graceful shutdown of the gateway under load, GATEWAY_WORKERS=%i', (workers) => {
  let stack: Stack;
  let databaseUrl: string;
  let received: TopicReader;
  let url: string;

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_shutdown');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { LOG_LEVEL: 'info', GATEWAY_WORKERS: String(workers) } });
    received = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.WEBHOOK_RECEIVED)).start();
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'Shutdown' });
    const trigger = await new ApiClient(stack.baseUrl, ws.body.apiKey).post<{ url: string }>('/v1/triggers', { flowId: 'flow_shutdown' });
    url = trigger.body.url;
    // Each worker learns of the new trigger from the config topic, as a replica does.
    await waitFor(async () => {
      for (let i = 0; i < 10; i++) if ((await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status !== 202) return false;
      return true;
    }, 30_000, 'every worker serving the trigger');
  });

  afterAll(async () => {
    await received?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('counts every answer once in /metrics, whichever worker serves the scrape', async () => {
    const before = Number(WEBHOOKS_202.exec(await (await fetch(`${stack.baseUrl}/metrics`)).text())?.[1]);
    await Promise.all(Array.from({ length: 100 }, () => fetch(url, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } }).then((r) => r.text())));
    for (let scrape = 0; scrape < 4; scrape++) {
      // A new connection each time, so the scrapes spread over the workers.
      const text = await (await fetch(`${stack.baseUrl}/metrics`, { headers: { connection: 'close' } })).text();
      expect(Number(WEBHOOKS_202.exec(text)?.[1])).toBe(before + 100);
    }
  });

  it('answers 202 only for events that reached the broker, finishing the requests in flight at SIGTERM', async () => {
    const accepted: string[] = [];
    const answers = new Map<number, number>();
    let signalled = false;
    let acceptedAfterSignal = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const res = await fetch(url, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
          const text = await res.text();
          answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
          if (res.status === 202) {
            accepted.push((JSON.parse(text) as { eventId: string }).eventId);
            if (signalled) acceptedAfterSignal++;
          }
        } catch {
          // Refused or reset: the gateway stopped accepting. Try again until the test stops.
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await waitFor(() => accepted.length >= 300, 30_000, '300 webhooks accepted');

    signalled = true;
    const exit = await stack.signal('ingress-gateway', 'SIGTERM');
    stop = true;
    await Promise.all(clients);

    // Nest re-raises the signal once it has shut down; a primary exits once its workers have.
    expect(exit).toEqual(workers === 1 ? { code: null, signal: 'SIGTERM' } : { code: 0, signal: null });
    expect(stack.logs['ingress-gateway'].filter((line) => /drained in \d+ ms/.test(line))).toHaveLength(workers);
    expect([...answers.keys()].filter((status) => status !== 202 && status !== 503)).toEqual([]);
    // Requests in flight at the signal were finished, with their writes acknowledged.
    expect(acceptedAfterSignal).toBeGreaterThan(0);
    const ids = new Set(accepted);
    const missing = await waitFor(
      () => {
        const onTopic = new Set(received.messages.map((m) => m.key));
        const notYet = [...ids].filter((id) => !onTopic.has(id));
        return notYet.length === 0 ? notYet : undefined;
      },
      30_000,
      `all ${ids.size} accepted events on the topic`,
    );
    expect(missing).toEqual([]);
  });
});

/**
 * The consumers, through a shutdown: while webhooks flow to a live trigger, mapping,
 * journey-trigger and schema-discovery each get SIGTERM in turn and are started again. Each
 * says it is not ready before it stops answering, finishes and commits what it was handling,
 * and exits by the signal; afterwards every event the edge accepted has started its journey,
 * and none failed.
 */
describe('graceful shutdown of the consumers under load', () => {
  const PORTS: Record<'mapping' | 'journey-trigger' | 'schema-discovery', string> = { mapping: 'MAPPING_PORT', 'journey-trigger': 'JOURNEY_TRIGGER_PORT', 'schema-discovery': 'SCHEMA_DISCOVERY_PORT' };
  const ORDER = fixtureBytes('shopify__orders_create.json').toString('utf8');
  let stack: Stack;
  let databaseUrl: string;
  let journeys: TopicReader;
  let api: ApiClient;
  let trigger: { id: string; url: string };

  const order = () => ORDER.split('jon@example.com').join(`${randomUUID()}@example.com`);

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_shutdown_consumers');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { LOG_LEVEL: 'info' } });
    journeys = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.JOURNEY_TRIGGERED)).start();
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'Shutdown consumers' });
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);
    trigger = (await api.post<{ id: string; url: string }>('/v1/triggers', { flowId: 'flow_drain' })).body;
    expect((await api.post(trigger.url, order())).status).toBe(202);
    await waitFor(async () => ((await api.get<{ sampleCount: number }>(`/v1/triggers/${trigger.id}/variables`)).body.sampleCount >= 1 ? true : undefined), 30_000, 'the sample');
    expect((await api.put(`/v1/triggers/${trigger.id}/mapping`, { uniqueId: { type: 'email', path: 'email' }, variables: [{ name: 'orderName', path: 'name' }] })).status).toBe(200);
    expect((await api.patch(`/v1/triggers/${trigger.id}`, { status: 'live' })).status).toBe(200);
  });

  afterAll(async () => {
    await journeys?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('loses no event when mapping, journey-trigger and schema-discovery are stopped with SIGTERM and started again while webhooks flow', async () => {
    const accepted: string[] = [];
    let stop = false;
    const client = async () => {
      while (!stop && accepted.length < 3_000) {
        const res = await fetch(trigger.url, { method: 'POST', body: order(), headers: { 'content-type': 'application/json', 'x-shopify-webhook-id': randomUUID() } });
        const text = await res.text();
        expect(res.status).toBe(202);
        accepted.push((JSON.parse(text) as { eventId: string }).eventId);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const clients = Array.from({ length: 6 }, client);
    try {
      await waitFor(() => accepted.length >= 100 || undefined, 30_000, '100 webhooks accepted');

      for (const service of ['mapping', 'journey-trigger', 'schema-discovery'] as const) {
        const readyUrl = `http://127.0.0.1:${stack.env[PORTS[service]]}/health/ready`;
        const seen: string[] = [];
        let polling = true;
        const poll = (async () => {
          while (polling) {
            try {
              const res = await fetch(readyUrl);
              seen.push(`${res.status} ${(await res.json() as { status: string }).status}`);
            } catch {
              seen.push('refused');
            }
            await new Promise((r) => setImmediate(r));
          }
        })();
        await waitFor(() => seen.includes('200 ok') || undefined, 10_000, `${service} ready before the signal`);
        const exit = await stack.signal(service, 'SIGTERM');
        polling = false;
        await poll;
        // Nest re-raises the signal once it has shut down.
        expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
        // Not ready first, while it still answered; only then gone. journey-trigger's drain (its
        // last batch's transaction, then the outbox's last publish) is long enough to watch;
        // mapping's and schema-discovery's records take about a millisecond, so a poll may not
        // land inside theirs (it missed mapping's once in four runs): for them, never ready again.
        const firstDown = seen.findIndex((s) => s !== '200 ok');
        expect(seen.slice(firstDown).every((s) => s === '503 shutting_down' || s === 'refused')).toBe(true);
        if (service === 'journey-trigger') expect([service, seen[firstDown]]).toEqual([service, '503 shutting_down']);
        const before = accepted.length;
        await stack.restart(service);
        await waitFor(() => accepted.length >= before + 100 || undefined, 30_000, `webhooks flowing after ${service} restarted`);
      }
    } finally {
      stop = true;
      await Promise.allSettled(clients);
    }
    await Promise.all(clients);

    const ids = new Set(accepted);
    const missing = await waitFor(
      () => {
        const started = new Set(journeys.messages.map((m) => (JSON.parse(m.value ?? 'null') as { source: { eventId: string } }).source.eventId));
        const notYet = [...ids].filter((id) => !started.has(id));
        return notYet.length === 0 ? notYet : undefined;
      },
      90_000,
      `a journey for each of the ${ids.size} accepted events`,
    );
    expect(missing).toEqual([]);
    // Each journey start was decided once: a message published again carries the same event id.
    const outputs = new Map<string, Set<string>>();
    for (const m of journeys.messages) {
      const value = JSON.parse(m.value ?? 'null') as { eventId: string; source: { eventId: string } };
      outputs.set(value.source.eventId, (outputs.get(value.source.eventId) ?? new Set()).add(value.eventId));
    }
    expect([...outputs.values()].filter((s) => s.size !== 1)).toEqual([]);
    expect((await api.get<{ items: unknown[] }>(`/v1/triggers/${trigger.id}/events?status=failed`)).body.items).toEqual([]);
    for (const service of ['mapping', 'journey-trigger', 'schema-discovery'] as const) {
      expect(stack.logs[service].filter((line) => line.includes('SIGTERM: shutting down'))).toHaveLength(1);
    }
  });
});
