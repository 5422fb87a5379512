// TriggerJourneyUseCase with its real collaborators on the real Postgres and Kafka: ledger,
// identity graph, outbox and event log in one transaction, and the relay that publishes.
// Every journey-schema test lives in this file, so the schema is migrated by one file only.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { deterministicEventId, assertMessage, HEADERS, TOPICS, type JourneyTriggeredV1, type TriggerMappedV1, type WebhookReceivedV1 } from '@hookline/contracts';
import { EventProducer, PermanentMessageError, provisionTopics } from '@hookline/kafka';
import { runInContext, ServiceMetrics } from '@hookline/observability';
import { parseBody } from '@hookline/payload';
import { migrate } from '@hookline/persistence';
import { aMappedMessage, fixtureBytes, freePort, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import type { JourneyConfig } from '../../config/journey.config';
import { journeyDataSource, JOURNEY_SCHEMA } from '../../database/data-source';
import { EventLogRepository } from '../../events/event-log.repository';
import { Outbox } from '../../outbox/outbox';
import { TriggersProjection } from '../../triggers/triggers.projection';
import { IdentifyCustomerUseCase } from '../../customers/use-cases/identify-customer.use-case';
import { GetCustomerUseCase } from '../../customers/use-cases/get-customer.use-case';
import { IdentityRepository } from '../identity.repository';
import { SweepParkedUseCase } from './sweep-parked.use-case';
import { RecordReceivedUseCase } from '../../events/use-cases/record-received.use-case';
import { ReplayEventUseCase } from '../../events/use-cases/replay-event.use-case';
import { TriggerJourneyUseCase } from './trigger-journey.use-case';
import { SweepRetentionUseCase } from '../../retention/sweep-retention.use-case';

/** The output event id the use-case must derive: stable for (workspace, scope, dedupe key). */
const outputEventId = (workspaceId: string, scope: string, dedupeKey: string) => deterministicEventId('journey', workspaceId, scope, dedupeKey);

const { kafkaBrokers, databaseUrl } = testEnvironment();
const brokers = kafkaBrokers.split(',');
const CONFIG = { OUTBOX_POLL_MS: 100, PARK_TTL_SECONDS: 3_600, PARK_SWEEP_MS: 60_000, REPLAY_RETENTION_SECONDS: 3_600 } as JourneyConfig;

// The real Shopify orders/create body, read losslessly: its order id does not fit a double.
const order = parseBody(fixtureBytes('shopify__orders_create.json'), 'application/json') as { id: bigint; email: string };
const ORDER_ID = String(order.id);
const mapped = aMappedMessage;

/** Another delivery of the same business event: a new source event, the same workspace, trigger and dedupe key. */
function redelivery(first: TriggerMappedV1): TriggerMappedV1 {
  return { ...first, eventId: randomUUID(), source: { ...first.source, eventId: randomUUID(), deliveryId: randomUUID() } };
}

/** Migrates the journey schema under a session lock, so another file doing the same waits instead of failing. */
async function migrateJourneySchema(dataSource: DataSource): Promise<void> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('hookline-test-migrate:journey'))");
    await migrate(dataSource, JOURNEY_SCHEMA);
  } finally {
    await lock.end();
  }
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: JourneyTriggeredV1;
  published_at: Date | null;
}
interface EventRow {
  event_id: string;
  status: string;
  reason: string | null;
  output_event_id: string | null;
  customer_id: string | null;
  history: Array<{ status: string }>;
}

describe('TriggerJourneyUseCase (real Postgres and Kafka)', () => {
  let dataSource: DataSource;
  let producer: EventProducer;
  let outbox: Outbox;
  let events: EventLogRepository;
  let sut: TriggerJourneyUseCase;

  const outboxOf = async (workspaceId: string) =>
    (await dataSource.query(`SELECT id, topic, key, payload, published_at FROM journey.outbox WHERE payload->>'workspaceId' = $1 ORDER BY created_at`, [workspaceId])) as OutboxRow[];
  const ledgerOf = async (workspaceId: string) =>
    (await dataSource.query('SELECT scope, dedupe_key, source_event_id, output_event_id, customer_id FROM journey.ledger WHERE workspace_id = $1', [workspaceId])) as Array<{
      scope: string;
      dedupe_key: string;
      source_event_id: string;
      output_event_id: string;
      customer_id: string;
    }>;
  const eventsOf = async (workspaceId: string) =>
    (await dataSource.query('SELECT event_id, status, reason, output_event_id, customer_id, history FROM journey.events WHERE workspace_id = $1', [workspaceId])) as EventRow[];
  const eventOf = async (m: TriggerMappedV1) => (await eventsOf(m.workspaceId)).find((e) => e.event_id === m.source.eventId);
  const customersOf = async (workspaceId: string) => ((await dataSource.query('SELECT id FROM journey.customers WHERE workspace_id = $1', [workspaceId])) as Array<{ id: string }>).map((r) => r.id);

  beforeAll(async () => {
    await provisionTopics(brokers);
    dataSource = journeyDataSource(databaseUrl);
    await migrateJourneySchema(dataSource);
    producer = new EventProducer({ brokers, clientId: `test-journey-${randomUUID()}` });
    outbox = new Outbox(dataSource, producer, CONFIG);
    events = new EventLogRepository(dataSource);
    sut = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), events, outbox, CONFIG);
  });

  afterAll(async () => {
    await outbox.onApplicationShutdown();
    await producer.close();
    await dataSource.destroy();
  });

  it('starts a journey for a mapped event: a new customer, one outbox row and a "triggered" event-log row, all committed together', async () => {
    const m = mapped();
    const expectedId = outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey);

    await sut.execute(m);

    const [customerId, ...moreCustomers] = await customersOf(m.workspaceId);
    expect(moreCustomers).toEqual([]);
    const rows = await outboxOf(m.workspaceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: expectedId, topic: TOPICS.JOURNEY_TRIGGERED, key: customerId });
    expect(rows[0].payload).toMatchObject({
      eventId: expectedId,
      triggerId: m.triggerId,
      flowId: m.flowId,
      source: m.source,
      customer: { id: customerId, identifiers: { email: order.email }, created: true },
      variables: { orderId: ORDER_ID, email: order.email },
      mappingVersion: 1,
    });
    expect(() => assertMessage(TOPICS.JOURNEY_TRIGGERED, rows[0].payload)).not.toThrow();
    expect(await ledgerOf(m.workspaceId)).toEqual([
      { scope: m.triggerId, dedupe_key: m.dedupeKey, source_event_id: m.source.eventId, output_event_id: expectedId, customer_id: customerId },
    ]);
    expect(await eventsOf(m.workspaceId)).toEqual([
      expect.objectContaining({ event_id: m.source.eventId, status: 'triggered', reason: null, output_event_id: expectedId, customer_id: customerId, history: [expect.objectContaining({ status: 'triggered' })] }),
    ]);
  });

  it('records another source event with the same dedupe key as "duplicate", naming the first, and starts nothing', async () => {
    const first = mapped();
    const second = redelivery(first);
    await sut.execute(first);

    await sut.execute(second);

    expect(await outboxOf(first.workspaceId)).toHaveLength(1);
    expect(await ledgerOf(first.workspaceId)).toHaveLength(1);
    const [customerId] = await customersOf(first.workspaceId);
    expect(await eventOf(second)).toMatchObject({
      status: 'duplicate',
      reason: expect.stringContaining(first.source.eventId),
      output_event_id: outputEventId(first.workspaceId, first.triggerId!, first.dedupeKey),
      customer_id: customerId,
    });
    expect((await eventOf(first))?.status).toBe('triggered');
  });

  it('creates no customer for a duplicate that names someone new', async () => {
    const first = mapped();
    const second = { ...redelivery(first), uniqueId: { type: 'email' as const, value: 'someone.else@example.com' } };
    await sut.execute(first);

    await sut.execute(second);

    expect(await customersOf(first.workspaceId)).toHaveLength(1);
    expect((await eventOf(second))?.status).toBe('duplicate');
  });

  it('treats the very same message consumed twice as one: no duplicate row, no second outbox row', async () => {
    const m = mapped();
    await sut.execute(m);

    await sut.execute(m);

    expect(await outboxOf(m.workspaceId)).toHaveLength(1);
    expect(await ledgerOf(m.workspaceId)).toHaveLength(1);
    const rows = await eventsOf(m.workspaceId);
    expect(rows.map((r) => r.status)).toEqual(['triggered']);
    expect(rows[0].history).toHaveLength(1);
  });

  it('finds the known customer for a later event of the same email in the same workspace', async () => {
    const first = mapped();
    const later = mapped({ workspaceId: first.workspaceId, triggerId: first.triggerId });
    await sut.execute(first);

    await sut.execute(later);

    const rows = await outboxOf(first.workspaceId);
    expect(rows.map((r) => r.payload.customer.created)).toEqual([true, false]);
    expect(rows[1].payload.customer.id).toBe(rows[0].payload.customer.id);
    expect(await customersOf(first.workspaceId)).toHaveLength(1);
  });

  it('keeps workspaces apart: the same email in two workspaces is two customers', async () => {
    const a = mapped();
    const b = mapped();

    await sut.execute(a);
    await sut.execute(b);

    const [rowA] = await outboxOf(a.workspaceId);
    const [rowB] = await outboxOf(b.workspaceId);
    expect(rowA.payload.customer).toMatchObject({ identifiers: { email: order.email }, created: true });
    expect(rowB.payload.customer).toMatchObject({ identifiers: { email: order.email }, created: true });
    expect(rowA.payload.customer.id).not.toBe(rowB.payload.customer.id);
    expect(rowA.id).not.toBe(rowB.id);
  });

  it('starts exactly one journey when ten events with the same dedupe key arrive at once', async () => {
    const first = mapped();
    const all = [first, ...Array.from({ length: 9 }, () => redelivery(first))];

    await Promise.all(all.map((m) => sut.execute(m)));

    expect(await ledgerOf(first.workspaceId)).toHaveLength(1);
    expect(await outboxOf(first.workspaceId)).toHaveLength(1);
    const statuses = (await eventsOf(first.workspaceId)).map((r) => r.status).sort();
    expect(statuses).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'triggered']);
    // The racing transactions that lost the identifier drop the customer they created.
    expect(await customersOf(first.workspaceId)).toHaveLength(1);
  });

  it('publishes the outbox row to hookline.journey.triggered.v1 with its deterministic id and big-integer strings intact, then marks it published', async () => {
    const reader = await new TopicReader(kafkaBrokers, TOPICS.JOURNEY_TRIGGERED).start();
    try {
      const m = mapped();
      const expectedId = outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey);

      await sut.execute(m);

      const read = await waitFor(() => reader.messages.find((r) => r.headers[HEADERS.EVENT_ID] === expectedId), 20_000, 'the journey.triggered message');
      const value: unknown = JSON.parse(read.value!);
      assertMessage(TOPICS.JOURNEY_TRIGGERED, value);
      expect(expectedId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(value.eventId).toBe(expectedId);
      expect(read.key).toBe(value.customer.id);
      expect(read.value).toContain(`"orderId":"${ORDER_ID}"`);
      expect(value.variables.orderId).toBe('820982911946154508');
      expect(value.source).toEqual(m.source);
      const [row] = await waitFor(async () => {
        const rows = await outboxOf(m.workspaceId);
        return rows[0]?.published_at ? rows : undefined;
      });
      expect(row.published_at).toBeInstanceOf(Date);
    } finally {
      await reader.stop();
    }
  });

  it('records a skipped event as "skipped" with its reason, and starts nothing', async () => {
    const m = mapped({ disposition: 'skip', reason: 'trigger is paused', uniqueId: null });

    await sut.execute(m);

    expect(await eventsOf(m.workspaceId)).toEqual([expect.objectContaining({ event_id: m.source.eventId, status: 'skipped', reason: 'trigger is paused', output_event_id: null })]);
    expect(await ledgerOf(m.workspaceId)).toEqual([]);
    expect(await outboxOf(m.workspaceId)).toEqual([]);
    expect(await customersOf(m.workspaceId)).toEqual([]);
  });

  it('refuses, as a permanent error, an event to trigger without a unique id, writing nothing', async () => {
    const m = mapped({ uniqueId: null });
    const executing = sut.execute(m);

    await expect(executing).rejects.toBeInstanceOf(PermanentMessageError);
    await expect(executing).rejects.toMatchObject({ code: 'UNIQUE_ID_MISSING' });

    expect(await eventsOf(m.workspaceId)).toEqual([]);
    expect(await ledgerOf(m.workspaceId)).toEqual([]);
  });

  it('keeps the outcome when a lower-ranked status arrives late: a late "accepted" does not undo "triggered"', async () => {
    const m = mapped();
    await sut.execute(m);

    await events.record({ eventId: m.source.eventId, workspaceId: m.workspaceId, triggerId: m.triggerId, status: 'accepted', reason: null, receivedAt: m.source.receivedAt, deliveryId: m.source.deliveryId });

    const row = await eventOf(m);
    expect(row?.status).toBe('triggered');
    expect(row?.history.map((h) => h.status)).toEqual(['triggered', 'accepted']);
  });

  it('forgets, past their retention, event-log rows, ledger entries and published outbox rows, and nothing unpublished or recent', async () => {
    const old = mapped();
    const recent = { ...mapped(), workspaceId: old.workspaceId };
    const unpublished = { ...mapped(), workspaceId: old.workspaceId };
    await sut.execute(old);
    await sut.execute(recent);
    await sut.execute(unpublished);
    await waitFor(async () => (await outboxOf(old.workspaceId)).every((r) => r.published_at !== null), 20_000, 'the outbox published');
    const twoDaysAgo = "now() - interval '2 days'";
    await dataSource.query(`UPDATE journey.events SET updated_at = ${twoDaysAgo} WHERE event_id = ANY($1)`, [[old.source.eventId, unpublished.source.eventId]]);
    await dataSource.query(`UPDATE journey.ledger SET created_at = ${twoDaysAgo} WHERE workspace_id = $1 AND dedupe_key = ANY($2)`, [old.workspaceId, [old.dedupeKey, unpublished.dedupeKey]]);
    await dataSource.query(`UPDATE journey.outbox SET published_at = ${twoDaysAgo} WHERE id = $1`, [outputEventId(old.workspaceId, old.triggerId!, old.dedupeKey)]);
    await dataSource.query(`UPDATE journey.outbox SET published_at = NULL, created_at = ${twoDaysAgo} WHERE id = $1`, [outputEventId(old.workspaceId, unpublished.triggerId!, unpublished.dedupeKey)]);
    const retention = new SweepRetentionUseCase(dataSource, { EVENT_LOG_RETENTION_SECONDS: 86_400, LEDGER_RETENTION_SECONDS: 86_400, OUTBOX_RETENTION_SECONDS: 86_400, RETENTION_SWEEP_MS: 60_000 });

    const swept = await retention.execute();

    expect(swept.events).toBeGreaterThanOrEqual(2);
    expect((await eventsOf(old.workspaceId)).map((e) => e.event_id)).toEqual([recent.source.eventId]);
    expect((await ledgerOf(old.workspaceId)).map((l) => l.dedupe_key)).toEqual([recent.dedupeKey]);
    expect((await outboxOf(old.workspaceId)).map((r) => r.id).sort()).toEqual(
      [outputEventId(old.workspaceId, recent.triggerId!, recent.dedupeKey), outputEventId(old.workspaceId, unpublished.triggerId!, unpublished.dedupeKey)].sort(),
    );
    // The dedupe window is the ledger's retention: a forgotten key starts again.
    await sut.execute(redelivery(old));
    expect((await ledgerOf(old.workspaceId)).map((l) => l.dedupe_key).sort()).toEqual([old.dedupeKey, recent.dedupeKey].sort());
  });
});

describe('Identity graph, identify, and unknown-customer policies (real Postgres and Kafka)', () => {
  let dataSource: DataSource;
  let producer: EventProducer;
  let outbox: Outbox;
  let events: EventLogRepository;
  let triggerJourney: TriggerJourneyUseCase;
  let identify: IdentifyCustomerUseCase;
  let getCustomer: GetCustomerUseCase;
  let sweep: SweepParkedUseCase;

  const outboxOf = async (workspaceId: string) =>
    (await dataSource.query(`SELECT id, topic, key, payload, published_at FROM journey.outbox WHERE payload->>'workspaceId' = $1 ORDER BY created_at`, [workspaceId])) as OutboxRow[];
  const eventOf = async (m: TriggerMappedV1) =>
    ((await dataSource.query('SELECT event_id, status, reason, output_event_id, customer_id, conflicts, history FROM journey.events WHERE event_id = $1', [m.source.eventId])) as Array<
      EventRow & { conflicts: unknown }
    >)[0];
  const parkedOf = async (workspaceId: string) => (await dataSource.query('SELECT event_id, identifier_keys FROM journey.parked WHERE workspace_id = $1', [workspaceId])) as Array<{ event_id: string; identifier_keys: string[] }>;
  const ledgerCount = async (workspaceId: string) => ((await dataSource.query('SELECT 1 FROM journey.ledger WHERE workspace_id = $1', [workspaceId])) as unknown[]).length;
  const customerCount = async (workspaceId: string) => ((await dataSource.query('SELECT 1 FROM journey.customers WHERE workspace_id = $1', [workspaceId])) as unknown[]).length;
  /** The trigger's projected settings, as the trigger.config consumer would write them. */
  const policy = (m: TriggerMappedV1, unknownCustomer: 'create' | 'park' | 'skip') =>
    dataSource.query(
      `INSERT INTO journey.triggers (trigger_id, workspace_id, flow_id, status, unknown_customer, updated_at) VALUES ($1, $2, $3, 'live', $4, now())
       ON CONFLICT (trigger_id) DO UPDATE SET unknown_customer = EXCLUDED.unknown_customer`,
      [m.triggerId, m.workspaceId, m.flowId, unknownCustomer],
    );
  /** An order event whose unique id is the email, with the customer variable set carrying more identifiers. */
  const withCustomer = (customer: Record<string, unknown>, overrides: Partial<TriggerMappedV1> = {}) => mapped({ variableSets: { customer }, ...overrides });

  beforeAll(async () => {
    await provisionTopics(brokers);
    dataSource = journeyDataSource(databaseUrl);
    await migrateJourneySchema(dataSource);
    producer = new EventProducer({ brokers, clientId: `test-journey-${randomUUID()}` });
    outbox = new Outbox(dataSource, producer, CONFIG);
    events = new EventLogRepository(dataSource);
    const identity = new IdentityRepository();
    triggerJourney = new TriggerJourneyUseCase(dataSource, identity, events, outbox, CONFIG);
    identify = new IdentifyCustomerUseCase(dataSource, identity, triggerJourney);
    getCustomer = new GetCustomerUseCase(dataSource, identity);
    sweep = new SweepParkedUseCase(dataSource, triggerJourney, events, CONFIG);
  });

  afterAll(async () => {
    await outbox.onApplicationShutdown();
    await producer.close();
    await dataSource.destroy();
  });

  it('links the unique id and the customer set\'s email, phone and external id (normalised) to one customer, and lists them all in the output', async () => {
    const m = withCustomer({ email: ' Jon@Example.com ', phone: '+91 98765 43210', externalId: 'crm-7', firstName: 'Jon' }, { uniqueId: { type: 'order_id', value: ORDER_ID } });

    await triggerJourney.execute(m);

    const [row] = await outboxOf(m.workspaceId);
    expect(row.payload.customer).toEqual({ id: row.key, created: true, identifiers: { order_id: ORDER_ID, email: 'jon@example.com', phone: '+919876543210', external_id: 'crm-7' } });
    expect(() => assertMessage(TOPICS.JOURNEY_TRIGGERED, row.payload)).not.toThrow();
    // A later event known only by the phone finds the same customer and lists every identifier.
    const later = mapped({ workspaceId: m.workspaceId, triggerId: m.triggerId, uniqueId: { type: 'phone', value: '+919876543210' } });
    await triggerJourney.execute(later);
    const rows = await outboxOf(m.workspaceId);
    expect(rows[1].payload.customer).toEqual({ id: row.key, created: false, identifiers: { order_id: ORDER_ID, email: 'jon@example.com', phone: '+919876543210', external_id: 'crm-7' } });
    expect(await customerCount(m.workspaceId)).toBe(1);
  });

  it('never merges on a conflict: the unique id wins and the identifier owned by someone else is recorded with the event', async () => {
    const a = await identify.execute({ workspaceId: `ws_${randomUUID()}`, identifiers: { email: 'a@example.com' } });
    const ws = (await dataSource.query('SELECT workspace_id FROM journey.customers WHERE id = $1', [a.customerId]))[0].workspace_id as string;
    const b = await identify.execute({ workspaceId: ws, identifiers: { phone: '+14155550101' } });
    // The event's unique id is B's phone, and its customer set says A's email.
    const m = withCustomer({ email: 'a@example.com' }, { workspaceId: ws, uniqueId: { type: 'phone', value: '+14155550101' } });

    await triggerJourney.execute(m);

    const [row] = await outboxOf(ws);
    expect(row.payload.customer).toEqual({ id: b.customerId, created: false, identifiers: { phone: '+14155550101' } });
    const logged = await eventOf(m);
    expect(logged).toMatchObject({ status: 'triggered', customer_id: b.customerId, conflicts: [{ type: 'email', value: 'a@example.com', customerId: a.customerId }] });
    expect((await getCustomer.execute(ws, a.customerId)).identifiers).toEqual({ email: 'a@example.com' });
    expect((await getCustomer.execute(ws, b.customerId)).identifiers).toEqual({ phone: '+14155550101' });
  });

  it('identify links to the platform\'s own customer id (creating it), reports conflicts, and keeps workspaces apart', async () => {
    const ws = `ws_${randomUUID()}`;
    const first = await identify.execute({ workspaceId: ws, customerId: 'platform-42', identifiers: { email: 'Kim@Example.com', external_id: 'k-1' } });
    expect(first).toEqual({ customerId: 'platform-42', identifiers: { email: 'kim@example.com', external_id: 'k-1' }, conflicts: [] });

    const other = await identify.execute({ workspaceId: ws, identifiers: { email: 'kim@example.com', phone: '+14155550102' } });
    expect(other).toEqual({ customerId: 'platform-42', identifiers: { email: 'kim@example.com', external_id: 'k-1', phone: '+14155550102' }, conflicts: [] });

    const clash = await identify.execute({ workspaceId: ws, customerId: 'platform-43', identifiers: { email: 'kim@example.com' } });
    expect(clash).toEqual({ customerId: 'platform-43', identifiers: {}, conflicts: [{ type: 'email', value: 'kim@example.com', customerId: 'platform-42' }] });

    // The same platform id in another workspace is another customer.
    const elsewhere = await identify.execute({ workspaceId: `ws_${randomUUID()}`, customerId: 'platform-42', identifiers: { email: 'kim@example.com' } });
    expect(elsewhere.conflicts).toEqual([]);
    await expect(getCustomer.execute(`ws_${randomUUID()}`, 'platform-42')).rejects.toMatchObject({ status: 404 });
  });

  it('identify refuses an identifier that does not normalise, naming it', async () => {
    await expect(identify.execute({ workspaceId: `ws_${randomUUID()}`, identifiers: { email: 'not-an-email', phone: '+14155550103' } })).rejects.toMatchObject({ status: 422 });
  });

  it('lists the journeys started for a customer, from the ledger', async () => {
    const m = mapped();
    await triggerJourney.execute(m);
    const customerId = (await outboxOf(m.workspaceId))[0].key;

    const view = await getCustomer.execute(m.workspaceId, customerId);

    expect(view.identifiers).toEqual({ email: order.email });
    expect(view.journeys).toEqual([
      { eventId: m.source.eventId, outputEventId: outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey), flowId: m.flowId, triggerId: m.triggerId, startedAt: expect.any(String) },
    ]);
  });

  it('policy "skip": records UNKNOWN_CUSTOMER, creates nobody, starts nothing and keeps no claim; a known customer still triggers', async () => {
    const m = mapped();
    await policy(m, 'skip');

    await triggerJourney.execute(m);

    expect(await eventOf(m)).toMatchObject({ status: 'skipped', reason: 'UNKNOWN_CUSTOMER' });
    expect(await customerCount(m.workspaceId)).toBe(0);
    expect(await ledgerCount(m.workspaceId)).toBe(0);
    expect(await outboxOf(m.workspaceId)).toEqual([]);

    await identify.execute({ workspaceId: m.workspaceId, identifiers: { email: order.email } });
    const known = mapped({ workspaceId: m.workspaceId, triggerId: m.triggerId });
    await triggerJourney.execute(known);
    expect((await eventOf(known))?.status).toBe('triggered');
    expect((await outboxOf(m.workspaceId))[0].payload.customer.created).toBe(false);
  });

  it('policy "park": the event waits without a claim, and identify releases it through the ledger (a later redelivery is a duplicate)', async () => {
    const m = mapped();
    await policy(m, 'park');

    await triggerJourney.execute(m);

    expect(await eventOf(m)).toMatchObject({ status: 'parked', reason: expect.stringContaining('UNKNOWN_CUSTOMER') });
    expect(await parkedOf(m.workspaceId)).toEqual([{ event_id: m.source.eventId, identifier_keys: [`email:${order.email}`] }]);
    expect(await ledgerCount(m.workspaceId)).toBe(0);
    expect(await customerCount(m.workspaceId)).toBe(0);

    const who = await identify.execute({ workspaceId: m.workspaceId, identifiers: { email: order.email.toUpperCase() } });

    expect(await parkedOf(m.workspaceId)).toEqual([]);
    const logged = await eventOf(m);
    expect(logged).toMatchObject({ status: 'triggered', customer_id: who.customerId });
    expect(logged?.history.map((h) => h.status)).toEqual(['parked', 'triggered']);
    const [row] = await outboxOf(m.workspaceId);
    expect(row.payload).toMatchObject({ eventId: outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey), source: m.source, customer: { id: who.customerId, created: false } });
    await triggerJourney.execute(redelivery(m));
    expect(await outboxOf(m.workspaceId)).toHaveLength(1);
  });

  it('policy "park": another trigger\'s event that creates the customer releases the parked one', async () => {
    const parked = mapped();
    await policy(parked, 'park');
    await triggerJourney.execute(parked);

    const creator = mapped({ workspaceId: parked.workspaceId });
    await triggerJourney.execute(creator);

    expect((await eventOf(parked))?.status).toBe('triggered');
    const rows = await outboxOf(parked.workspaceId);
    expect(rows.map((r) => r.payload.triggerId).sort()).toEqual([creator.triggerId, parked.triggerId].sort());
    expect(new Set(rows.map((r) => r.key)).size).toBe(1);
  });

  it('the sweep releases a parked event whose customer became known behind its back, and expires one parked too long with a reason', async () => {
    const waiting = mapped();
    await policy(waiting, 'park');
    await triggerJourney.execute(waiting);
    // Linked without a release reaching the parked row (a crash between identify and release).
    await dataSource.query("INSERT INTO journey.customers (id, workspace_id) VALUES ('cus_behind', $1)", [waiting.workspaceId]);
    await dataSource.query("INSERT INTO journey.identifiers (workspace_id, type, value, customer_id) VALUES ($1, 'email', $2, 'cus_behind')", [waiting.workspaceId, order.email]);
    const stale = mapped({ uniqueId: { type: 'email', value: 'never@example.com' } });
    await policy(stale, 'park');
    await triggerJourney.execute(stale);
    await dataSource.query("UPDATE journey.parked SET expires_at = now() - interval '1 second' WHERE event_id = $1", [stale.source.eventId]);

    expect(await sweep.execute(waiting.workspaceId)).toEqual({ released: 1, expired: 0 });
    expect(await sweep.execute(stale.workspaceId)).toEqual({ released: 0, expired: 1 });

    expect(await eventOf(waiting)).toMatchObject({ status: 'triggered', customer_id: 'cus_behind' });
    expect(await eventOf(stale)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('PARK_EXPIRED') });
    expect(await parkedOf(stale.workspaceId)).toEqual([]);
    expect(await ledgerCount(stale.workspaceId)).toBe(0);
  });
});

describe('Journey starts decided together: one transaction for the events handed in at once (real Postgres and Kafka)', () => {
  let dataSource: DataSource;
  let producer: EventProducer;
  let outbox: Outbox;
  let triggerJourney: TriggerJourneyUseCase;
  let identify: IdentifyCustomerUseCase;

  const outboxOf = async (workspaceId: string) =>
    (await dataSource.query(`SELECT id, topic, key, payload, published_at FROM journey.outbox WHERE payload->>'workspaceId' = $1 ORDER BY payload->'source'->>'eventId'`, [workspaceId])) as OutboxRow[];
  const outboxFor = async (m: TriggerMappedV1) => (await outboxOf(m.workspaceId)).find((r) => r.payload.source.eventId === m.source.eventId);
  const eventOf = async (m: TriggerMappedV1) =>
    ((await dataSource.query('SELECT event_id, status, reason, output_event_id, customer_id, conflicts, history FROM journey.events WHERE event_id = $1', [m.source.eventId])) as Array<
      EventRow & { conflicts: unknown }
    >)[0];
  const customersOf = async (workspaceId: string) => ((await dataSource.query('SELECT id FROM journey.customers WHERE workspace_id = $1', [workspaceId])) as Array<{ id: string }>).map((r) => r.id);
  const claimsOf = async (workspaceId: string) =>
    (await dataSource.query('SELECT dedupe_key, source_event_id, customer_id FROM journey.ledger WHERE workspace_id = $1 ORDER BY dedupe_key', [workspaceId])) as Array<{ dedupe_key: string; source_event_id: string; customer_id: string | null }>;
  const policy = (m: TriggerMappedV1, unknownCustomer: 'create' | 'park' | 'skip') =>
    dataSource.query(
      `INSERT INTO journey.triggers (trigger_id, workspace_id, flow_id, status, unknown_customer, updated_at) VALUES ($1, $2, $3, 'live', $4, now())
       ON CONFLICT (trigger_id) DO UPDATE SET unknown_customer = EXCLUDED.unknown_customer`,
      [m.triggerId, m.workspaceId, m.flowId, unknownCustomer],
    );
  const byEmail = (ws: string, email: string, overrides: Partial<TriggerMappedV1> = {}) => mapped({ workspaceId: ws, uniqueId: { type: 'email', value: email }, ...overrides });
  /** The transactions (xmin) that wrote these events' claims: one when they were decided together. */
  const claimTransactions = async (...ms: TriggerMappedV1[]) =>
    ((await dataSource.query('SELECT DISTINCT xmin::text AS tx FROM journey.ledger WHERE source_event_id = ANY($1::text[])', [ms.map((m) => m.source.eventId)])) as unknown[]).length;

  beforeAll(async () => {
    await provisionTopics(brokers);
    dataSource = journeyDataSource(databaseUrl);
    await migrateJourneySchema(dataSource);
    producer = new EventProducer({ brokers, clientId: `test-journey-batch-${randomUUID()}` });
    outbox = new Outbox(dataSource, producer, CONFIG);
    const identity = new IdentityRepository();
    triggerJourney = new TriggerJourneyUseCase(dataSource, identity, new EventLogRepository(dataSource), outbox, CONFIG);
    identify = new IdentifyCustomerUseCase(dataSource, identity, triggerJourney);
  });

  afterAll(async () => {
    await outbox.onApplicationShutdown();
    await producer.close();
    await dataSource.destroy();
  });

  it('gives each event of a batch the outcome it would have alone: customers made and found within the batch, conflicts, duplicates and redeliveries', async () => {
    const ws = `ws_${randomUUID()}`;
    const owner = await identify.execute({ workspaceId: ws, identifiers: { phone: '+14155550120' } });
    const earlier = byEmail(ws, 'earlier@example.com');
    await triggerJourney.execute(earlier);

    const first = byEmail(ws, 'ana@example.com');
    // Ana again, by email, bringing her phone: the customer the first event of the batch creates.
    const second = byEmail(ws, 'ana@example.com', { variableSets: { customer: { phone: '+14155550121' } } });
    // Ana a third time, naming a phone someone else owns: her unique id wins, the phone stays theirs.
    const clash = byEmail(ws, 'ana@example.com', { variableSets: { customer: { phone: '+14155550120' } } });
    const duplicate = redelivery(earlier);
    const again = { ...earlier };
    const batch = [first, second, clash, duplicate, again];

    await Promise.all(batch.map((m) => triggerJourney.execute(m)));

    expect(await claimTransactions(first, second, clash)).toBe(1);
    const ana = await outboxFor(first);
    expect(ana?.payload.customer).toEqual({ id: expect.stringMatching(/^cus_/), created: true, identifiers: { email: 'ana@example.com' } });
    expect((await outboxFor(second))?.payload.customer).toEqual({ id: ana?.key, created: false, identifiers: { email: 'ana@example.com', phone: '+14155550121' } });
    expect((await outboxFor(clash))?.payload.customer).toEqual({ id: ana?.key, created: false, identifiers: { email: 'ana@example.com', phone: '+14155550121' } });
    expect(await eventOf(clash)).toMatchObject({ status: 'triggered', customer_id: ana?.key, conflicts: [{ type: 'phone', value: '+14155550120', customerId: owner.customerId }] });
    expect(await eventOf(duplicate)).toMatchObject({ status: 'duplicate', reason: `already started by event ${earlier.source.eventId}`, output_event_id: outputEventId(ws, earlier.triggerId!, earlier.dedupeKey) });
    // The same message consumed again changes nothing: one triggered entry in its history.
    expect((await eventOf(earlier))?.history.map((h) => h.status)).toEqual(['triggered']);
    expect(await outboxOf(ws)).toHaveLength(4);
    expect((await customersOf(ws)).sort()).toEqual([owner.customerId, ana!.key, (await outboxFor(earlier))!.key].sort());
    const claims = await claimsOf(ws);
    expect(claims).toHaveLength(4);
    expect(claims.every((c) => c.customer_id !== null)).toBe(true);
    expect((await identify.execute({ workspaceId: ws, identifiers: { phone: '+14155550121' } })).customerId).toBe(ana?.key);
  });

  it('parks and skips unknown customers of a batch without claims, triggers the known ones, and releases what the batch made known', async () => {
    const ws = `ws_${randomUUID()}`;
    const waiting = byEmail(ws, 'later@example.com');
    await policy(waiting, 'park');
    await triggerJourney.execute(waiting);
    expect((await eventOf(waiting))?.status).toBe('parked');
    const known = await identify.execute({ workspaceId: ws, identifiers: { email: 'known@example.com' } });

    const parked = byEmail(ws, 'nobody@example.com', { triggerId: waiting.triggerId });
    const skipping = byEmail(ws, 'stranger@example.com');
    await policy(skipping, 'skip');
    const knownOne = byEmail(ws, 'known@example.com', { triggerId: skipping.triggerId });
    // Another trigger (create) makes later@ known: the parked event is released after the batch commits.
    const creator = byEmail(ws, 'later@example.com');

    await Promise.all([parked, skipping, knownOne, creator].map((m) => triggerJourney.execute(m)));

    expect(await eventOf(parked)).toMatchObject({ status: 'parked', reason: expect.stringContaining('UNKNOWN_CUSTOMER') });
    expect(await eventOf(skipping)).toMatchObject({ status: 'skipped', reason: 'UNKNOWN_CUSTOMER' });
    expect(await eventOf(knownOne)).toMatchObject({ status: 'triggered', customer_id: known.customerId });
    const created = await outboxFor(creator);
    expect(await eventOf(waiting)).toMatchObject({ status: 'triggered', customer_id: created?.key });
    expect((await dataSource.query('SELECT event_id, identifier_keys FROM journey.parked WHERE workspace_id = $1', [ws])) as unknown[]).toEqual([
      { event_id: parked.source.eventId, identifier_keys: ['email:nobody@example.com'] },
    ]);
    expect((await claimsOf(ws)).map((c) => c.source_event_id).sort()).toEqual([knownOne, creator, waiting].map((m) => m.source.eventId).sort());
    // One transaction for the batch, then one for the released event.
    expect(await claimTransactions(knownOne, creator)).toBe(1);
    expect(await claimTransactions(knownOne, creator, waiting)).toBe(2);
  });

  it('keeps the creation order of what a batch writes: the oldest identifier of a type, and one customer\'s journeys in the order they were decided', async () => {
    const ws = `ws_${randomUUID()}`;
    // Both events resolve to one customer: the first creates it with z@ and a phone, the second finds it by the phone and links a@.
    const first = byEmail(ws, 'z@example.com', { variableSets: { customer: { phone: '+14155550130' } } });
    const second = mapped({ workspaceId: ws, uniqueId: { type: 'phone', value: '+14155550130' }, variableSets: { customer: { email: 'a@example.com' } } });

    await Promise.all([first, second].map((m) => triggerJourney.execute(m)));

    expect(await claimTransactions(first, second)).toBe(1);
    const customerId = (await outboxFor(first))!.key;
    // The event's own values win in its output...
    expect((await outboxFor(second))?.payload.customer).toEqual({ id: customerId, created: false, identifiers: { email: 'a@example.com', phone: '+14155550130' } });
    // ...and elsewhere the oldest: z@ was linked first, so it stays the customer's email (a@ sorts before it but came later).
    expect((await identify.execute({ workspaceId: ws, identifiers: { phone: '+14155550130' } })).identifiers).toEqual({ email: 'z@example.com', phone: '+14155550130' });
    const order = (await dataSource.query(`SELECT payload->'source'->>'eventId' AS source FROM journey.outbox WHERE key = $1 ORDER BY created_at, id`, [customerId])) as Array<{ source: string }>;
    expect(order.map((r) => r.source)).toEqual([first.source.eventId, second.source.eventId]);
  });

  it('hands a second event with the same claim to the next batch, where it is a duplicate', async () => {
    const ws = `ws_${randomUUID()}`;
    const m = byEmail(ws, 'twice@example.com');
    const copies = [m, redelivery(m), redelivery(m)];

    await Promise.all(copies.map((c) => triggerJourney.execute(c)));

    expect(await outboxOf(ws)).toHaveLength(1);
    expect(await eventOf(m)).toMatchObject({ status: 'triggered' });
    for (const c of copies.slice(1)) expect(await eventOf(c)).toMatchObject({ status: 'duplicate', reason: `already started by event ${m.source.eventId}` });
  });

  it('rolls a batch back when another writer links one of its new identifiers first, and decides each event alone: no customer of ours is left behind', async () => {
    const ws = `ws_${randomUUID()}`;
    const other = new Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      // Another instance links raced@ and has not committed yet: the batch's insert of it waits.
      await other.query('BEGIN');
      await other.query("INSERT INTO journey.customers (id, workspace_id) VALUES ('cus_other', $1)", [ws]);
      await other.query("INSERT INTO journey.identifiers (workspace_id, type, value, customer_id) VALUES ($1, 'email', 'raced@example.com', 'cus_other')", [ws]);
      const raced = byEmail(ws, 'raced@example.com');
      const calm = byEmail(ws, 'calm@example.com');
      const deciding = Promise.all([raced, calm].map((m) => triggerJourney.execute(m)));
      await waitFor(async () => ((await dataSource.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%journey.identifiers%'")) as unknown[]).length > 0 || undefined, 10_000, 'the batch waiting on the other writer');
      await other.query('COMMIT');
      await deciding;

      expect(await eventOf(raced)).toMatchObject({ status: 'triggered', customer_id: 'cus_other' });
      expect((await outboxFor(raced))?.payload.customer).toEqual({ id: 'cus_other', created: false, identifiers: { email: 'raced@example.com' } });
      const calmCustomer = (await outboxFor(calm))?.key;
      expect(await eventOf(calm)).toMatchObject({ status: 'triggered', customer_id: calmCustomer });
      expect((await customersOf(ws)).sort()).toEqual(['cus_other', calmCustomer].sort());
      // The batch rolled back, then each event was decided alone.
      expect(await claimTransactions(raced, calm)).toBe(2);
    } finally {
      await other.end();
    }
  });
});

describe('Replay of recorded events (real Postgres and Kafka)', () => {
  let dataSource: DataSource;
  let producer: EventProducer;
  let outbox: Outbox;
  let triggerJourney: TriggerJourneyUseCase;
  let recordReceived: RecordReceivedUseCase;
  let sut: ReplayEventUseCase;

  const kept = async (eventId: string) => ((await dataSource.query('SELECT 1 FROM journey.replayable WHERE event_id = $1', [eventId])) as unknown[]).length === 1;
  /** The accepted request behind a mapped event, as the gateway published it. */
  const received = (m: TriggerMappedV1, triggerStatus: 'live' | 'paused' | 'listening'): WebhookReceivedV1 => ({
    eventId: m.source.eventId,
    type: 'webhook.received',
    version: 1,
    occurredAt: m.source.receivedAt,
    workspaceId: m.workspaceId,
    triggerId: m.triggerId!,
    flowId: m.flowId,
    triggerStatus,
    receivedAt: m.source.receivedAt,
    method: 'POST',
    contentType: 'application/json',
    body: fixtureBytes('shopify__orders_create.json').toString('utf8'),
    bodyBytes: fixtureBytes('shopify__orders_create.json').length,
    headers: {},
    query: {},
    deliveryId: m.source.deliveryId,
  });
  const triggerStatus = (m: TriggerMappedV1, status: string) =>
    dataSource.query(
      `INSERT INTO journey.triggers (trigger_id, workspace_id, flow_id, status, unknown_customer, updated_at) VALUES ($1, $2, $3, $4, 'create', now())
       ON CONFLICT (trigger_id) DO UPDATE SET status = EXCLUDED.status`,
      [m.triggerId, m.workspaceId, m.flowId, status],
    );

  beforeAll(async () => {
    await provisionTopics(brokers);
    dataSource = journeyDataSource(databaseUrl);
    await migrateJourneySchema(dataSource);
    producer = new EventProducer({ brokers, clientId: `test-journey-${randomUUID()}` });
    outbox = new Outbox(dataSource, producer, CONFIG);
    const events = new EventLogRepository(dataSource);
    triggerJourney = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), events, outbox, CONFIG);
    recordReceived = new RecordReceivedUseCase(events, CONFIG);
    sut = new ReplayEventUseCase(dataSource, new TriggersProjection(dataSource), producer);
  });

  afterAll(async () => {
    await outbox.onApplicationShutdown();
    await producer.close();
    await dataSource.destroy();
  });

  it('keeps a paused event\'s request and re-publishes it with its original id and the trigger\'s current status', async () => {
    const m = mapped({ disposition: 'skip', reason: 'TRIGGER_PAUSED', uniqueId: null });
    await recordReceived.execute(received(m, 'paused'));
    await triggerJourney.execute(m);
    expect(await kept(m.source.eventId)).toBe(true);
    await triggerStatus(m, 'live');
    const reader = await new TopicReader(kafkaBrokers, TOPICS.WEBHOOK_RECEIVED).start();
    try {
      expect(await sut.execute({ workspaceId: m.workspaceId, triggerId: m.triggerId!, eventId: m.source.eventId })).toEqual({ eventId: m.source.eventId });

      const read = await waitFor(() => reader.messages.find((r) => r.headers[HEADERS.EVENT_ID] === m.source.eventId), 20_000, 'the replayed message');
      const value: unknown = JSON.parse(read.value!);
      assertMessage(TOPICS.WEBHOOK_RECEIVED, value);
      expect(read.key).toBe(m.source.eventId);
      expect(value).toMatchObject({ eventId: m.source.eventId, triggerStatus: 'live', replayedAt: expect.any(String), deliveryId: m.source.deliveryId });
      expect(value.body).toContain(ORDER_ID);
    } finally {
      await reader.stop();
    }
    // The replay arriving back is logged in the history, and is not kept a second time.
    await recordReceived.execute({ ...received(m, 'live'), replayedAt: new Date().toISOString() });
    expect(await kept(m.source.eventId)).toBe(true);
  });

  it('forgets the request once the event triggers, and then answers 409; 404 for an unknown event; 409 for a listening trigger', async () => {
    const m = mapped();
    await recordReceived.execute(received(m, 'live'));
    await triggerStatus(m, 'live');
    await triggerJourney.execute(m);

    expect(await kept(m.source.eventId)).toBe(false);
    await expect(sut.execute({ workspaceId: m.workspaceId, triggerId: m.triggerId!, eventId: m.source.eventId })).rejects.toMatchObject({ status: 409 });
    await expect(sut.execute({ workspaceId: m.workspaceId, triggerId: m.triggerId!, eventId: randomUUID() })).rejects.toMatchObject({ status: 404 });
    await expect(sut.execute({ workspaceId: `ws_${randomUUID()}`, triggerId: m.triggerId!, eventId: m.source.eventId })).rejects.toMatchObject({ status: 404 });

    const listening = mapped({ disposition: 'skip', reason: 'TRIGGER_PAUSED', uniqueId: null });
    await recordReceived.execute(received(listening, 'paused'));
    await triggerJourney.execute(listening);
    await triggerStatus(listening, 'listening');
    await expect(sut.execute({ workspaceId: listening.workspaceId, triggerId: listening.triggerId!, eventId: listening.source.eventId })).rejects.toMatchObject({ status: 409 });
  });

  it('does not keep an event whose outcome arrived first, nor one received while listening', async () => {
    const m = mapped();
    await triggerJourney.execute(m);
    await recordReceived.execute(received(m, 'live'));
    const l = mapped();
    await recordReceived.execute(received(l, 'listening'));

    expect(await kept(m.source.eventId)).toBe(false);
    expect(await kept(l.source.eventId)).toBe(false);
  });
});

describe('Outbox relay when the broker is unreachable (real Postgres and Kafka)', () => {
  let dataSource: DataSource;
  let deadProducer: EventProducer;
  let liveProducer: EventProducer;

  beforeAll(async () => {
    dataSource = journeyDataSource(databaseUrl);
    await migrateJourneySchema(dataSource);
    deadProducer = new EventProducer({ brokers: [`127.0.0.1:${await freePort()}`], clientId: `test-journey-${randomUUID()}`, timeoutMs: 1_000, retries: 0 });
    liveProducer = new EventProducer({ brokers, clientId: `test-journey-${randomUUID()}` });
  });

  afterAll(async () => {
    await deadProducer.close().catch(() => undefined);
    await liveProducer.close();
    await dataSource.destroy();
  });

  it('keeps a committed journey start unpublished while the broker is down, and publishes it once a relay can', async () => {
    const down = new Outbox(dataSource, deadProducer, CONFIG);
    const sut = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), new EventLogRepository(dataSource), down, CONFIG);
    const m = mapped();
    const expectedId = outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey);
    const unpublished = async () => ((await dataSource.query('SELECT published_at FROM journey.outbox WHERE id = $1', [expectedId])) as Array<{ published_at: Date | null }>)[0];

    await sut.execute(m);
    await down.onApplicationShutdown(); // waits for the relay's failed attempt

    expect(await unpublished()).toEqual({ published_at: null });
    const reader = await new TopicReader(kafkaBrokers, TOPICS.JOURNEY_TRIGGERED).start();
    const up = new Outbox(dataSource, liveProducer, CONFIG);
    try {
      up.onApplicationBootstrap();
      await waitFor(() => reader.messages.some((r) => r.headers[HEADERS.EVENT_ID] === expectedId), 20_000, 'the relayed message');
      await waitFor(async () => (await unpublished()).published_at !== null, 20_000, 'the row to be marked published');
    } finally {
      await up.onApplicationShutdown();
      await reader.stop();
    }
  });
});

describe('Outcomes counted and traces kept (real Postgres and Kafka)', () => {
  const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  let dataSource: DataSource;
  let producer: EventProducer;
  let metrics: ServiceMetrics;
  let events: EventLogRepository;
  let outbox: Outbox;
  let sut: TriggerJourneyUseCase;
  const counted = async (outcome: string) => Number(new RegExp(`^hookline_events_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(await metrics.render())?.[1]);
  const record = (status: 'triggered' | 'parked' | 'failed' | 'accepted') => ({ eventId: randomUUID(), workspaceId: `ws_${randomUUID()}`, triggerId: 'trg_counted', status, receivedAt: new Date().toISOString() });

  beforeAll(async () => {
    dataSource = await journeyDataSource(databaseUrl).initialize();
    producer = new EventProducer({ brokers, clientId: `test-journey-outcomes-${randomUUID()}` });
    metrics = new ServiceMetrics();
    events = new EventLogRepository(dataSource, metrics);
    outbox = new Outbox(dataSource, producer, CONFIG);
    sut = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), events, outbox, CONFIG);
  });

  afterAll(async () => {
    await outbox.onApplicationShutdown();
    await producer.close();
    await dataSource.destroy();
  });

  it('counts an outcome when the transaction that recorded it commits, and never one that rolled back', async () => {
    expect(await counted('triggered')).toBe(0);
    await expect(
      dataSource.transaction(async (tx) => {
        await events.record(record('triggered'), tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await counted('triggered')).toBe(0);
    await dataSource.transaction(async (tx) => {
      await events.record(record('parked'), tx);
      // Not yet: the transaction is still open.
      expect(await counted('parked')).toBe(0);
    });
    expect(await counted('parked')).toBe(1);
    await events.record(record('failed'));
    await events.record(record('accepted'));
    expect(await counted('failed')).toBe(1);
    expect(await metrics.render()).not.toContain('outcome="accepted"');
    await sut.execute(mapped());
    expect(await counted('triggered')).toBe(1);
  });

  it('publishes a journey start with the traceparent of the work that decided it, kept with its outbox row', async () => {
    const reader = await new TopicReader(kafkaBrokers, TOPICS.JOURNEY_TRIGGERED).start();
    try {
      const m = mapped();
      const expectedId = outputEventId(m.workspaceId, m.triggerId!, m.dedupeKey);
      await runInContext({ traceparent: TRACEPARENT }, () => sut.execute(m));
      const [row] = (await dataSource.query('SELECT traceparent FROM journey.outbox WHERE id = $1', [expectedId])) as Array<{ traceparent: string }>;
      expect(row).toEqual({ traceparent: TRACEPARENT });
      const published = await waitFor(() => reader.messages.find((r) => r.headers[HEADERS.EVENT_ID] === expectedId), 20_000, 'the journey start');
      expect(published.headers['traceparent']).toBe(TRACEPARENT);
    } finally {
      await reader.stop();
    }
  });
});
