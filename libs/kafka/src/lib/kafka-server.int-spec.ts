// HooklineKafkaServer in broadcast mode on the real broker: each process reads every
// partition of a compacted topic from its beginning, and says when it has caught up with
// what the topic held at start (the gateway's trigger cache is ready then, not before).
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS, type TriggerConfigV1 } from '@hookline/contracts';
import { testEnvironment, waitFor } from '@hookline/testing';
import type { RawKafkaMessage } from './consumed-message';
import { HooklineKafkaServer } from './kafka-server';
import { EventProducer } from './producer';

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
