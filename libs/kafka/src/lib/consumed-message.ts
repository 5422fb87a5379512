import type { Deserializer, IncomingEvent } from '@nestjs/microservices';
import { assertMessage, type Topic, type TopicMessages } from '@hookline/contracts';

/** A Kafka record as our handlers see it: bytes still undecoded, so nothing is parsed twice or lossily. */
export interface RawKafkaMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Nest's Kafka transport JSON.parses values by default (which would round big integers and
 * skip validation). We ask it to keep the bytes and hand the handler the raw record.
 */
export class RawMessageDeserializer implements Deserializer<unknown, IncomingEvent> {
  deserialize(value: { topic: string; partition: number; offset: string; key?: unknown; value: unknown; headers?: Record<string, unknown> }, options?: { channel?: string }): IncomingEvent {
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(value.headers ?? {})) {
      if (header !== undefined && header !== null) headers[name] = Buffer.isBuffer(header) ? header.toString('utf8') : String(header);
    }
    const key = value.key === undefined || value.key === null ? null : Buffer.isBuffer(value.key) ? value.key.toString('utf8') : String(value.key);
    const raw: RawKafkaMessage = {
      topic: value.topic ?? options?.channel,
      partition: value.partition,
      offset: String(value.offset),
      key,
      value: value.value === null || value.value === undefined ? null : Buffer.isBuffer(value.value) ? value.value : Buffer.from(String(value.value)),
      headers,
    };
    return { pattern: raw.topic, data: raw };
  }
}

/** Parses and validates a record of `topic`; null for a tombstone. Throws ContractViolationError or SyntaxError. */
export function decodeMessage<T extends Topic>(topic: T, raw: RawKafkaMessage): TopicMessages[T] | null {
  if (raw.value === null) return null;
  const value: unknown = JSON.parse(raw.value.toString('utf8'));
  assertMessage(topic, value);
  return value;
}
