/**
 * The walking skeleton, end to end: one real Shopify webhook through all four services,
 * over HTTP, the real Kafka broker and Postgres, exactly as a third party and a user
 * would drive it. Each step depends on the one before, so they run in order.
 */
import { TOPICS, type JourneyTriggeredV1 } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, fixtureBytes, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const ORDER = 'shopify__orders_create.json';
const ORDER_ID = '820982911946154508';

interface Trigger {
  id: string;
  status: string;
  url: string;
  flowId: string;
}
interface Variable {
  path: string;
  types: string[];
  example: unknown;
  roles: string[];
}
interface LoggedEvent {
  eventId: string;
  status: string;
  reason: string | null;
  deliveryId: string | null;
  outputEventId: string | null;
  history: Array<{ status: string }>;
}

describe('walking skeleton: a webhook starts a journey', () => {
  let stack: Stack;
  let databaseUrl: string;
  let output: TopicReader;
  let admin: ApiClient;
  let api: ApiClient;
  let trigger: Trigger;
  const firstEventIds: string[] = [];

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_skeleton');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl });
    admin = new ApiClient(stack.baseUrl, stack.adminToken);
    output = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.JOURNEY_TRIGGERED)).start();
  });

  afterAll(async () => {
    await output?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const journeysFor = (triggerId: string | null, flowId: string) =>
    output.messages.map((m) => ({ raw: m.value ?? '', message: JSON.parse(m.value ?? 'null') as JourneyTriggeredV1 })).filter((m) => m.message.triggerId === triggerId && m.message.flowId === flowId);

  it('1. creates a workspace with a key, and a listening trigger with an absolute URL', async () => {
    const refused = await new ApiClient(stack.baseUrl, 'not-the-admin-token').post('/v1/workspaces', { name: 'x' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    const ws = await admin.post<{ id: string; apiKey: string }>('/v1/workspaces', { name: 'Acme' });
    expect(ws.status).toBe(201);
    expect(ws.body.apiKey).toMatch(/^hk_/);
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);

    const created = await api.post<Trigger>('/v1/triggers', { flowId: 'flow_order_thanks', name: 'Shopify orders' });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('listening');
    expect(created.body.url).toMatch(new RegExp(`^${stack.baseUrl}/hooks/${created.body.id}/[A-Za-z0-9_-]{40,}$`));
    trigger = created.body;

    const fetched = await api.get<Trigger>(`/v1/triggers/${trigger.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: trigger.id, flowId: 'flow_order_thanks', status: 'listening' });
    const listed = await api.get<{ items: Trigger[]; nextCursor: string | null }>('/v1/triggers?flowId=flow_order_thanks');
    expect(listed.body.items.map((t) => t.id)).toEqual([trigger.id]);
  });

  it('2. accepts the Shopify order webhook with 202 and an event id', async () => {
    const res = await api.post<{ eventId: string }>(trigger.url, fixtureBytes(ORDER), { 'content-type': 'application/json', 'x-shopify-webhook-id': 'sample-delivery-1', 'x-shopify-topic': 'orders/create' });
    expect(res.status).toBe(202);
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    firstEventIds.push(res.body.eventId);

    const wrongToken = await api.post(trigger.url.replace(/[^/]+$/, 'wrong-token'), fixtureBytes(ORDER), { 'content-type': 'application/json' });
    const unknown = await api.post(`${stack.baseUrl}/hooks/trg_unknown/whatever`, fixtureBytes(ORDER), { 'content-type': 'application/json' });
    expect(wrongToken.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrongToken.body).toEqual(unknown.body);
  });

  it('3. stores the sample and lists its variables with types and an example', async () => {
    const picker = await waitFor(async () => {
      const res = await api.get<{ sampleCount: number; variables: Variable[] }>(`/v1/triggers/${trigger.id}/variables`);
      return res.body.sampleCount === 1 ? res.body : undefined;
    }, 30_000, 'the first sample to be learned');
    const byPath = new Map(picker.variables.map((v) => [v.path, v]));
    expect(byPath.get('email')).toMatchObject({ types: ['string'], example: 'jon@example.com', roles: expect.arrayContaining(['email']) });
    expect(byPath.get('customer.id')).toMatchObject({ types: ['integer'], example: '115310627314723954' });
    expect(byPath.get('line_items[].title')).toMatchObject({ types: ['string'], roles: expect.arrayContaining(['product_name']) });
    expect(byPath.get('id')?.example).toBe(ORDER_ID);

    const samples = await api.get<{ items: Array<{ id: string; body: { id: string } }> }>(`/v1/triggers/${trigger.id}/samples`);
    expect(samples.body.items).toHaveLength(1);
    expect(samples.body.items[0].id).toBe(firstEventIds[0]);
    expect(samples.body.items[0].body.id).toBe(ORDER_ID);
  });

  it('4. saves a mapping and previews it on the stored sample', async () => {
    const invalid = await api.put(`/v1/triggers/${trigger.id}/mapping`, { uniqueId: { type: 'fax', path: 'email' }, variables: [{ name: 'x' }] });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: { code: 'MAPPING_INVALID' } });
    const pointers = ((invalid.body as { error: { details: Array<{ pointer: string }> } }).error.details ?? []).map((d) => d.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/uniqueId/type', '/variables/0/path']));

    const mapping = {
      uniqueId: { type: 'email', path: 'email' },
      variables: [
        { name: 'orderTotal', path: 'total_price', type: 'number' },
        { name: 'firstItem', path: 'line_items[0].title' },
      ],
      variableSets: {
        order: { id: 'id', name: 'name', totalPrice: 'total_price' },
        products: { from: 'line_items[]', fields: { name: 'title', price: 'price', quantity: 'quantity' } },
      },
    };
    const saved = await api.put<{ version: number; warnings: unknown[] }>(`/v1/triggers/${trigger.id}/mapping`, mapping);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    expect(saved.body.warnings).toEqual([]);

    const current = await api.get<{ version: number; definition: unknown }>(`/v1/triggers/${trigger.id}/mapping`);
    expect(current.body).toMatchObject({ version: 1, definition: mapping });

    const preview = await api.post<{ ok: boolean; sampleId: string; uniqueId: { value: string }; variables: Record<string, unknown>; variableSets: { order: Record<string, unknown>; products: unknown[] } }>(
      `/v1/triggers/${trigger.id}/mapping/preview`,
      {},
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      ok: true,
      sampleId: firstEventIds[0],
      uniqueId: { type: 'email', value: 'jon@example.com' },
      variables: { orderTotal: 404.95, firstItem: 'Aviator sunglasses' },
      variableSets: { order: { id: ORDER_ID, name: '#9999', totalPrice: 404.95 } },
    });
    expect(preview.body.variableSets.products).toHaveLength(5);
    expect(preview.body.variableSets.products[0]).toEqual({ name: 'Aviator sunglasses', price: 89.99, quantity: 1 });
  });

  it('5. goes live, and the next webhook starts the journey for the customer with every digit kept', async () => {
    const live = await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { status: 'live' });
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('live');

    const res = await api.post<{ eventId: string }>(trigger.url, fixtureBytes(ORDER), { 'content-type': 'application/json', 'x-shopify-webhook-id': 'live-delivery-1' });
    expect(res.status).toBe(202);
    firstEventIds.push(res.body.eventId);

    const [journey] = await waitFor(() => {
      const found = journeysFor(trigger.id, trigger.flowId);
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the journey triggered message');
    const m = journey.message;
    expect(m).toMatchObject({
      type: 'journey.triggered',
      version: 1,
      flowId: 'flow_order_thanks',
      triggerId: trigger.id,
      source: { kind: 'webhook', eventId: res.body.eventId, deliveryId: 'x-shopify-webhook-id:live-delivery-1' },
      customer: { identifiers: { email: 'jon@example.com' }, created: true },
      variables: { orderTotal: 404.95, firstItem: 'Aviator sunglasses' },
      variableSets: { order: { id: ORDER_ID, name: '#9999', totalPrice: 404.95 } },
      mappingVersion: 1,
    });
    expect(m.customer.id).toMatch(/^cus_/);
    // On the wire the order id is a JSON string with every digit, never a rounded number.
    expect(journey.raw).toContain(`"id":"${ORDER_ID}"`);
    expect(journey.raw).not.toContain('820982911946154500');
  });

  it('6. starts the journey once for a redelivery, and the event log tells what happened to each request', async () => {
    const again = await api.post<{ eventId: string }>(trigger.url, fixtureBytes(ORDER), { 'content-type': 'application/json', 'x-shopify-webhook-id': 'live-delivery-1' });
    expect(again.status).toBe(202);
    expect(again.body.eventId).not.toBe(firstEventIds[1]);

    const log = await waitFor(async () => {
      const res = await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${trigger.id}/events`);
      const dup = res.body.items.find((e) => e.eventId === again.body.eventId);
      return dup?.status === 'duplicate' ? res.body.items : undefined;
    }, 30_000, 'the duplicate to be recorded');
    const byId = new Map(log.map((e) => [e.eventId, e]));
    expect(byId.get(firstEventIds[0])).toMatchObject({ status: 'accepted', deliveryId: 'x-shopify-webhook-id:sample-delivery-1' });
    expect(byId.get(firstEventIds[1])).toMatchObject({ status: 'triggered' });
    expect(byId.get(firstEventIds[1])?.history.map((h) => h.status)).toEqual(expect.arrayContaining(['accepted', 'triggered']));
    expect(byId.get(again.body.eventId)).toMatchObject({ status: 'duplicate', outputEventId: byId.get(firstEventIds[1])?.outputEventId });
    expect(log.map((e) => e.eventId)).toEqual([again.body.eventId, firstEventIds[1], firstEventIds[0]]);

    const onlyDuplicates = await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${trigger.id}/events?status=duplicate`);
    expect(onlyDuplicates.body.items.map((e) => e.eventId)).toEqual([again.body.eventId]);

    // Give a second journey message every chance to appear before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(journeysFor(trigger.id, trigger.flowId)).toHaveLength(1);
  });

  it('7. triggers a flow through the API on the same path', async () => {
    const res = await api.post<{ eventId: string }>('/v1/flows/flow_winback/trigger', {
      uniqueId: { type: 'phone', value: '+91 98765 43210' },
      variables: { coupon: 'WELCOME10' },
      idempotencyKey: 'winback-1',
    });
    expect(res.status).toBe(202);
    const [journey] = await waitFor(() => {
      const found = journeysFor(null, 'flow_winback');
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the API-triggered journey');
    expect(journey.message).toMatchObject({
      flowId: 'flow_winback',
      triggerId: null,
      source: { kind: 'api', eventId: res.body.eventId },
      customer: { identifiers: { phone: '+919876543210' }, created: true },
      variables: { coupon: 'WELCOME10' },
    });

    const replay = await api.post<{ eventId: string }>('/v1/flows/flow_winback/trigger', { uniqueId: { type: 'phone', value: '+919876543210' }, idempotencyKey: 'winback-1' });
    expect(replay.status).toBe(202);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(journeysFor(null, 'flow_winback')).toHaveLength(1);
  });

  it('keeps every workspace to itself', async () => {
    const other = await admin.post<{ apiKey: string }>('/v1/workspaces', { name: 'Other' });
    const intruder = new ApiClient(stack.baseUrl, other.body.apiKey);
    for (const path of [`/v1/triggers/${trigger.id}`, `/v1/triggers/${trigger.id}/samples`, `/v1/triggers/${trigger.id}/variables`, `/v1/triggers/${trigger.id}/mapping`, `/v1/triggers/${trigger.id}/events`]) {
      const res = await intruder.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await intruder.get<{ items: unknown[] }>('/v1/triggers')).body.items).toEqual([]);
    expect((await new ApiClient(stack.baseUrl).get('/v1/triggers')).status).toBe(401);
  });

  it('issues more API keys to a workspace and revokes them', async () => {
    const second = await api.post<{ id: string; apiKey: string; prefix: string }>('/v1/api-keys');
    expect(second.status).toBe(201);
    const other = new ApiClient(stack.baseUrl, second.body.apiKey);
    expect((await other.get(`/v1/triggers/${trigger.id}`)).status).toBe(200);
    const listed = await api.get<{ items: Array<{ id: string; prefix: string }> }>('/v1/api-keys');
    expect(listed.body.items.map((k) => k.id)).toContain(second.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(second.body.apiKey);
    expect((await other.delete(`/v1/api-keys/${second.body.id}`)).status).toBe(409);
    expect((await api.delete(`/v1/api-keys/${second.body.id}`)).status).toBe(204);
    expect((await other.get(`/v1/triggers/${trigger.id}`)).status).toBe(401);
  });

  it('deletes a trigger, after which its URL answers 404 like an unknown one', async () => {
    const t = await api.post<Trigger>('/v1/triggers', { flowId: 'flow_tmp' });
    expect((await api.post(t.body.url, '{"a":1}')).status).toBe(202);
    expect((await api.delete(`/v1/triggers/${t.body.id}`)).status).toBe(204);
    const after = await api.post(t.body.url, '{"a":1}');
    expect(after.status).toBe(404);
    expect((await api.get(`/v1/triggers/${t.body.id}`)).status).toBe(404);
  });

  it('refuses bodies that cannot be webhooks with a precise code, and records why', async () => {
    const samplesBefore = (await api.get<{ items: unknown[] }>(`/v1/triggers/${trigger.id}/samples`)).body.items.length;
    const malformed = await api.post(trigger.url, '{"id": 1,', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    const polluted = await api.post(trigger.url, '{"__proto__": {"admin": true}}', { 'content-type': 'application/json' });
    expect(polluted.status).toBe(400);
    expect(polluted.body).toMatchObject({ error: { code: 'FORBIDDEN_KEY' } });
    const xml = await api.post(trigger.url, '<order/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);

    const rejected = await waitFor(async () => {
      const res = await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${trigger.id}/events?status=rejected`);
      return res.body.items.length >= 3 ? res.body.items : undefined;
    }, 30_000, 'the rejections in the event log');
    expect(rejected.map((e) => e.reason?.split(':')[0]).sort()).toEqual(['FORBIDDEN_KEY', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE']);
    // A refused request never becomes a sample. (How many the accepted ones made depends on
    // timing: a live trigger's events of a known shape are sampled once a second.)
    const samples = await api.get<{ items: unknown[] }>(`/v1/triggers/${trigger.id}/samples`);
    expect(samplesBefore).toBeGreaterThanOrEqual(2);
    expect(samples.body.items).toHaveLength(samplesBefore);
  });

  it('flags drift on live traffic, and a mapped field that stopped arriving', async () => {
    // The same order without total_price (read by the mapping) and with a field never seen.
    const drifted = fixtureBytes(ORDER).toString('utf8').replace('  "total_price": "404.95",\n', '  "loyalty_tier": "gold",\n');
    expect(drifted).not.toContain('"total_price"');
    const res = await api.post(trigger.url, drifted, { 'content-type': 'application/json', 'x-shopify-webhook-id': 'drifted-1' });
    expect(res.status).toBe(202);

    const drift = await waitFor(async () => {
      const r = await api.get<{ items: Array<{ kind: string; path: string; firstSeenAt: string }> }>(`/v1/triggers/${trigger.id}/drift`);
      return r.body.items.length >= 2 ? r.body.items : undefined;
    }, 30_000, 'the drift records');
    expect(drift.map((d) => `${d.kind} ${d.path}`).sort()).toEqual(['field_added loyalty_tier', 'field_removed total_price']);
    expect(Date.parse(drift[0].firstSeenAt)).not.toBeNaN();

    const picker = await api.get<{ alerts: Array<{ code: string; path: string }>; variables: Array<{ path: string; mapped: boolean; missing?: boolean }> }>(`/v1/triggers/${trigger.id}/variables`);
    expect(picker.body.alerts).toEqual([expect.objectContaining({ code: 'MAPPED_FIELD_MISSING', path: 'total_price' })]);
    const byPath = new Map(picker.body.variables.map((v) => [v.path, v]));
    expect(byPath.get('total_price')).toMatchObject({ mapped: true, missing: true });
    expect(byPath.get('email')).toMatchObject({ mapped: true });
    expect(byPath.get('email')?.missing).toBeUndefined();
    expect(byPath.get('loyalty_tier')).toMatchObject({ mapped: false });
  });

  it('records an event it cannot map as failed, with the reason, and starts nothing', async () => {
    const res = await api.post<{ eventId: string }>(trigger.url, '{"id": 1, "note": "no email here"}', { 'content-type': 'application/json', 'x-shopify-webhook-id': 'no-email-1' });
    expect(res.status).toBe(202);
    const failed = await waitFor(async () => {
      const r = await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${trigger.id}/events?status=failed`);
      return r.body.items.find((e) => e.eventId === res.body.eventId);
    }, 30_000, 'the failed event in the log');
    expect(failed.reason).toMatch(/^UNIQUE_ID_MISSING: /);
    expect(journeysFor(trigger.id, trigger.flowId).filter((j) => j.message.source.eventId === res.body.eventId)).toEqual([]);
  });
});
