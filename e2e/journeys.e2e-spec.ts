/**
 * Identity and the fate of an event, end to end through the one base URL: identify a
 * customer, the trigger's unknown-customer policy (skip, park until identified), and the
 * replay of an event received while the trigger was paused. Each step builds on the one
 * before, so they run in order.
 */
import { randomUUID } from 'node:crypto';
import { TOPICS, type JourneyTriggeredV1 } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, fixtureText, type Stack, startStack, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const ORDER = 'shopify__orders_create.json';
const FIXTURE_EMAIL = 'jon@example.com';
// The fixture's customer object has an email of its own.
const FIXTURE_CUSTOMER_EMAIL = 'john@example.com';

interface Trigger {
  id: string;
  url: string;
  flowId: string;
  status: string;
  unknownCustomer: string;
}
interface LoggedEvent {
  eventId: string;
  status: string;
  reason: string | null;
  customerId: string | null;
  history: Array<{ status: string; reason: string | null }>;
}
interface Customer {
  customerId: string;
  identifiers: Record<string, string>;
  journeys: Array<{ eventId: string; flowId: string; triggerId: string | null; startedAt: string }>;
}

describe('journeys: identity, unknown-customer policies and replay', () => {
  let stack: Stack;
  let databaseUrl: string;
  let output: TopicReader;
  let api: ApiClient;
  let trigger: Trigger;

  /** The Shopify order fixture as if placed by someone else (order and customer email alike). */
  const orderOf = (email: string) => fixtureText(ORDER).split(FIXTURE_EMAIL).join(email).split(FIXTURE_CUSTOMER_EMAIL).join(email);
  const send = async (email: string) => {
    const res = await api.post<{ eventId: string }>(trigger.url, orderOf(email), { 'content-type': 'application/json', 'x-shopify-webhook-id': randomUUID() });
    expect(res.status).toBe(202);
    return res.body.eventId;
  };
  const eventLog = async (eventId: string) => {
    const res = await api.get<{ items: LoggedEvent[] }>(`/v1/triggers/${trigger.id}/events?limit=200`);
    return res.body.items.find((e) => e.eventId === eventId);
  };
  /** Waits for the event's outcome (anything past accepted/mapped). */
  const outcomeOf = (eventId: string) =>
    waitFor(async () => {
      const e = await eventLog(eventId);
      return e && !['accepted', 'mapped'].includes(e.status) ? e : undefined;
    }, 30_000, `the outcome of ${eventId}`);
  /**
   * Sends orders of fresh customers until one gets `status`: the trigger's settings reach
   * journey-trigger over the config topic, a moment after the PATCH answered.
   */
  const sendUntil = async (status: string) =>
    waitFor(async () => {
      const email = `${randomUUID()}@example.com`;
      const eventId = await send(email);
      const e = await outcomeOf(eventId);
      return e.status === status ? { email, eventId, event: e } : undefined;
    }, 60_000, `an event recorded as ${status}`);
  const journeyOf = (eventId: string) => output.messages.map((m) => JSON.parse(m.value ?? 'null') as JourneyTriggeredV1).find((m) => m.source.eventId === eventId);

  beforeAll(async () => {
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_journeys');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl });
    output = await new TopicReader(env.kafkaBrokers, stack.topic(TOPICS.JOURNEY_TRIGGERED)).start();
    const admin = new ApiClient(stack.baseUrl, stack.adminToken);
    const ws = await admin.post<{ apiKey: string }>('/v1/workspaces', { name: 'Journeys' });
    api = new ApiClient(stack.baseUrl, ws.body.apiKey);
    trigger = (await api.post<Trigger>('/v1/triggers', { flowId: 'flow_thanks', name: 'Orders' })).body;
    // A sample teaches the catalog the mapping is checked against.
    await send(FIXTURE_EMAIL);
    await waitFor(async () => ((await api.get<{ sampleCount: number }>(`/v1/triggers/${trigger.id}/variables`)).body.sampleCount === 1 ? true : undefined), 30_000, 'the sample');
    const saved = await api.put(`/v1/triggers/${trigger.id}/mapping`, { uniqueId: { type: 'email', path: 'email' }, variables: [{ name: 'orderName', path: 'name' }], variableSets: { customer: { email: 'customer.email' } } });
    expect(saved.status).toBe(200);
    expect((await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { status: 'live' })).body.status).toBe('live');
  });

  afterAll(async () => {
    await output?.stop();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('identifies a customer under the platform\'s own id, and a later order of that email starts its journey for that customer', async () => {
    const email = `${randomUUID()}@example.com`;
    const identified = await api.post('/v1/customers/identify', { customerId: 'platform-1', identifiers: { email: email.toUpperCase(), external_id: 'crm-1' } });
    expect(identified.status).toBe(200);
    expect(identified.body).toEqual({ customerId: 'platform-1', identifiers: { email, external_id: 'crm-1' }, conflicts: [] });
    const invalid = await api.post('/v1/customers/identify', { identifiers: { email: 'nope' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });

    const eventId = await send(email);

    const journey = await waitFor(() => journeyOf(eventId), 30_000, 'the journey');
    expect(journey.customer).toEqual({ id: 'platform-1', identifiers: { email, external_id: 'crm-1' }, created: false });
    const customer = await waitFor(async () => {
      const res = await api.get<Customer>('/v1/customers/platform-1');
      return res.body.journeys?.length ? res : undefined;
    }, 30_000, 'the journey in the customer view');
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ customerId: 'platform-1', identifiers: { email, external_id: 'crm-1' }, journeys: [{ eventId, flowId: 'flow_thanks', triggerId: trigger.id, startedAt: expect.any(String) }] });
    expect((await api.get('/v1/customers/nobody')).status).toBe(404);
    expect((await new ApiClient(stack.baseUrl).get('/v1/customers/platform-1')).status).toBe(401);
  });

  it('policy "skip": an unknown customer\'s order is recorded as skipped with UNKNOWN_CUSTOMER and starts nothing', async () => {
    const patched = await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { unknownCustomer: 'skip' });
    expect(patched.body.unknownCustomer).toBe('skip');

    const { eventId, event } = await sendUntil('skipped');

    expect(event).toMatchObject({ reason: 'UNKNOWN_CUSTOMER', customerId: null });
    expect(journeyOf(eventId)).toBeUndefined();
  });

  it('policy "park": an unknown customer\'s order waits as parked, and identify releases it into a journey', async () => {
    await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { unknownCustomer: 'park' });
    const { email, eventId } = await sendUntil('parked');
    expect(journeyOf(eventId)).toBeUndefined();

    const identified = await api.post<{ customerId: string }>('/v1/customers/identify', { identifiers: { email } });
    expect(identified.status).toBe(200);

    const journey = await waitFor(() => journeyOf(eventId), 30_000, 'the released journey');
    expect(journey.customer).toMatchObject({ id: identified.body.customerId, identifiers: { email }, created: false });
    const logged = await eventLog(eventId);
    expect(logged).toMatchObject({ status: 'triggered', customerId: identified.body.customerId });
    expect(logged?.history.map((h) => h.status)).toEqual(expect.arrayContaining(['parked', 'triggered']));
  });

  it('replays an order received while paused once the trigger is live again: it triggers once, and a second replay is refused', async () => {
    await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { unknownCustomer: 'create', status: 'paused' });
    const { eventId, event } = await sendUntil('skipped');
    expect(event.reason).toBe('TRIGGER_PAUSED');
    await api.patch<Trigger>(`/v1/triggers/${trigger.id}`, { status: 'live' });

    const replayed = await waitFor(async () => {
      // The live status reaches journey-trigger over the config topic: until then the replay is paused again.
      const res = await api.post<{ eventId: string }>(`/v1/triggers/${trigger.id}/events/${eventId}/replay`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ eventId });
      return waitFor(() => journeyOf(eventId), 10_000, 'the replayed journey').catch(() => undefined);
    }, 60_000, 'a replay that triggers');

    expect(replayed.customer.created).toBe(true);
    expect(await outcomeOf(eventId)).toMatchObject({ status: 'triggered' });
    const again = await api.post(`/v1/triggers/${trigger.id}/events/${eventId}/replay`);
    expect(again.status).toBe(409);
    expect((await api.post(`/v1/triggers/${trigger.id}/events/${randomUUID()}/replay`)).status).toBe(404);
    expect(output.messages.map((m) => JSON.parse(m.value ?? 'null') as JourneyTriggeredV1).filter((m) => m.source.eventId === eventId)).toHaveLength(1);
  });
});
