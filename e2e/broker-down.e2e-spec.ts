/**
 * The edge never lies: with the broker down, the webhook route answers 503 with
 * Retry-After — never 202 — and accepts again once the broker is back. This test kills a
 * broker, so it starts one of its own (other tests share theirs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropTestDatabase, fixtureBytes, freePort, kafkaLocal, type Stack, startStack, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

describe('the webhook route with the broker down', () => {
  const local = kafkaLocal();
  let dataDir: string;
  let port: number;
  let controllerPort: number;
  let stack: Stack;
  let databaseUrl: string;
  let api: ApiClient;
  let url: string;

  beforeAll(async () => {
    [port, controllerPort] = [await freePort(), await freePort()];
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-broker-down-'));
    await local.fetchKafka();
    const broker = await local.startKafka({ port, controllerPort, dataDir });
    databaseUrl = await createTestDatabase('e2e_broker_down');
    stack = await startStack({ kafkaBrokers: broker.brokers, databaseUrl, extraEnv: { PRODUCE_TIMEOUT_MS: '1500' } });
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'broker-down' });
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);
    const trigger = await api.post<{ url: string }>('/v1/triggers', { flowId: 'flow_x' });
    url = trigger.body.url;
  });

  afterAll(async () => {
    await stack?.stop();
    await local.killKafka({ port, dataDir }).catch(() => undefined);
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 202 while the broker is up', async () => {
    const res = await api.post(url, fixtureBytes('shopify__orders_create.json'));
    expect(res.status).toBe(202);
  });

  it('answers 503 with Retry-After, never 202, while the broker is down', async () => {
    await local.killKafka({ port, dataDir });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.post(url, fixtureBytes('shopify__orders_create.json'), { 'x-shopify-webhook-id': `down-${i}` });
      answers.push(res);
    }
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ error: { code: 'BROKER_UNAVAILABLE' } });
    }
    const viaApi = await api.post('/v1/flows/flow_x/trigger', { uniqueId: { type: 'email', value: 'a@example.com' } });
    expect(viaApi.status).toBe(503);
  });

  it('accepts again once the broker is back', async () => {
    await local.startKafka({ port, controllerPort, dataDir });
    const res = await waitFor(async () => {
      const r = await api.post(url, fixtureBytes('shopify__orders_create.json'));
      return r.status === 202 ? r : undefined;
    }, 60_000, 'a 202 after the broker restarted');
    expect(res.body).toMatchObject({ eventId: expect.any(String) });
  });
});
