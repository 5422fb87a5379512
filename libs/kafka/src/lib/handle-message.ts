import { randomUUID } from 'node:crypto';
import { ContractViolationError, HEADERS, TOPICS, type Topic, type TopicMessages, type TriggerFailedV1 } from '@hookline/contracts';
import { decodeMessage, type RawKafkaMessage } from './consumed-message';
import { ProduceFailedError, type EventProducer } from './producer';

/** An error that retrying cannot fix: the message goes to the dead-letter topic at once. */
export class PermanentMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Array<{ code: string; message: string; path?: string }> = [],
  ) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}

export interface HandlePolicy {
  /** Attempts before a failing message is dead-lettered (infrastructure errors are rethrown instead). */
  attempts: number;
  baseDelayMs: number;
}

const INFRASTRUCTURE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

/** Errors that mean "a dependency is down", not "this message is bad": never dead-letter for those. */
export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof ProduceFailedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && INFRASTRUCTURE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a consumer's handler for one record so that a message is never lost and never
 * blocks its partition: a bad message (invalid contract, permanent error, or failing after
 * bounded retries) is written to hookline.trigger.failed.v1 with its reason and then
 * acknowledged; a dependency outage is rethrown so the offset is not committed and the
 * record is consumed again once the dependency is back.
 */
export class MessageHandler {
  constructor(
    private readonly producer: EventProducer,
    private readonly service: string,
    private readonly policy: HandlePolicy = { attempts: 3, baseDelayMs: 200 },
  ) {}

  async handle<T extends Topic>(topic: T, raw: RawKafkaMessage, fn: (message: TopicMessages[T] | null) => Promise<void>): Promise<void> {
    let message: TopicMessages[T] | null;
    try {
      message = decodeMessage(topic, raw);
    } catch (error) {
      const code = error instanceof ContractViolationError ? 'CONTRACT_VIOLATION' : 'UNDECODABLE_MESSAGE';
      await this.deadLetter(raw, null, code, error);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await fn(message);
        return;
      } catch (error) {
        if (error instanceof PermanentMessageError) {
          await this.deadLetter(raw, message, error.code, error, error.details);
          return;
        }
        if (attempt >= this.policy.attempts) {
          if (isInfrastructureError(error)) throw error;
          await this.deadLetter(raw, message, 'PROCESSING_FAILED', error);
          return;
        }
        await sleep(this.policy.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async deadLetter(
    raw: RawKafkaMessage,
    message: { eventId?: string; workspaceId?: string; triggerId?: string | null; flowId?: string | null; source?: { eventId: string }; mappingVersion?: number | null } | null,
    code: string,
    error: unknown,
    details: TriggerFailedV1['errors'] = [],
  ): Promise<void> {
    // The record may be anything: take from its headers and key only what the dead-letter
    // contract accepts, or the dead letter itself is refused and the partition blocks.
    const headerEventId = raw.headers[HEADERS.EVENT_ID];
    const record: TriggerFailedV1 = {
      eventId: randomUUID(),
      type: 'trigger.failed',
      version: 1,
      occurredAt: new Date().toISOString(),
      workspaceId: message?.workspaceId ?? 'unknown',
      triggerId: message?.triggerId ?? null,
      flowId: message?.flowId ?? null,
      // Only mapping maps received webhooks; another consumer of that topic failed at consuming.
      stage: raw.topic === TOPICS.TRIGGER_MAPPED ? 'trigger' : raw.topic === TOPICS.WEBHOOK_RECEIVED && this.service === 'mapping' ? 'mapping' : 'consume',
      // A mapped event fails on behalf of the webhook (or API call) it came from: name that one.
      sourceEventId: message?.source?.eventId ?? message?.eventId ?? (headerEventId && headerEventId.length <= 200 ? headerEventId : null),
      sourceTopic: raw.topic,
      code,
      reason: `${this.service}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 4000),
      errors: details,
      mappingVersion: message?.mappingVersion ?? null,
    };
    await this.producer.send(TOPICS.TRIGGER_FAILED, [{ key: record.triggerId || raw.key || 'unknown', value: record }]);
  }
}
