import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface ReadMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a real topic from the end as it is now (a fresh group, latest offsets), collecting
 * what arrives, so a test can assert on exactly what a step produced. Resolves start() only
 * after the consumer has joined its group, so nothing produced afterwards is missed.
 *
 * The topic's end offsets are read before start() resolves and the consumer seeks to them:
 * with `fromBeginning: false` alone, kafkajs resolves "latest" only at its first fetch, after
 * GROUP_JOIN, so a message produced right after start() could fall before it and be missed.
 */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private readonly kafka: Kafka;
  private consumer: Consumer;

  constructor(
    private readonly brokers: string,
    private readonly topic: string,
  ) {
    this.kafka = new Kafka({ clientId: `test-reader-${randomUUID()}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    // A short long-poll keeps stop() quick (disconnect waits for the fetch in flight).
    this.consumer = this.kafka.consumer({ groupId: `test-reader-${randomUUID()}`, sessionTimeout: 10_000, maxWaitTimeInMs: 250 });
  }

  async start(): Promise<this> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topic).finally(() => admin.disconnect());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    // GROUP_JOIN is emitted synchronously before the first fetch, which applies pending seeks.
    let seeked = false;
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        if (!seeked) for (const p of ends) this.consumer.seek({ topic: this.topic, partition: p.partition, offset: p.offset });
        seeked = true;
        resolve();
      }),
    );
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        this.messages.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, partition, offset: message.offset });
      },
    });
    await joined;
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
