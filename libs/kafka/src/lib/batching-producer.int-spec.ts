// BatchingProducer against the real broker: concurrent callers share produce calls, every
// message lands exactly once, each caller learns its own outcome, and nothing is reported
// as written when no broker answers.
import { randomUUID } from 'node:crypto';
import { ContractViolationError, HEADERS, TOPICS, type TriggerFailedV1 } from '@hookline/contracts';
import { aFailedRecord, freePort, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import { type BatchOutcome, BatchingProducer } from './batching-producer';
import { EventProducer, ProduceFailedError } from './producer';
import { provisionTopics } from './provision';

const { kafkaBrokers } = testEnvironment();
const brokers = kafkaBrokers.split(',');

/** About 1 KB a message, like a webhook. */
const failedRecord = () => aFailedRecord({ workspaceId: 'ws_batching', reason: 'x'.repeat(900), errors: [], mappingVersion: 1 });

describe('BatchingProducer (real broker)', () => {
  let producer: EventProducer;
  let reader: TopicReader;

  beforeAll(async () => {
    await provisionTopics(brokers);
    producer = new EventProducer({ brokers, clientId: `test-batching-${randomUUID()}` });
    reader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_FAILED).start();
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.close();
  });

  it('carries 500 concurrent sends in far fewer produce calls, and every message lands exactly once', async () => {
    const batches: BatchOutcome[] = [];
    const sut = new BatchingProducer(producer, { onBatch: (b) => batches.push(b) });
    const records = Array.from({ length: 500 }, () => failedRecord());
    const ids = new Set(records.map((r) => r.eventId));

    const results = await Promise.allSettled(records.map((r) => sut.send(TOPICS.TRIGGER_FAILED, { key: r.triggerId!, value: r })));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(batches.reduce((n, b) => n + b.messages, 0)).toBe(500);
    expect(batches.every((b) => b.ok)).toBe(true);
    // One call per event-loop turn while 4 are in flight: a handful, not 500.
    expect(batches.length).toBeLessThanOrEqual(25);
    await waitFor(() => new Set(reader.messages.map((m) => m.headers[HEADERS.EVENT_ID]).filter((id) => ids.has(id!))).size === 500, 30_000, 'all 500 messages on the topic');
    // A marker sent after them: once it is read, anything written twice would have been read too.
    const marker = failedRecord();
    await sut.send(TOPICS.TRIGGER_FAILED, { key: records[0]!.triggerId!, value: marker });
    await waitFor(() => reader.messages.some((m) => m.headers[HEADERS.EVENT_ID] === marker.eventId), 20_000, 'the marker');
    const mine = reader.messages.filter((m) => ids.has(m.headers[HEADERS.EVENT_ID]!));
    expect(mine).toHaveLength(500);
    for (const m of mine.slice(0, 20)) {
      const sent = records.find((r) => r.eventId === m.headers[HEADERS.EVENT_ID])!;
      expect(m.key).toBe(sent.triggerId);
      expect(JSON.parse(m.value!)).toEqual(sent);
    }
    await sut.close();
  });

  it('refuses only the caller whose message breaks its contract; the others of the same turn are written', async () => {
    const sut = new BatchingProducer(producer);
    const good = [failedRecord(), failedRecord()];
    const bad = { ...failedRecord(), stage: 'elsewhere' } as unknown as TriggerFailedV1;

    const [first, broken, second] = await Promise.allSettled([
      sut.send(TOPICS.TRIGGER_FAILED, { key: good[0]!.triggerId!, value: good[0]! }),
      sut.send(TOPICS.TRIGGER_FAILED, { key: bad.triggerId!, value: bad }),
      sut.send(TOPICS.TRIGGER_FAILED, { key: good[1]!.triggerId!, value: good[1]! }),
    ]);

    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(broken).toMatchObject({ status: 'rejected', reason: expect.any(ContractViolationError) });
    await expect(sut.send(TOPICS.TRIGGER_FAILED, { key: '', value: failedRecord() })).rejects.toThrow(/has no key/);
    await waitFor(() => good.every((g) => reader.messages.some((m) => m.headers[HEADERS.EVENT_ID] === g.eventId)), 20_000, 'the valid messages');
    expect(reader.messages.some((m) => m.headers[HEADERS.EVENT_ID] === bad.eventId)).toBe(false);
    await sut.close();
  });

  it('close() waits for the messages in flight, then refuses new ones', async () => {
    const sut = new BatchingProducer(producer);
    const records = Array.from({ length: 50 }, () => failedRecord());
    let acknowledged = 0;
    const sends = records.map((r) => sut.send(TOPICS.TRIGGER_FAILED, { key: r.triggerId!, value: r }).then(() => acknowledged++));

    await sut.close();

    expect(acknowledged).toBe(50);
    await Promise.all(sends);
    await expect(sut.send(TOPICS.TRIGGER_FAILED, { key: 'k', value: failedRecord() })).rejects.toBeInstanceOf(ProduceFailedError);
  });
});

describe('BatchingProducer without a broker', () => {
  let producer: EventProducer;

  beforeAll(async () => {
    producer = new EventProducer({ brokers: [`127.0.0.1:${await freePort()}`], clientId: `test-batching-${randomUUID()}`, timeoutMs: 1_500, retries: 1, retryDelayMs: 100 });
  });

  afterAll(async () => {
    await producer.close().catch(() => undefined);
  });

  it('rejects every caller with ProduceFailedError, in bounded time', async () => {
    const batches: BatchOutcome[] = [];
    const sut = new BatchingProducer(producer, { onBatch: (b) => batches.push(b) });
    const started = Date.now();

    const results = await Promise.allSettled(Array.from({ length: 200 }, () => failedRecord()).map((r) => sut.send(TOPICS.TRIGGER_FAILED, { key: r.triggerId!, value: r })));

    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ProduceFailedError)).toBe(true);
    expect(results[0]).toMatchObject({ reason: { code: 'BROKER_UNAVAILABLE', message: expect.stringContaining(TOPICS.TRIGGER_FAILED) } });
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => !b.ok)).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
    await sut.close();
  });

  it('refuses at once, with ProduceFailedError, what exceeds the backlog', async () => {
    const sut = new BatchingProducer(producer, { maxInFlight: 1, maxQueuedMessages: 10, maxBatchMessages: 5 });
    const sends = Array.from({ length: 30 }, () => failedRecord()).map((r) => sut.send(TOPICS.TRIGGER_FAILED, { key: r.triggerId!, value: r }));
    const refusedAtOnce = await Promise.race([Promise.allSettled(sends.slice(10)), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 500))]);

    expect(refusedAtOnce).toEqual(Array.from({ length: 20 }, () => ({ status: 'rejected', reason: expect.any(ProduceFailedError) })));
    expect((refusedAtOnce as PromiseRejectedResult[])[0]!.reason.message).toMatch(/backlog/);
    const rest = await Promise.allSettled(sends.slice(0, 10));
    expect(rest.every((r) => r.status === 'rejected')).toBe(true);
    await sut.close();
  });
});
