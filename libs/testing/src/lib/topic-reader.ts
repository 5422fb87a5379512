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
 */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer;

  constructor(
    private readonly brokers: string,
    private readonly topic: string,
  ) {
    const kafka = new Kafka({ clientId: `test-reader-${randomUUID()}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, sessionTimeout: 10_000 });
  }

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
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
