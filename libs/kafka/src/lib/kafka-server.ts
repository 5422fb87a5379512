import { ServerKafka, type KafkaOptions } from '@nestjs/microservices';
import { type Consumer, type EachMessagePayload, logLevel, Partitioners } from 'kafkajs';
import { provisionTopics } from './provision';
import { canonicalTopic, consumerGroup, physicalTopic } from './topic-names';
import { RawMessageDeserializer } from './consumed-message';

export interface ConsumerServerOptions {
  brokers: string[];
  clientId: string;
  /** The service's name: its consumer group is `<prefix>hookline.<service>`. */
  service: string;
  topicPrefix?: string;
}

/**
 * Nest's kafkajs transport, with what Hookline needs around it: topics provisioned before
 * subscribing, raw records handed to handlers, offsets committed only after a handler
 * resolves, and a readiness flag that turns true when the consumer has joined its group.
 */
export class HooklineKafkaServer extends ServerKafka {
  private joined = false;

  constructor(private readonly hooklineOptions: ConsumerServerOptions) {
    super({
      client: {
        clientId: hooklineOptions.clientId,
        brokers: hooklineOptions.brokers,
        logLevel: logLevel.WARN,
        retry: { initialRetryTime: 300, retries: 8 },
      },
      consumer: {
        groupId: consumerGroup(hooklineOptions.topicPrefix ?? '', hooklineOptions.service),
        sessionTimeout: 15_000,
        heartbeatInterval: 1_500,
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
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      partitionsConsumedConcurrently: 3,
      eachMessage: (payload: EachMessagePayload) => this.handleMessage({ ...payload, topic: canonicalTopic(prefix, payload.topic) }),
    });
  }

  override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.joined = true));
    consumer.on(consumer.events.REBALANCING, () => (this.joined = false));
    consumer.on(consumer.events.CRASH, () => (this.joined = false));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
  }

  /** True once the consumer has joined its group and not crashed since. */
  isReady(): boolean {
    return this.joined;
  }
}
