// TriggerJourneyUseCase with its real collaborators on the real Postgres and Kafka: ledger,
// identity graph, outbox and event log in one transaction, and the relay that publishes.
// Every journey-schema test lives in this file, so the schema is migrated by one file only.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { deterministicEventId, assertMessage, HEADERS, TOPICS, type JourneyTriggeredV1, type TriggerMappedV1 } from '@hookline/contracts';
import { EventProducer, PermanentMessageError, provisionTopics } from '@hookline/kafka';
import { parseBody } from '@hookline/payload';
import { migrate } from '@hookline/persistence';
import { fixtureBytes, freePort, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import type { JourneyConfig } from '../../config/journey.config';
import { journeyDataSource, JOURNEY_SCHEMA } from '../../database/data-source';
import { EventLogRepository } from '../../events/event-log.repository';
import { Outbox } from '../../outbox/outbox';
import { IdentityRepository } from '../identity.repository';
import { TriggerJourneyUseCase } from './trigger-journey.use-case';

/** The output event id the use-case must derive: stable for (workspace, scope, dedupe key). */
const outputEventId = (workspaceId: string, scope: string, dedupeKey: string) => deterministicEventId('journey', workspaceId, scope, dedupeKey);

const { kafkaBrokers, databaseUrl } = testEnvironment();
const brokers = kafkaBrokers.split(',');
const CONFIG = { OUTBOX_POLL_MS: 100 } as JourneyConfig;

// The real Shopify orders/create body, read losslessly: its order id does not fit a double.
const order = parseBody(fixtureBytes('shopify__orders_create.json'), 'application/json') as { id: bigint; email: string };
const ORDER_ID = String(order.id);

/** A mapped event of a fresh workspace and trigger, as mapping would publish it for the fixture order. */
function mapped(overrides: Partial<TriggerMappedV1> = {}): TriggerMappedV1 {
  const sourceEventId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'trigger.mapped',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId: `ws_${randomUUID()}`,
    triggerId: `trg_${randomUUID()}`,
    flowId: 'flow_order_created',
    source: { kind: 'webhook', eventId: sourceEventId, receivedAt: new Date().toISOString(), deliveryId: randomUUID() },
    disposition: 'trigger',
    reason: null,
    mappingVersion: 1,
    uniqueId: { type: 'email', value: order.email },
    variables: { orderId: ORDER_ID, email: order.email },
    variableSets: {},
    dedupeKey: sourceEventId,
    ...overrides,
  };
}

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
    sut = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), events, outbox);
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
    const sut = new TriggerJourneyUseCase(dataSource, new IdentityRepository(), new EventLogRepository(dataSource), down);
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
