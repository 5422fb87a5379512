// HooklineKafkaServer on the real broker. In broadcast mode each process reads every
// partition of a compacted topic from its beginning, and says when it has caught up with
// what the topic held at start (the gateway's trigger cache is ready then, not before). In a
// group, a partition's records are handled in key order: one key's in offset order, several
// keys at once.
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS, type TriggerConfigV1, type WebhookRejectedV1 } from '@hookline/contracts';
import { testEnvironment, waitFor } from '@hookline/testing';
import type { RawKafkaMessage } from './consumed-message';
import { HooklineKafkaServer } from './kafka-server';
import { EventProducer } from './producer';
import { provisionTopics } from './provision';

const { kafkaBrokers } = testEnvironment();
const brokers = kafkaBrokers.split(',');

function config(triggerId: string, workspaceId: string): TriggerConfigV1 {
  return {
    eventId: randomUUID(),
    type: 'trigger.config',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId,
    triggerId,
    flowId: 'flow_1',
    name: 'Orders',
    status: 'live',
    unknownCustomer: 'create',
    updatedAt: new Date().toISOString(),
    tokens: { hash: 'a'.repeat(64), previousHash: null, previousValidUntil: null },
    verification: { scheme: 'none', toleranceSeconds: 300, hmac: null, secrets: [] },
    limits: { maxBodyBytes: 1_048_576, ratePerSecond: null, burst: null },
  };
}

describe('HooklineKafkaServer, broadcast (real broker)', () => {
  // A prefix of this file's own: a fresh, empty set of topics.
  const topicPrefix = `t${randomBytes(5).toString('hex')}.`;
  let producer: EventProducer;
  const servers: HooklineKafkaServer[] = [];

  beforeAll(() => {
    producer = new EventProducer({ brokers, clientId: 'kafka-server-int-spec', topicPrefix });
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    await producer.close();
    const admin = new Kafka({ clientId: 'kafka-server-int-spec-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  async function start(seen: string[]): Promise<HooklineKafkaServer> {
    const server = new HooklineKafkaServer({ brokers, clientId: 'kafka-server-int-spec', service: 'int-spec', topicPrefix, broadcast: true });
    server.addHandler(
      TOPICS.TRIGGER_CONFIG,
      async (raw: RawKafkaMessage) => {
        // Slow enough that "caught up" cannot be claimed before the handlers ran.
        await new Promise((r) => setTimeout(r, 5));
        seen.push(raw.key ?? '');
      },
      true,
    );
    servers.push(server);
    await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error as Error) : resolve())));
    return server;
  }

  it('is caught up at once on an empty topic, then hands over what arrives', async () => {
    const seen: string[] = [];
    const sut = await start(seen);
    expect(sut.isCaughtUp()).toBe(true);
    await producer.send(TOPICS.TRIGGER_CONFIG, [{ key: 'trg_first', value: config('trg_first', 'ws_1') }]);
    await waitFor(() => seen.includes('trg_first'), 20_000, 'the new record');
  });

  it('gives every replica every partition, and is caught up only once all of it was handled', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `trg_${i}_${randomBytes(3).toString('hex')}`);
    await producer.send(TOPICS.TRIGGER_CONFIG, keys.map((key) => ({ key, value: config(key, 'ws_1') })));
    await producer.send(TOPICS.TRIGGER_CONFIG, [{ key: keys[0], value: null }]);

    const [a, b]: string[][] = [[], []];
    const [sutA, sutB] = await Promise.all([start(a), start(b)]);
    for (const [sut, seen] of [
      [sutA, a],
      [sutB, b],
    ] as const) {
      await waitFor(() => sut.isCaughtUp(), 30_000, 'catching up');
      // Every record the topic held at start was handled by then, on each replica.
      expect(new Set(seen)).toEqual(new Set(['trg_first', ...keys]));
      expect(seen.filter((k) => k === keys[0])).toHaveLength(2);
    }
  });
});

function rejected(triggerId: string, n: number): WebhookRejectedV1 {
  const at = new Date().toISOString();
  return { eventId: randomUUID(), type: 'webhook.rejected', version: 1, occurredAt: at, workspaceId: 'ws_1', triggerId, flowId: 'flow_1', receivedAt: at, httpStatus: 401, code: 'SIGNATURE_INVALID', reason: String(n), contentType: null, bodyBytes: 0, bodyPreview: null, deliveryId: null };
}

describe('HooklineKafkaServer, in a consumer group (real broker)', () => {
  const topicPrefix = `t${randomBytes(5).toString('hex')}.`;
  let producer: EventProducer;
  let server: HooklineKafkaServer;

  afterAll(async () => {
    await server?.close();
    await producer?.close();
    const admin = new Kafka({ clientId: 'kafka-server-int-spec-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it("handles one key's records in offset order and different keys' records at the same time", async () => {
    producer = new EventProducer({ brokers, clientId: 'kafka-server-int-spec', topicPrefix });
    await provisionTopics(brokers, topicPrefix);
    const keys = Array.from({ length: 8 }, (_, i) => `trg_${i}`);
    // Written before the consumer starts, so its first fetches return full batches.
    for (let n = 0; n < 10; n++) await producer.send(TOPICS.WEBHOOK_REJECTED, keys.map((key) => ({ key, value: rejected(key, n) })));
    const order = new Map<string, number[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    server = new HooklineKafkaServer({ brokers, clientId: 'kafka-server-int-spec', service: 'int-spec-group', topicPrefix, concurrency: 3 });
    server.addHandler(
      TOPICS.WEBHOOK_REJECTED,
      async (raw: RawKafkaMessage) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        const value = JSON.parse(raw.value!.toString('utf8')) as WebhookRejectedV1;
        order.set(raw.key!, [...(order.get(raw.key!) ?? []), Number(value.reason)]);
        inFlight--;
      },
      true,
    );
    await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error as Error) : resolve())));

    await waitFor(() => keys.every((k) => order.get(k)?.length === 10), 30_000, 'every record handled');
    for (const key of keys) expect(order.get(key)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // More records at once than partitions: keys of one partition overlap.
    expect(maxInFlight).toBeGreaterThan(3);
  });
});
