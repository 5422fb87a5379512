import { randomBytes } from 'node:crypto';
import { ServerKafka, type KafkaOptions } from '@nestjs/microservices';
import { type Consumer, type EachBatchPayload, logLevel, Partitioners } from 'kafkajs';
import { provisionTopics } from './provision';
import { canonicalTopic, consumerGroup, physicalTopic } from './topic-names';
import { RawMessageDeserializer } from './consumed-message';

export interface ConsumerServerOptions {
  brokers: string[];
  clientId: string;
  /** The service's name: its consumer group is `<prefix>hookline.<service>`. */
  service: string;
  topicPrefix?: string;
  /**
   * Every process reads every partition, from the beginning, and commits nothing: for an
   * in-memory view of a compacted topic that each replica must hold whole (the gateway's
   * trigger cache). The group is then unique to the process (`<group>.<random>`), and
   * `isCaughtUp()` tells when everything the topics held at start has been handled.
   */
  broadcast?: boolean;
  /** Partitions handled at once, each in order (default 6). */
  concurrency?: number;
}

/**
 * Nest's kafkajs transport, with what Hookline needs around it: topics provisioned before
 * subscribing, raw records handed to handlers, offsets committed only after a handler
 * resolves, and a readiness flag that turns true when the consumer has joined its group.
 */
const HEARTBEAT_MS = 1_500;
/** Records of one batch handled at once (of different keys). */
const MAX_IN_FLIGHT_PER_BATCH = 32;

/** At most `permits` holders at once; the others wait in order. */
class Semaphore {
  private readonly waiting: Array<() => void> = [];

  constructor(private permits: number) {}

  async acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.permits++;
  }
}

export class HooklineKafkaServer extends ServerKafka {
  private joined = false;
  /** Batches being handled (their heartbeat), with when they started: a long one (a dependency outage waited out) keeps the session alive. */
  private readonly handling = new Map<() => Promise<void>, number>();
  private heartbeats: NodeJS.Timeout | undefined;
  /** Broadcast mode: per `topic:partition`, the offset to reach (the end offset at start, minus one); removed once reached. */
  private readonly catchUp = new Map<string, bigint>();
  private caughtUp = false;
  /** Lag: the partitions this member was given at its last join (physical topic names), and the next offset to handle on each. */
  private assignment: Record<string, number[]> = {};
  private readonly positions = new Map<string, bigint>();
  private lagAdmin: ReturnType<HooklineKafkaServer['connectLagAdmin']> | undefined;

  constructor(private readonly hooklineOptions: ConsumerServerOptions) {
    const group = consumerGroup(hooklineOptions.topicPrefix ?? '', hooklineOptions.service);
    super({
      client: {
        clientId: hooklineOptions.clientId,
        brokers: hooklineOptions.brokers,
        logLevel: logLevel.WARN,
        retry: { initialRetryTime: 300, retries: 8 },
      },
      consumer: {
        groupId: hooklineOptions.broadcast ? `${group}.${randomBytes(6).toString('hex')}` : group,
        sessionTimeout: 15_000,
        heartbeatInterval: HEARTBEAT_MS,
        allowAutoTopicCreation: false,
        retry: { retries: 8 },
      },
      // Nest also opens a kafkajs producer (for replies we never send); it never writes our events.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      parser: { keepBinary: true },
      deserializer: new RawMessageDeserializer(),
      postfixId: '',
      producerOnlyMode: false,
    } satisfies KafkaOptions['options']);
  }

  override async listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): Promise<void> {
    try {
      await provisionTopics(this.hooklineOptions.brokers, this.hooklineOptions.topicPrefix ?? '');
    } catch (error) {
      callback(error);
      return;
    }
    await super.listen(callback);
  }

  /** Subscribes to the physical topics; handlers keep seeing canonical topic names. */
  override async bindEvents(consumer: Consumer): Promise<void> {
    const prefix = this.hooklineOptions.topicPrefix ?? '';
    const topics = [...this.messageHandlers.keys()].map((pattern) => physicalTopic(prefix, pattern));
    if (topics.length > 0) await consumer.subscribe({ topics, fromBeginning: true });
    const broadcast = this.hooklineOptions.broadcast === true;
    if (broadcast) await this.readEndOffsets(topics);
    await consumer.run({
      // A broadcast consumer's group lives as long as its process: nothing to commit.
      autoCommit: !broadcast,
      autoCommitInterval: 1_000,
      partitionsConsumedConcurrently: this.hooklineOptions.concurrency ?? 6,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload, canonicalTopic(prefix, payload.batch.topic), broadcast),
    });
    // kafkajs heartbeats between batches only: a batch whose handler waits out an outage for
    // longer than the session timeout would otherwise lose its partitions to a rebalance.
    this.heartbeats ??= setInterval(() => {
      const now = Date.now();
      for (const [beat, started] of this.handling) if (now - started >= HEARTBEAT_MS) beat().catch(() => undefined);
    }, HEARTBEAT_MS);
    this.heartbeats.unref();
  }

  /**
   * One fetched batch of a partition, in key order rather than in offset order: records with
   * the same key are handled one after another, in offset order, and records of different
   * keys at the same time (up to MAX_IN_FLIGHT_PER_BATCH). Every topic is keyed by what must
   * stay in order (a trigger, a customer, an event), so this keeps every ordering Hookline
   * relies on while a partition no longer waits for each record's writes before the next
   * one's. An offset is resolved (then committed) only once every record up to it is
   * handled: after a crash, what follows the first unfinished record is consumed again, and
   * every handler is idempotent for that.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload, topic: string, broadcast: boolean): Promise<void> {
    const messages = batch.messages;
    const done = new Array<boolean>(messages.length).fill(false);
    let resolved = 0;
    const chains = new Map<string, Promise<void>>();
    const slots = new Semaphore(MAX_IN_FLIGHT_PER_BATCH);
    this.handling.set(heartbeat, Date.now());
    try {
      for (let i = 0; i < messages.length; i++) {
        if (!isRunning() || isStale()) break;
        const message = messages[i]!;
        const key = message.key === null ? '' : message.key.toString('latin1');
        const previous = chains.get(key);
        await slots.acquire();
        const run = async () => {
          try {
            if (previous) await previous;
            await this.handleMessage({ topic, partition: batch.partition, message, heartbeat, pause });
          } finally {
            slots.release();
          }
          done[i] = true;
          while (resolved < messages.length && done[resolved]) {
            const offset = messages[resolved++]!.offset;
            resolveOffset(offset);
            this.positions.set(`${batch.topic}:${batch.partition}`, BigInt(offset) + 1n);
            // Caught up means everything up to here was handled, not merely this record.
            if (broadcast) this.handled(batch.topic, batch.partition, offset);
          }
        };
        // A failed record stops its key's chain (the next of the key awaits it and fails too).
        chains.set(key, run());
      }
      // Every chain ends before the batch does: kafkajs then retries from the first unresolved record.
      const failed = (await Promise.allSettled(chains.values())).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      this.handling.delete(heartbeat);
    }
  }

  /**
   * Nest tries `JSON.parse` on every record's pattern (its topic) and catches the throw: an
   * exception per record, a measurable share of a consumer's CPU under load. Hookline's
   * patterns are topic names, never JSON, so they are taken as they are.
   */
  protected override getRouteFromPattern(pattern: string): string {
    return pattern.startsWith('{') || pattern.startsWith('[') ? super.getRouteFromPattern(pattern) : this.normalizePattern(pattern);
  }

  override async close(): Promise<void> {
    clearInterval(this.heartbeats);
    const admin = this.lagAdmin;
    this.lagAdmin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
    await super.close();
  }

  /**
   * Per partition assigned to this member: records not handled yet (the end offset now minus
   * the next offset to handle; before the first record, the group's committed offset). Asks
   * the broker, so call it at scrape time, not per record. Canonical topic names.
   */
  async lag(): Promise<Array<{ topic: string; partition: number; lag: number }>> {
    if (!this.client || !this.joined) return [];
    const prefix = this.hooklineOptions.topicPrefix ?? '';
    const connecting = (this.lagAdmin ??= this.connectLagAdmin());
    const admin = await connecting.catch((error: unknown) => {
      this.lagAdmin = undefined;
      throw error;
    });
    const samples: Array<{ topic: string; partition: number; lag: number }> = [];
    const groupId = this.groupId;
    for (const [topic, partitions] of Object.entries(this.assignment)) {
      if (partitions.length === 0) continue;
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
      const unknown = partitions.filter((p) => !this.positions.has(`${topic}:${p}`));
      const committed = new Map<number, bigint>();
      if (unknown.length > 0 && !this.hooklineOptions.broadcast) {
        for (const t of await admin.fetchOffsets({ groupId, topics: [topic] })) {
          for (const p of t.partitions) if (BigInt(p.offset) >= 0n) committed.set(p.partition, BigInt(p.offset));
        }
      }
      for (const partition of partitions) {
        const end = ends.get(partition);
        if (!end) continue;
        const next = this.positions.get(`${topic}:${partition}`) ?? committed.get(partition) ?? BigInt(end.low);
        const lag = BigInt(end.high) - next;
        samples.push({ topic: canonicalTopic(prefix, topic), partition, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
    return samples;
  }

  private async connectLagAdmin() {
    if (!this.client) throw new Error('the Kafka client is not created yet');
    const admin = this.client.admin();
    await admin.connect();
    return admin;
  }

  /** The end of each partition now: what a broadcast consumer must have handled before it is caught up. */
  private async readEndOffsets(topics: string[]): Promise<void> {
    if (!this.client) throw new Error('the Kafka client is not created yet');
    const admin = this.client.admin();
    await admin.connect();
    try {
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          // An empty partition (or one whose records all expired) has nothing to wait for. A
          // compacted partition keeps its last record, so its last offset is always delivered.
          if (BigInt(p.high) > BigInt(p.low)) this.catchUp.set(`${topic}:${p.partition}`, BigInt(p.high) - 1n);
        }
      }
    } finally {
      await admin.disconnect();
    }
    this.caughtUp = this.catchUp.size === 0;
  }

  private handled(topic: string, partition: number, offset: string): void {
    if (this.caughtUp) return;
    const key = `${topic}:${partition}`;
    const target = this.catchUp.get(key);
    if (target !== undefined && BigInt(offset) >= target) this.catchUp.delete(key);
    if (this.catchUp.size === 0) this.caughtUp = true;
  }

  override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      this.assignment = event.payload.memberAssignment;
      // Partitions moved to another member: their positions there are not ours to report.
      for (const key of [...this.positions.keys()]) {
        const at = key.lastIndexOf(':');
        if (!this.assignment[key.slice(0, at)]?.includes(Number(key.slice(at + 1)))) this.positions.delete(key);
      }
    });
    consumer.on(consumer.events.REBALANCING, () => (this.joined = false));
    consumer.on(consumer.events.CRASH, () => (this.joined = false));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
  }

  /** True once the consumer has joined its group and not crashed since. */
  isReady(): boolean {
    return this.joined;
  }

  /**
   * Broadcast mode: true once every record the topics held when the consumer started has
   * been handled (then stays true; later records keep arriving as they are written).
   */
  isCaughtUp(): boolean {
    return this.caughtUp;
  }
}

/**
 * A Nest provider that stops consuming as the shutdown begins, before Nest closes the HTTP
 * server: the records in flight finish and their offsets are committed while readiness
 * already answers 503 and the API still answers its requests in flight. Nest's own close of
 * the server later finds it closed.
 */
export function stopConsumingFirst(server: HooklineKafkaServer) {
  return { provide: STOP_CONSUMING_FIRST, useValue: { beforeApplicationShutdown: () => server.close() } };
}
export const STOP_CONSUMING_FIRST = Symbol('STOP_CONSUMING_FIRST');
