// EventProducer and provisionTopics against the real broker: what reaches a topic, what is
// refused before it leaves, and what a caller sees when no broker answers.
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { ContractViolationError, HEADERS, TOPIC_SPECS, TOPICS, type Topic, type TopicSpec, type TriggerConfigV1, type TriggerFailedV1 } from '@hookline/contracts';
import { aFailedRecord, freePort, testEnvironment, TopicReader, waitFor, type ReadMessage } from '@hookline/testing';
import { EventProducer, ProduceFailedError } from './producer';
import { provisionTopics } from './provision';

const { kafkaBrokers } = testEnvironment();
const brokers = kafkaBrokers.split(',');

async function cleanupPolicies(admin: Admin, topics: string[]): Promise<Record<string, string | undefined>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
  });
  return Object.fromEntries(described.resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue]));
}

/** Waits until a message with `key` carrying `eventId` arrives, then returns every message of that key read so far. */
async function messagesOfKeyUpTo(reader: TopicReader, key: string, eventId: string): Promise<ReadMessage[]> {
  await waitFor(() => reader.messages.some((m) => m.key === key && m.headers[HEADERS.EVENT_ID] === eventId), 20_000, `message ${eventId}`);
  return reader.messages.filter((m) => m.key === key);
}

describe('provisionTopics (real broker)', () => {
  let admin: Admin;
  const scratchTopics: string[] = [];

  beforeAll(async () => {
    admin = new Kafka({ clientId: `test-admin-${randomUUID()}`, brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    if (scratchTopics.length > 0) await admin.deleteTopics({ topics: scratchTopics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('leaves every Hookline topic in place with its partitions and cleanup policy, and a second run creates nothing', async () => {
    await provisionTopics(brokers);
    const second = await provisionTopics(brokers);

    expect(second).toEqual([]);
    const metadata = await admin.fetchTopicMetadata({ topics: TOPIC_SPECS.map((s) => s.topic) });
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual(Object.fromEntries(TOPIC_SPECS.map((s) => [s.topic, s.partitions])));
    const policies = await cleanupPolicies(admin, TOPIC_SPECS.map((s) => s.topic));
    expect(policies).toEqual(Object.fromEntries(TOPIC_SPECS.map((s) => [s.topic, s.compacted ? 'compact' : 'delete'])));
    expect(policies[TOPICS.TRIGGER_CONFIG]).toBe('compact');
    expect(policies[TOPICS.TRIGGER_SCHEMA]).toBe('compact');
  });

  it('creates exactly the missing topics, reports them, and reports none on the second run', async () => {
    const run = randomUUID().slice(0, 8);
    const specs = [
      { topic: `test.provision.${run}.events` as Topic, partitions: 2, compacted: false },
      { topic: `test.provision.${run}.state` as Topic, partitions: 1, compacted: true },
    ] satisfies TopicSpec[];
    scratchTopics.push(...specs.map((s) => s.topic));

    const sut = () => provisionTopics(brokers, '', specs);

    expect((await sut()).sort()).toEqual(specs.map((s) => s.topic).sort());
    expect(await sut()).toEqual([]);
    expect(await cleanupPolicies(admin, specs.map((s) => s.topic))).toEqual({ [specs[0].topic]: 'delete', [specs[1].topic]: 'compact' });
    const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    expect(Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]))).toEqual({ [specs[0].topic]: 2, [specs[1].topic]: 1 });
  });

  it('lets several services provision the same missing topics at the same moment, each returning only once they are usable', async () => {
    const run = randomUUID().slice(0, 8);
    const specs = [6, 3, 1].map((partitions, i) => ({ topic: `test.provision.${run}.race${i}` as Topic, partitions, compacted: i === 1 })) satisfies TopicSpec[];
    scratchTopics.push(...specs.map((s) => s.topic));

    // Each service reads the end offsets (a request only a partition's leader answers) as soon as its own call returns.
    // allSettled: every call has finished before the topics are deleted, even when one fails.
    const services = await Promise.allSettled(
      [1, 2, 3, 4].map(async () => {
        await provisionTopics(brokers, '', specs);
        return Promise.all(specs.map(async (s) => (await admin.fetchTopicOffsets(s.topic)).length));
      }),
    );

    expect(services).toEqual(Array.from({ length: 4 }, () => ({ status: 'fulfilled', value: [6, 3, 1] })));
  });
});

describe('EventProducer (real broker)', () => {
  let sut: EventProducer;

  beforeAll(async () => {
    await provisionTopics(brokers);
    sut = new EventProducer({ brokers, clientId: `test-producer-${randomUUID()}` });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('writes a valid message that reads back with its key, exact JSON value and hookline-* headers', async () => {
    const reader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_FAILED).start();
    try {
      const record = aFailedRecord();
      const key = record.triggerId!;

      await sut.send(TOPICS.TRIGGER_FAILED, [{ key, value: record, headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }]);

      const [read] = await messagesOfKeyUpTo(reader, key, record.eventId);
      expect(read.key).toBe(key);
      expect(JSON.parse(read.value!)).toEqual(record);
      expect(read.headers).toEqual({
        [HEADERS.TYPE]: 'trigger.failed',
        [HEADERS.VERSION]: '1',
        [HEADERS.EVENT_ID]: record.eventId,
        [HEADERS.TRACEPARENT]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
    } finally {
      await reader.stop();
    }
  });

  it('writes a tombstone (null value) to a compacted topic', async () => {
    const reader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_CONFIG).start();
    try {
      const key = `trg_${randomUUID()}`;
      const config: TriggerConfigV1 = {
        eventId: randomUUID(),
        type: 'trigger.config',
        version: 1,
        occurredAt: new Date().toISOString(),
        workspaceId: `ws_${randomUUID()}`,
        triggerId: key,
        flowId: 'flow_1',
        name: 'Order created',
        status: 'live',
        unknownCustomer: 'create',
        updatedAt: new Date().toISOString(),
        tokens: { hash: '0'.repeat(64), previousHash: null, previousValidUntil: null },
        verification: { scheme: 'none', toleranceSeconds: 300, hmac: null, secrets: [] },
        limits: { maxBodyBytes: 1_048_576, ratePerSecond: null, burst: null },
      };

      await sut.send(TOPICS.TRIGGER_CONFIG, [{ key, value: config }]);
      await sut.send(TOPICS.TRIGGER_CONFIG, [{ key, value: null }]);

      const read = await waitFor(() => {
        const mine = reader.messages.filter((m) => m.key === key);
        return mine.length >= 2 && mine;
      });
      expect(read.map((m) => m.value === null)).toEqual([false, true]);
    } finally {
      await reader.stop();
    }
  });

  it('refuses a batch holding an invalid message before anything is sent, naming the problem', async () => {
    const reader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_FAILED).start();
    try {
      const valid = aFailedRecord();
      const key = valid.triggerId!;
      const invalid = { ...aFailedRecord({ triggerId: key }), stage: 'somewhere' } as unknown as TriggerFailedV1;

      const sending = sut.send(TOPICS.TRIGGER_FAILED, [
        { key, value: valid },
        { key, value: invalid },
      ]);

      await expect(sending).rejects.toBeInstanceOf(ContractViolationError);
      await expect(sending).rejects.toThrow(/\/stage/);
      // A marker with the same key lands on the same partition after anything sent before it.
      const marker = aFailedRecord({ triggerId: key });
      await sut.send(TOPICS.TRIGGER_FAILED, [{ key, value: marker }]);
      const mine = await messagesOfKeyUpTo(reader, key, marker.eventId);
      expect(mine.map((m) => m.headers[HEADERS.EVENT_ID])).toEqual([marker.eventId]);
    } finally {
      await reader.stop();
    }
  });

  it('refuses a message without a key', async () => {
    await expect(sut.send(TOPICS.TRIGGER_FAILED, [{ key: '', value: aFailedRecord() }])).rejects.toThrow(/has no key/);
  });

  it('answers ping for the real cluster', async () => {
    expect(await sut.ping([TOPICS.TRIGGER_FAILED])).toBe(true);
  });
});

describe('a topic prefix (KAFKA_TOPIC_PREFIX) on a shared cluster', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}.`;
  const prefixed = TOPIC_SPECS.map((s) => `${prefix}${s.topic}`);
  let admin: Admin;
  let sut: EventProducer;

  beforeAll(async () => {
    admin = new Kafka({ clientId: `test-admin-${randomUUID()}`, brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    sut = new EventProducer({ brokers, clientId: `test-producer-${randomUUID()}`, topicPrefix: prefix });
  });

  afterAll(async () => {
    await sut.close();
    await admin.deleteTopics({ topics: prefixed }).catch(() => undefined);
    await admin.disconnect();
  });

  it('provisions every topic under the prefix, and the producer writes there, not to the canonical topic', async () => {
    expect((await provisionTopics(brokers, prefix)).sort()).toEqual([...prefixed].sort());
    const prefixedReader = await new TopicReader(kafkaBrokers, `${prefix}${TOPICS.TRIGGER_FAILED}`).start();
    const canonicalReader = await new TopicReader(kafkaBrokers, TOPICS.TRIGGER_FAILED).start();
    try {
      const record = aFailedRecord();

      await sut.send(TOPICS.TRIGGER_FAILED, [{ key: record.triggerId!, value: record }]);

      await messagesOfKeyUpTo(prefixedReader, record.triggerId!, record.eventId);
      // Anything the producer wrote to the canonical topic under that key would come before this marker.
      const marker = aFailedRecord({ triggerId: record.triggerId });
      const canonical = new EventProducer({ brokers, clientId: `test-producer-${randomUUID()}` });
      await canonical.send(TOPICS.TRIGGER_FAILED, [{ key: record.triggerId!, value: marker }]).finally(() => canonical.close());
      const onCanonical = await messagesOfKeyUpTo(canonicalReader, record.triggerId!, marker.eventId);
      expect(onCanonical.map((m) => m.headers[HEADERS.EVENT_ID])).toEqual([marker.eventId]);
    } finally {
      await Promise.all([prefixedReader.stop(), canonicalReader.stop()]);
    }
  });
});

describe('EventProducer without a broker', () => {
  let sut: EventProducer;

  beforeAll(async () => {
    sut = new EventProducer({ brokers: [`127.0.0.1:${await freePort()}`], clientId: `test-producer-${randomUUID()}`, timeoutMs: 2_000, retries: 1, retryDelayMs: 100 });
  });

  afterAll(async () => {
    await sut.close().catch(() => undefined);
  });

  it('rejects with ProduceFailedError, in bounded time, instead of resolving', async () => {
    const started = Date.now();

    const sending = sut.send(TOPICS.TRIGGER_FAILED, [{ key: 'k', value: aFailedRecord() }]);

    await expect(sending).rejects.toBeInstanceOf(ProduceFailedError);
    await expect(sending).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE', message: expect.stringContaining(TOPICS.TRIGGER_FAILED) });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('answers ping with false', async () => {
    expect(await sut.ping([TOPICS.TRIGGER_FAILED])).toBe(false);
  });
});
