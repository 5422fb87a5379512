/**
 * The edge's limits, end to end against the built gateway: 429 with Retry-After per trigger
 * (token bucket from limits.ratePerSecond/burst), 413 from Content-Length before the body is
 * read and on the stream when there is none, slow and stalled clients cut off by the
 * server's timeouts without holding a request open, and the Prometheus metrics of it all.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createTestDatabase, dropTestDatabase, fixtureBytes, type Stack, startStack, testEnvironment, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const BODY = fixtureBytes('shopify__customers_create.json');
const MAX_ROUTE_BODY = 10_485_760;

interface Trigger {
  id: string;
  url: string;
}

/** A raw HTTP/1.1 exchange: writes `parts` (with pauses between them), resolves with all that came back once the server closes. */
function rawExchange(port: number, parts: Array<string | Buffer>, pauseMs = 0): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset a connection whose body it refused to read: what came before counts.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve({ text, closedAfterMs: Date.now() - started });
      else reject(error);
    });
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    const send = async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    };
    socket.on('connect', () => void send());
  });
}

function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('the edge: rate limits, body limits, slow clients, metrics', () => {
  let stack: Stack;
  let databaseUrl: string;
  let api: ApiClient;
  let port: number;
  let hookPath: string;

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_edge_limits');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl, extraEnv: { HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' } });
    port = Number(new URL(stack.baseUrl).port);
    const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'Edge limits' });
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);
    const trigger = await api.post<Trigger>('/v1/triggers', { flowId: 'flow_edge' });
    hookPath = new URL(trigger.body.url).pathname;
  });

  afterAll(async () => {
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const scrape = async () => (await api.get<string>('/metrics')).body as unknown as string;

  it('answers 429 with Retry-After once a trigger is past its burst, per trigger, and counts it', async () => {
    const limited = await api.post<Trigger>('/v1/triggers', { flowId: 'flow_limited', limits: { ratePerSecond: 0.2, burst: 3 } });
    const other = await api.post<Trigger>('/v1/triggers', { flowId: 'flow_free' });
    const before = await scrape();

    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api.post(limited.body.url, BODY));
    const unaffected = await api.post(other.body.url, BODY);

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429, 429]);
    const refused = answers[3]!;
    expect(refused.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // One token every 5 s: the next is at most 5 s away.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    expect(unaffected.status).toBe(202);
    const after = await scrape();
    expect(metric(after, 'hookline_gateway_rejections_total', { reason: 'RATE_LIMITED' }) - metric(before, 'hookline_gateway_rejections_total', { reason: 'RATE_LIMITED' })).toBe(2);
    const limitedRequests = { route: '/hooks/{triggerId}/{token}', status_code: '429', trigger_status: 'listening' };
    expect(metric(after, 'hookline_gateway_requests_total', limitedRequests) - metric(before, 'hookline_gateway_requests_total', limitedRequests)).toBe(2);
  });

  it('refuses a body whose Content-Length is over the limit with 413 before reading a byte of it', async () => {
    const { text, closedAfterMs } = await rawExchange(port, [`POST ${hookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MAX_ROUTE_BODY + 1}\r\n\r\n`]);

    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('"code":"PAYLOAD_TOO_LARGE"');
    // Answered at once: it did not wait for 10 MiB that were never sent, nor for a timeout.
    expect(closedAfterMs).toBeLessThan(1_000);
  });

  it('refuses a chunked body with 413 as soon as it grows past the limit', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x20); // 1 MiB of JSON whitespace per chunk
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const parts: Array<string | Buffer> = [`POST ${hookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
    for (let i = 0; i < 12; i++) parts.push(framed);
    parts.push('0\r\n\r\n');

    const { text } = await rawExchange(port, parts);

    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('"code":"PAYLOAD_TOO_LARGE"');
  });

  it('reads gzip bodies (and refuses what does not decompress, or an unknown encoding)', async () => {
    const url = `${stack.baseUrl}${hookPath}`;
    const headers = { 'content-type': 'application/json' };

    const gzipped = await api.request('POST', url, gzipSync(BODY), { ...headers, 'content-encoding': 'gzip' });
    const corrupt = await api.request('POST', url, Buffer.from('not gzip at all'), { ...headers, 'content-encoding': 'gzip' });
    const unknown = await api.request('POST', url, BODY, { ...headers, 'content-encoding': 'zstd' });

    expect(gzipped.status).toBe(202);
    expect(corrupt.status).toBe(400);
    expect(corrupt.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(unknown.status).toBe(415);
  });

  it('answers 408 and closes the connection of a client that stalls in its headers or its body, holding no request open', async () => {
    const stalledHeaders = rawExchange(port, [`POST ${hookPath} HTTP/1.1\r\nHost: x\r\n`]);
    const stalledBody = rawExchange(port, [`POST ${hookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`, BODY.subarray(0, 100)]);
    // A trickle: one byte every 300 ms never completes the body within the request timeout.
    const trickle = rawExchange(port, [`POST ${hookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`, ...Array.from({ length: 40 }, () => ' ')], 300);

    const [headers, body, slow] = await Promise.all([stalledHeaders, stalledBody, trickle]);

    for (const answer of [headers, body, slow]) {
      expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
      // The timeouts are 1 s (headers) and 2 s (request), checked every second.
      expect(answer.closedAfterMs).toBeLessThan(4_500);
    }
    const metrics = await waitFor(async () => {
      const text = await scrape();
      // The scrape itself is the one request in flight.
      return metric(text, 'hookline_gateway_requests_in_flight') === 1 && text;
    }, 10_000, 'no webhook request left in flight');
    expect(metric(metrics, 'hookline_gateway_rejections_total', { reason: 'CLIENT_GONE' })).toBeGreaterThanOrEqual(2);
  });

  it('exposes request, rejection, produce-latency and batch-size metrics on /metrics', async () => {
    const accepted = await api.post(`${stack.baseUrl}${hookPath}`, BODY);
    const unknown = await api.post(`${stack.baseUrl}/hooks/trg_unknown/nope`, BODY);
    expect([accepted.status, unknown.status]).toEqual([202, 404]);

    const res = await api.get<string>('/metrics');

    expect(res.status).toBe(200);
    // Prometheus's text format (Express adds a charset, which scrapers accept).
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = res.body as unknown as string;
    expect(text).toContain('# TYPE hookline_gateway_requests_total counter');
    expect(metric(text, 'hookline_gateway_requests_total', { route: '/hooks/{triggerId}/{token}', status_code: '202', trigger_status: 'listening' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hookline_gateway_requests_total', { route: '/hooks/{triggerId}/{token}', status_code: '404', trigger_status: 'unknown' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hookline_gateway_rejections_total', { reason: 'NOT_FOUND' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE hookline_kafka_produce_duration_seconds histogram');
    expect(metric(text, 'hookline_kafka_produce_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE hookline_kafka_produce_batch_size histogram');
    expect(metric(text, 'hookline_kafka_produce_batch_size_count')).toBeGreaterThanOrEqual(1);
    // Management routes are counted by route template, never by raw path (a path holds the URL token).
    expect(metric(text, 'hookline_gateway_requests_total', { route: '/v1', status_code: '201', trigger_status: 'none' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(hookPath.split('/').pop()!);
  });
});
