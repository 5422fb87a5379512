import { Producer, ProduceAcks, stringSerializer, type Serializers } from '@platformatic/kafka';
import { assertMessage, HEADERS, type Topic, type TopicMessages } from '@hookline/contracts';
import { canonicalTopic, physicalTopic } from './topic-names';

/**
 * The one way Hookline writes to Kafka. Every durable write goes through
 * @platformatic/kafka with acks = all: on a leader failover it reports the in-flight batch
 * as failed instead of acknowledging writes it lost (kafkajs 2.2.4 does the latter; see
 * docs/architecture.md, "Which client may produce"). Messages are validated against their
 * contract before they leave, and every message has a key.
 */
export interface OutgoingMessage<T extends Topic> {
  key: string;
  /** null writes a tombstone (compacted topics only). */
  value: TopicMessages[T] | null;
  headers?: Record<string, string>;
}

export interface EventProducerOptions {
  brokers: string[];
  clientId: string;
  /** Per-request timeout; a send to an unreachable broker fails within about timeout × (retries + 1). */
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
  /** Put in front of every topic name (KAFKA_TOPIC_PREFIX); empty by default. */
  topicPrefix?: string;
  /** Contextual headers and metrics (libs/observability's ServiceMetrics.producerObserver()). */
  observer?: ProducerObserver;
}

/** Sees every message and produce call: optional, so this library needs no observability code of its own. */
export interface ProducerObserver {
  /** Headers for a message that does not set them itself (the current trace's `traceparent`). */
  headers?(): Record<string, string> | undefined;
  /** One produce call settled; topics are canonical names. */
  produced?(call: { messagesByTopic: Map<string, number>; messages: number; seconds: number; ok: boolean }): void;
}

/** A message checked against its contract, ready for the wire (physical topic name). */
export interface ProducerRecord {
  topic: string;
  key: string;
  /** The message as JSON, encoded once (its length sizes batches); null: a tombstone. */
  value: Buffer | null;
  headers: Record<string, string>;
}

/** A write the broker did not acknowledge: the caller must not report success. */
export class ProduceFailedError extends Error {
  readonly code = 'BROKER_UNAVAILABLE';
  constructor(topic: string, cause: unknown) {
    super(`write to ${topic} was not acknowledged: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProduceFailedError';
  }
}

// Values arrive encoded (toRecord); keys and headers are strings. A null value writes a tombstone.
const SERIALIZERS: Serializers<string, Buffer | null, string, string> = {
  key: stringSerializer,
  value: (value) => value ?? undefined,
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};

export class EventProducer {
  private readonly producer: Producer<string, Buffer | null, string, string>;
  private readonly prefix: string;
  private readonly observer?: ProducerObserver;

  constructor(options: EventProducerOptions) {
    this.prefix = options.topicPrefix ?? '';
    this.observer = options.observer;
    this.producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: options.brokers,
      serializers: SERIALIZERS,
      acks: ProduceAcks.ALL,
      timeout: options.timeoutMs ?? 5_000,
      connectTimeout: options.timeoutMs ?? 5_000,
      retries: options.retries ?? 2,
      retryDelay: options.retryDelayMs ?? 250,
      autocreateTopics: false,
    });
  }

  /** Resolves only when every message is acknowledged by all in-sync replicas. */
  async send<T extends Topic>(topic: T, messages: OutgoingMessage<T>[]): Promise<void> {
    if (messages.length === 0) return;
    const records = messages.map((m) => this.toRecord(topic, m));
    try {
      await this.sendRecords(records);
    } catch (error) {
      throw new ProduceFailedError(topic, error);
    }
  }

  /**
   * Checks one message (a key, its contract) and turns it into the record that goes on the
   * wire. Throws ContractViolationError, or an Error when the key is missing. Used by
   * `send` and by BatchingProducer, which checks each caller's message on its own.
   */
  toRecord<T extends Topic>(topic: T, m: OutgoingMessage<T>): ProducerRecord {
    if (!m.key) throw new Error(`a message to ${topic} has no key`);
    const headers: Record<string, string> = { ...this.observer?.headers?.(), ...m.headers };
    if (m.value !== null) {
      assertMessage(topic, m.value);
      headers[HEADERS.TYPE] = m.value.type;
      headers[HEADERS.VERSION] = String(m.value.version);
      headers[HEADERS.EVENT_ID] = m.value.eventId;
    }
    return { topic: physicalTopic(this.prefix, topic), key: m.key, value: m.value === null ? null : Buffer.from(JSON.stringify(m.value), 'utf8'), headers };
  }

  /** One produce call (acks = all) for records already checked by toRecord; rejects with the client's error. */
  async sendRecords(records: ProducerRecord[]): Promise<void> {
    if (records.length === 0) return;
    const produced = this.observer?.produced;
    if (!produced) {
      await this.producer.send({ messages: records, acks: ProduceAcks.ALL });
      return;
    }
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      await this.producer.send({ messages: records, acks: ProduceAcks.ALL });
      ok = true;
    } finally {
      const messagesByTopic = new Map<string, number>();
      for (const r of records) {
        const topic = canonicalTopic(this.prefix, r.topic);
        messagesByTopic.set(topic, (messagesByTopic.get(topic) ?? 0) + 1);
      }
      produced({ messagesByTopic, messages: records.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, ok });
    }
  }

  /** True when the cluster answers a metadata request for these topics. */
  async ping(topics: string[]): Promise<boolean> {
    try {
      await this.producer.metadata({ topics: topics.map((t) => physicalTopic(this.prefix, t)), forceUpdate: true });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
