// MessageHandler with a real producer: what is dead-lettered to hookline.trigger.failed.v1
// (and then acknowledged), what is retried, and what is waited out so the offset stays put.
import { randomUUID } from 'node:crypto';
import { assertMessage, HEADERS, TOPICS, type TriggerFailedV1, type TriggerMappedV1 } from '@hookline/contracts';
import { aMappedMessage, freePort, testEnvironment, TopicReader, waitFor } from '@hookline/testing';
import type { RawKafkaMessage } from './consumed-message';
import { HandlerStoppedError, MessageHandler, PermanentMessageError } from './handle-message';
import { EventProducer } from './producer';
import { provisionTopics } from './provision';

const { kafkaBrokers } = testEnvironment();
const brokers = kafkaBrokers.split(',');
const SERVICE = 'handle-message-int-spec';

function rawRecord(value: Buffer | null, key: string, headers: Record<string, string> = {}): RawKafkaMessage {
  return { topic: TOPICS.TRIGGER_MAPPED, partition: 0, offset: '17', key, value, headers };
}

const rawOf = (message: TriggerMappedV1) =>
  rawRecord(Buffer.from(JSON.stringify(message)), message.triggerId!, { [HEADERS.EVENT_ID]: message.eventId, [HEADERS.TYPE]: message.type });

/** A failing handler that counts its calls. */
function failing(times: number, error: () => unknown) {
  const calls = { count: 0 };
  const fn = async () => {
    calls.count += 1;
    if (calls.count <= times) throw error();
  };
  return { calls, fn };
}

function infrastructureError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('MessageHandler (real broker)', () => {
  let producer: EventProducer;
  let reader: TopicReader;
  let sut: MessageHandler;

  beforeAll(async () => {
    await provisionTopics(brokers);
    producer = new EventProducer({ brokers, clientId: `test-handler-${randomUUID()}` });
    reader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_FAILED).start();
    sut = new MessageHandler(producer, SERVICE, { attempts: 3, baseDelayMs: 20 });
  });

  afterAll(async () => {
    await reader.stop();
    await producer.close();
  });

  const deadLettersOf = (key: string) =>
    reader.messages.filter((m) => m.key === key).map((m) => {
      const value: unknown = JSON.parse(m.value!);
      assertMessage(TOPICS.TRIGGER_FAILED, value);
      return { value, headers: m.headers };
    });

  /**
   * Proves that nothing was dead-lettered under `key` so far: a marker record with the same
   * key lands on the same partition after anything sent before it, so once the marker is
   * read, whatever else the key produced has been read too.
   */
  async function deadLettersBeforeMarker(key: string): Promise<TriggerFailedV1[]> {
    const markerEventId = randomUUID();
    await sut.handle(TOPICS.TRIGGER_MAPPED, rawRecord(Buffer.from('{"marker":true}'), key, { [HEADERS.EVENT_ID]: markerEventId }), async () => undefined);
    await waitFor(() => deadLettersOf(key).some((d) => d.value.sourceEventId === markerEventId), 20_000, 'the marker dead letter');
    return deadLettersOf(key)
      .map((d) => d.value)
      .filter((v) => v.sourceEventId !== markerEventId);
  }

  it('dead-letters a record that violates the contract, with the problem, and resolves so the offset is committed', async () => {
    const message = { ...aMappedMessage({ mappingVersion: 2 }), disposition: 'maybe' };
    const raw = rawRecord(Buffer.from(JSON.stringify(message)), `key-${randomUUID()}`, { [HEADERS.EVENT_ID]: message.eventId });
    const handler = failing(0, () => undefined);

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, raw, handler.fn)).resolves.toBeUndefined();

    expect(handler.calls.count).toBe(0);
    const [dead] = await waitFor(() => deadLettersOf(raw.key!).length > 0 && deadLettersOf(raw.key!));
    expect(dead.headers[HEADERS.TYPE]).toBe('trigger.failed');
    expect(dead.value).toMatchObject({
      code: 'CONTRACT_VIOLATION',
      stage: 'trigger',
      sourceTopic: TOPICS.TRIGGER_MAPPED,
      sourceEventId: message.eventId,
      // The record's fields are not trusted once it failed its contract.
      workspaceId: 'unknown',
      triggerId: null,
    });
    expect(dead.value.reason).toContain(SERVICE);
    expect(dead.value.reason).toContain('/disposition');
  });

  it('dead-letters bytes that are not JSON as UNDECODABLE_MESSAGE', async () => {
    const raw = rawRecord(Buffer.from('{"id": 820982911946154508,'), `key-${randomUUID()}`, { [HEADERS.EVENT_ID]: randomUUID() });

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, raw, async () => undefined)).resolves.toBeUndefined();

    const [dead] = await waitFor(() => deadLettersOf(raw.key!).length > 0 && deadLettersOf(raw.key!));
    expect(dead.value).toMatchObject({ code: 'UNDECODABLE_MESSAGE', sourceEventId: raw.headers[HEADERS.EVENT_ID] });
  });

  it('dead-letters a PermanentMessageError at once, with its code, details and the message identity', async () => {
    const message = aMappedMessage({ mappingVersion: 2 });
    const details = [{ code: 'PATH_MISSING', message: 'body.email is missing', path: 'body.email' }];
    const handler = failing(Infinity, () => new PermanentMessageError('UNIQUE_ID_MISSING', 'a mapped event to trigger has no unique id', details));

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, rawOf(message), handler.fn)).resolves.toBeUndefined();

    expect(handler.calls.count).toBe(1);
    const dead = await deadLettersBeforeMarker(message.triggerId!);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      code: 'UNIQUE_ID_MISSING',
      errors: details,
      workspaceId: message.workspaceId,
      triggerId: message.triggerId,
      flowId: message.flowId,
      // A mapped event fails on behalf of the webhook it came from.
      sourceEventId: message.source.eventId,
      mappingVersion: message.mappingVersion,
      stage: 'trigger',
    });
  });

  it('retries a handler that fails twice, and does not dead-letter it once it succeeds', async () => {
    const message = aMappedMessage({ mappingVersion: 2 });
    const handler = failing(2, () => new Error('deadlock detected'));

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, rawOf(message), handler.fn)).resolves.toBeUndefined();

    expect(handler.calls.count).toBe(3);
    expect(await deadLettersBeforeMarker(message.triggerId!)).toEqual([]);
  });

  it('dead-letters a handler that keeps failing as PROCESSING_FAILED after the bounded attempts', async () => {
    const message = aMappedMessage({ mappingVersion: 2 });
    const handler = failing(Infinity, () => new Error('cannot read properties of undefined'));

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, rawOf(message), handler.fn)).resolves.toBeUndefined();

    expect(handler.calls.count).toBe(3);
    const dead = await deadLettersBeforeMarker(message.triggerId!);
    expect(dead.map((d) => d.code)).toEqual(['PROCESSING_FAILED']);
    expect(dead[0].reason).toContain('cannot read properties of undefined');
  });

  it('waits out an infrastructure error in place, however long, and resolves without a dead letter once the dependency is back', async () => {
    const message = aMappedMessage({ mappingVersion: 2 });
    // More failures than the bounded attempts: an outage is not the message's fault.
    const handler = failing(6, infrastructureError);

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, rawOf(message), handler.fn)).resolves.toBeUndefined();

    expect(handler.calls.count).toBe(7);
    expect(await deadLettersBeforeMarker(message.triggerId!)).toEqual([]);
  });

  it('stops waiting for a dependency when the service stops, rejecting so the offset is not committed', async () => {
    const stopping = new MessageHandler(producer, SERVICE, { attempts: 3, baseDelayMs: 20 });
    const message = aMappedMessage({ mappingVersion: 2 });
    const handler = failing(Infinity, infrastructureError);

    const handled = stopping.handle(TOPICS.TRIGGER_MAPPED, rawOf(message), handler.fn);
    await waitFor(() => handler.calls.count >= 3, 5_000, 'a few tries');
    stopping.stop();

    await expect(handled).rejects.toBeInstanceOf(HandlerStoppedError);
    expect(await deadLettersBeforeMarker(message.triggerId!)).toEqual([]);
  });

  it('dead-letters a contract violation even when its headers carry an oversized event id', async () => {
    // Anything may arrive on a topic: a header that breaks the dead-letter contract must not block the partition.
    const raw = rawRecord(Buffer.from('{"type":"trigger.mapped"}'), `key-${randomUUID()}`, { [HEADERS.EVENT_ID]: 'x'.repeat(300) });

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, raw, async () => undefined)).resolves.toBeUndefined();

    const [dead] = await waitFor(() => deadLettersOf(raw.key!).length > 0 && deadLettersOf(raw.key!));
    expect(dead.value).toMatchObject({ code: 'CONTRACT_VIOLATION', sourceEventId: null });
  });

  it('dead-letters a record with an empty key under a non-empty key', async () => {
    const message = { ...aMappedMessage({ mappingVersion: 2 }), triggerId: null, flowId: 'flow_1', uniqueId: null };
    const raw = rawRecord(Buffer.from(JSON.stringify({ ...message, disposition: 'maybe' })), '', { [HEADERS.EVENT_ID]: message.eventId });

    await expect(sut.handle(TOPICS.TRIGGER_MAPPED, raw, async () => undefined)).resolves.toBeUndefined();

    const dead = await waitFor(() => reader.messages.find((m) => m.value?.includes(message.eventId)));
    expect(dead.key).toBeTruthy();
  });
});

describe('MessageHandler when the dead-letter topic cannot be written', () => {
  let producer: EventProducer;

  beforeAll(async () => {
    producer = new EventProducer({ brokers: [`127.0.0.1:${await freePort()}`], clientId: `test-handler-${randomUUID()}`, timeoutMs: 1_000, retries: 0 });
  });

  afterAll(async () => {
    await producer.close().catch(() => undefined);
  });

  it('does not acknowledge a message it could not record: it waits for the broker, and rejects when stopped', async () => {
    const sut = new MessageHandler(producer, SERVICE, { attempts: 3, baseDelayMs: 10, maxOutageDelayMs: 50 });
    const raw = rawRecord(Buffer.from('not json'), `key-${randomUUID()}`);
    let settled = false;

    const handled = sut.handle(TOPICS.TRIGGER_MAPPED, raw, async () => undefined).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(settled).toBe(false);
    sut.stop();

    await expect(handled).rejects.toBeInstanceOf(HandlerStoppedError);
  });
});
