/**
 * The edge never lies, through a shutdown: SIGTERM to the gateway while webhooks pour in.
 * It stops accepting, finishes the requests in flight and their writes, then exits; every
 * event it answered 202 for is on the topic, and nothing else than 202 or 503 is answered.
 */
import { TOPICS } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, fixtureBytes, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const BODY = fixtureBytes('shopify__customers_create.json');
const CLIENTS = 32;

describe('graceful shutdown of the gateway under load', () => {
  let stack: Stack;
  let databaseUrl: string;
  let received: TopicReader;
  let url: string;

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_shutdown');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { LOG_LEVEL: 'info' } });
    received = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.WEBHOOK_RECEIVED)).start();
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'Shutdown' });
    const trigger = await new ApiClient(stack.baseUrl, ws.body.apiKey).post<{ url: string }>('/v1/triggers', { flowId: 'flow_shutdown' });
    url = trigger.body.url;
  });

  afterAll(async () => {
    await received?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
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

    // Nest re-raises the signal once it has shut down.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stack.logs['ingress-gateway'].some((line) => /drained in \d+ ms/.test(line))).toBe(true);
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
