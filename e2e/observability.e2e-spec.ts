/**
 * What an SRE watches, end to end: one webhook followed by its trace through the four
 * services (a `traceparent` on every message it leads to, the trace id on the log lines
 * about it), the Prometheus metrics every service serves, and the OpenAPI document of the
 * one base URL checked against the public contract's paths and statuses.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, FIXTURES_DIR, fixtureText, type ReadMessage, type ServiceName, SERVICES, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '@hookline/testing';
import { ApiClient } from './api-client';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ORDER = 'shopify__orders_create.json';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

interface Trigger {
  id: string;
  url: string;
}
interface LogLine {
  service?: string;
  level?: string;
  msg?: string;
  trace_id?: string;
  eventId?: string;
  triggerId?: string | null;
  workspaceId?: string;
}
interface Contract {
  routes: Array<{ method: string; path: string; statuses: number[] }>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

/** The port each service listens on in this stack. */
const PORT_VARIABLE: Record<ServiceName, string> = {
  'ingress-gateway': 'PORT',
  'schema-discovery': 'SCHEMA_DISCOVERY_PORT',
  mapping: 'MAPPING_PORT',
  'journey-trigger': 'JOURNEY_TRIGGER_PORT',
};

/** The value of one sample of a metric (0 when absent). */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const traceOf = (m: ReadMessage | undefined) => TRACEPARENT.exec(m?.headers['traceparent'] ?? '');
/** `/v1/triggers/{id}/samples` and `/v1/triggers/{triggerId}/samples` are the same route. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

describe('observability: traces, metrics, logs and the API description', () => {
  let stack: Stack;
  let databaseUrl: string;
  let api: ApiClient;
  let trigger: Trigger;
  let workspaceId: string;
  const readers: Partial<Record<string, TopicReader>> = {};
  const serviceUrl = (service: ServiceName) => `http://127.0.0.1:${stack.env[PORT_VARIABLE[service]]}`;
  const jsonLines = (service: ServiceName) =>
    stack.logs[service].flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  const send = async (body: string, headers: Record<string, string> = {}) => {
    const res = await api.post<{ eventId: string }>(trigger.url, body, { 'content-type': 'application/json', 'x-shopify-webhook-id': randomUUID(), ...headers });
    expect(res.status).toBe(202);
    return res.body.eventId;
  };
  const journeyOf = (eventId: string) =>
    waitFor(() => readers.journeys!.messages.find((m) => (JSON.parse(m.value ?? 'null') as { source: { eventId: string } }).source.eventId === eventId), 30_000, `the journey of ${eventId}`);

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_observability');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { LOG_LEVEL: 'debug' } });
    for (const [name, topic] of [
      ['received', TOPICS.WEBHOOK_RECEIVED],
      ['mapped', TOPICS.TRIGGER_MAPPED],
      ['journeys', TOPICS.JOURNEY_TRIGGERED],
    ] as const) {
      readers[name] = await new TopicReader(env.kafkaBrokers, stack.topic(topic)).start();
    }
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ id: string; apiKey: string }>('/v1/workspaces', { name: 'Observed' });
    workspaceId = ws.body.id;
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);
    trigger = (await api.post<Trigger>('/v1/triggers', { flowId: 'flow_observed' })).body;
    await send(fixtureText(ORDER));
    await waitFor(async () => ((await api.get<{ sampleCount: number }>(`/v1/triggers/${trigger.id}/variables`)).body.sampleCount >= 1 ? true : undefined), 30_000, 'the sample');
    expect((await api.put(`/v1/triggers/${trigger.id}/mapping`, { uniqueId: { type: 'email', path: 'email' }, variables: [{ name: 'orderName', path: 'name' }] })).status).toBe(200);
    expect((await api.patch(`/v1/triggers/${trigger.id}`, { status: 'live' })).status).toBe(200);
  });

  afterAll(async () => {
    for (const reader of Object.values(readers)) await reader?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it("follows one webhook through the four services by the caller's trace", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const eventId = await send(fixtureText(ORDER).split('jon@example.com').join(`${randomUUID()}@example.com`), { traceparent: `00-${traceId}-${callerSpan}-01` });
    const journey = await journeyOf(eventId);
    const received = readers.received!.messages.find((m) => m.key === eventId);
    const mapped = await waitFor(() => readers.mapped!.messages.find((m) => (JSON.parse(m.value ?? 'null') as { source: { eventId: string } }).source.eventId === eventId), 30_000, 'the mapped event');

    // Each hop continues the trace with a span of its own.
    const hops = [received, mapped, journey].map(traceOf);
    expect(hops.map((h) => h?.[1])).toEqual([traceId, traceId, traceId]);
    expect(new Set([callerSpan, ...hops.map((h) => h?.[2])]).size).toBe(4);
    expect(hops.map((h) => h?.[3])).toEqual(['01', '01', '01']);

    // Every service has JSON lines about this event: its ids and the trace id on each.
    for (const service of SERVICES) {
      const lines = await waitFor(() => {
        const found = jsonLines(service).filter((l) => l.trace_id === traceId);
        return found.length > 0 ? found : undefined;
      }, 10_000, `${service}'s lines of trace ${traceId}`);
      for (const line of lines) expect(line).toMatchObject({ service, eventId, triggerId: trigger.id, workspaceId });
    }
  });

  it('starts a trace at the edge for a webhook that brings none, and keeps it to the journey', async () => {
    const eventId = await send(fixtureText(ORDER).split('jon@example.com').join(`${randomUUID()}@example.com`));
    const journey = await journeyOf(eventId);
    const received = traceOf(readers.received!.messages.find((m) => m.key === eventId));
    expect(received?.[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(received?.[1]).not.toBe('0'.repeat(32));
    expect(traceOf(journey)?.[1]).toBe(received?.[1]);
  });

  it('serves Prometheus metrics on /metrics in every service: requests, rejections, produce calls, consumers, outcomes, dead letters', async () => {
    // A duplicate (the same delivery id twice) and an event mapping cannot map (no email: dead-lettered).
    const deliveryId = randomUUID();
    const body = fixtureText(ORDER).split('jon@example.com').join(`${randomUUID()}@example.com`);
    const first = await send(body, { 'x-shopify-webhook-id': deliveryId });
    await journeyOf(first);
    await send(body, { 'x-shopify-webhook-id': deliveryId });
    await send(JSON.stringify({ id: 1, name: '#1001' }));
    expect((await api.post(trigger.url, '{"broken": ', { 'content-type': 'application/json' })).status).toBe(400);

    const scrape = async (service: ServiceName) => {
      const res = await fetch(`${serviceUrl(service)}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      return res.text();
    };
    // journey-trigger counts outcomes once they are committed; the dead letter reaches it last.
    const journeyText = await waitFor(async () => {
      const text = await scrape('journey-trigger');
      return metric(text, 'hookline_events_total', { outcome: 'duplicate' }) >= 1 && metric(text, 'hookline_events_total', { outcome: 'failed' }) >= 1 ? text : undefined;
    }, 30_000, 'the outcomes in journey-trigger');
    expect(metric(journeyText, 'hookline_events_total', { outcome: 'triggered' })).toBeGreaterThanOrEqual(3);
    expect(journeyText).toContain('hookline_events_total{outcome="parked"} 0');
    expect(metric(journeyText, 'hookline_kafka_consumer_processing_seconds_count', { topic: TOPICS.TRIGGER_MAPPED })).toBeGreaterThanOrEqual(4);
    expect(metric(journeyText, 'hookline_kafka_consumed_messages_total', { topic: TOPICS.TRIGGER_FAILED, outcome: 'handled' })).toBeGreaterThanOrEqual(1);
    expect(metric(journeyText, 'hookline_kafka_produced_messages_total', { topic: TOPICS.JOURNEY_TRIGGERED, outcome: 'ok' })).toBeGreaterThanOrEqual(3);

    const mapping = await scrape('mapping');
    expect(metric(mapping, 'hookline_dead_letters_total', { topic: TOPICS.WEBHOOK_RECEIVED, code: 'UNIQUE_ID_MISSING' })).toBe(1);
    expect(metric(mapping, 'hookline_kafka_consumed_messages_total', { topic: TOPICS.WEBHOOK_RECEIVED, outcome: 'dead_lettered' })).toBe(1);
    expect(metric(mapping, 'hookline_kafka_consumed_messages_total', { topic: TOPICS.WEBHOOK_RECEIVED, outcome: 'handled' })).toBeGreaterThanOrEqual(4);
    expect(metric(mapping, 'hookline_kafka_produce_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(4);

    const gateway = await scrape('ingress-gateway');
    expect(metric(gateway, 'hookline_gateway_requests_total', { route: '/hooks/{triggerId}/{token}', status_code: '202', trigger_status: 'live' })).toBeGreaterThanOrEqual(5);
    expect(metric(gateway, 'hookline_gateway_rejections_total', { reason: 'MALFORMED_JSON' })).toBe(1);
    expect(metric(gateway, 'hookline_kafka_produce_batch_size_count')).toBeGreaterThanOrEqual(6);
    expect(metric(gateway, 'hookline_http_requests_total', { method: 'PATCH', route: '/v1/triggers/:id', status_code: '200' })).toBe(1);

    // Consumer lag per partition: every partition of what a service reads, drained to 0 once idle.
    for (const [service, topic] of [
      ['schema-discovery', TOPICS.WEBHOOK_RECEIVED],
      ['mapping', TOPICS.WEBHOOK_RECEIVED],
      ['journey-trigger', TOPICS.TRIGGER_MAPPED],
      ['ingress-gateway', TOPICS.TRIGGER_CONFIG],
    ] as const) {
      const partitions = await waitFor(async () => {
        const lines = (await scrape(service)).split('\n').filter((l) => l.startsWith(`hookline_kafka_consumer_lag{topic="${topic}"`));
        return lines.length > 0 && lines.every((l) => l.endsWith(' 0')) ? lines : undefined;
      }, 30_000, `${service}'s lag on ${topic} at 0`);
      expect(partitions).toHaveLength(topic === TOPICS.TRIGGER_CONFIG ? 3 : 6);
    }
    for (const service of SERVICES) expect(metric(await scrape(service), 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('describes the management API and the webhook route in one OpenAPI 3.1 document with every path and status of the contract', async () => {
    const res = await fetch(`${stack.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const contract = JSON.parse(readFileSync(join(FIXTURES_DIR, '../api-contract/routes.json'), 'utf8')) as Contract;
    const byShape = new Map(Object.entries(doc.paths).map(([path, item]) => [shape(path), item]));
    const missing = contract.routes.flatMap(({ method, path, statuses }) => {
      const operation = byShape.get(shape(path))?.[method];
      if (!operation) return [`${method.toUpperCase()} ${path}`];
      return statuses.filter((s) => !(String(s) in operation.responses)).map((s) => `${method.toUpperCase()} ${path} ${s}`);
    });
    expect(missing).toEqual([]);
    // What the services behind the gateway describe of themselves is all in it.
    for (const service of ['schema-discovery', 'mapping', 'journey-trigger'] as const) {
      const own = (await (await fetch(`${serviceUrl(service)}/openapi.json`)).json()) as OpenApi;
      expect(Object.keys(own.paths).length).toBeGreaterThan(0);
      for (const path of Object.keys(own.paths)) expect(Object.keys(doc.paths[path] ?? {})).toEqual(Object.keys(own.paths[path]!));
    }
    // Internal routes stay out.
    expect(Object.keys(doc.paths).filter((p) => /^\/(health|metrics|openapi)/.test(p))).toEqual([]);

    const page = await fetch(`${stack.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    for (const asset of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      const loaded = await fetch(`${stack.baseUrl}${asset}`);
      expect([asset, loaded.status]).toEqual([asset, 200]);
      if (asset.endsWith('init.js')) expect(await loaded.text()).toContain("url: '/openapi.json'");
    }
  });

  it('renders the document as a browsable page at /docs, within its Content-Security-Policy', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: \`npm test\` installs it (apt-get install -y chromium), or set CHROMIUM_PATH`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${stack.baseUrl}/docs`);
      await page.locator('.opblock-summary-path', { hasText: '/hooks/{triggerId}/{token}' }).first().waitFor({ timeout: 20_000 });
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      expect(paths).toEqual(expect.arrayContaining(['/v1/triggers', '/v1/triggers/{triggerId}/mapping', '/v1/triggers/{triggerId}/events', '/v1/flows/{flowId}/trigger']));
      expect(await page.locator('.info .title').first().textContent()).toContain('Hookline');
      mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, 'tmp/openapi-docs.png') });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
