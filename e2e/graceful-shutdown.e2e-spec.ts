/**
 * The edge never lies, through a shutdown: SIGTERM to the gateway while webhooks pour in.
 * It stops accepting, finishes the requests in flight and their writes, then exits; every
 * event it answered 202 for is on the topic, and nothing else than 202 or 503 is answered.
 * The same with GATEWAY_WORKERS=2, where the signal goes to the primary and each worker
 * drains; there the metrics of both workers are also read as one.
 */
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
