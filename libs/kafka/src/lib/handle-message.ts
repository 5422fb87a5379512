import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
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
  /** Attempts before a failing message is dead-lettered. Infrastructure errors do not count: they are waited out. */
  attempts: number;
  baseDelayMs: number;
  /** The longest wait between two tries while a dependency is down. */
  maxOutageDelayMs?: number;
}

export interface HandlerOptions {
  /**
   * Fault injection for the fault suite only (HOOKLINE_FAULT_KILL_AFTER_EFFECTS): the process
   * kills itself with SIGKILL right after its n-th effect on `topic`, before that record's
   * offset can be committed.
   */
  killAfterEffects?: { topic: string; count: number } | null;
  /** Metrics, trace and log context around each record (libs/observability's ServiceMetrics.messageObserver()). */
  observer?: MessageObserver;
}

/** Sees every record a consumer handles: optional, so this library needs no observability code of its own. */
export interface MessageObserver {
  /** Runs the handling of one record (its decoding, handler, retries and dead letter); rejects as `run` does. */
  handle(topic: string, raw: RawKafkaMessage, run: () => Promise<void>): Promise<void>;
  /** The record decoded: what names its event. */
  decoded?(message: unknown): void;
  /** The record was written to the dead-letter topic with this code. */
  deadLettered?(topic: string, code: string): void;
}

const INFRASTRUCTURE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004', '53300']);

/** Errors that mean "a dependency is down", not "this message is bad": never dead-letter for those. */
export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof ProduceFailedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && INFRASTRUCTURE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error/i.test(message);
}

/** Thrown out of a handler that was waiting out an outage when the service began to stop: the offset stays uncommitted. */
export class HandlerStoppedError extends Error {
  constructor(cause: unknown) {
    super(`stopped while waiting for a dependency: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HandlerStoppedError';
  }
}

interface Outage {
  tries: number;
  loggedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OUTAGE_LOG_EVERY_MS = 30_000;

/**
 * Runs a consumer's handler for one record so that a message is never lost and never
 * blocks its partition for long: a bad message (invalid contract, permanent error, or
 * failing after bounded retries with backoff) is written to hookline.trigger.failed.v1 with
 * its reason and then acknowledged. A dependency outage (Postgres or the broker down) is not
 * the message's fault: the handler waits it out in place, retrying with a backoff that grows
 * to `maxOutageDelayMs`, so the partition resumes where it stopped once the dependency is
 * back, without a consumer restart or a rebalance. On shutdown a waiting handler gives up
 * (HandlerStoppedError) and its offset stays uncommitted.
 */
export class MessageHandler {
  private readonly logger = new Logger('messages');
  private stopped = false;
  private readonly stopWaiters = new Set<() => void>();
  private effects = 0;

  constructor(
    private readonly producer: EventProducer,
    private readonly service: string,
    private readonly policy: HandlePolicy = { attempts: 3, baseDelayMs: 200 },
    private readonly options: HandlerOptions = {},
  ) {}

  /** Ends every wait for a dependency (their records stay uncommitted) and refuses to wait from now on. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.stopWaiters) wake();
    this.stopWaiters.clear();
  }

  /** Nest calls this before it closes the consumers, which wait for the handlers in flight. */
  beforeApplicationShutdown(): void {
    this.stop();
  }

  handle<T extends Topic>(topic: T, raw: RawKafkaMessage, fn: (message: TopicMessages[T] | null) => Promise<void>): Promise<void> {
    const observer = this.options.observer;
    return observer ? observer.handle(topic, raw, () => this.handleRecord(topic, raw, fn)) : this.handleRecord(topic, raw, fn);
  }

  private async handleRecord<T extends Topic>(topic: T, raw: RawKafkaMessage, fn: (message: TopicMessages[T] | null) => Promise<void>): Promise<void> {
    let message: TopicMessages[T] | null;
    try {
      message = decodeMessage(topic, raw);
      if (message !== null) this.options.observer?.decoded?.(message);
    } catch (error) {
      const code = error instanceof ContractViolationError ? 'CONTRACT_VIOLATION' : 'UNDECODABLE_MESSAGE';
      await this.waitingOutOutages(raw, () => this.deadLetter(raw, null, code, error));
      return;
    }
    let attempt = 1;
    const outage: Outage = { tries: 0, loggedAt: 0 };
    for (;;) {
      try {
        await fn(message);
        this.afterEffect(topic);
        this.logger.debug(`${this.service}: ${raw.topic}[${raw.partition}]@${raw.offset} handled`);
        return;
      } catch (error) {
        if (error instanceof PermanentMessageError) {
          await this.waitingOutOutages(raw, () => this.deadLetter(raw, message, error.code, error, error.details));
          return;
        }
        if (isInfrastructureError(error)) {
          await this.pauseForOutage(raw, error, outage);
          continue;
        }
        if (attempt >= this.policy.attempts) {
          await this.waitingOutOutages(raw, () => this.deadLetter(raw, message, 'PROCESSING_FAILED', error));
          return;
        }
        await sleep(this.policy.baseDelayMs * 2 ** (attempt - 1));
        attempt++;
      }
    }
  }

  /** Runs `fn` until it gets past any outage (a dead letter needs the broker). */
  private async waitingOutOutages(raw: RawKafkaMessage, fn: () => Promise<void>): Promise<void> {
    const outage: Outage = { tries: 0, loggedAt: 0 };
    for (;;) {
      try {
        await fn();
        return;
      } catch (error) {
        if (!isInfrastructureError(error)) throw error;
        await this.pauseForOutage(raw, error, outage);
      }
    }
  }

  private async pauseForOutage(raw: RawKafkaMessage, error: unknown, outage: Outage): Promise<void> {
    if (this.stopped) throw new HandlerStoppedError(error);
    const now = Date.now();
    if (now - outage.loggedAt >= OUTAGE_LOG_EVERY_MS) {
      outage.loggedAt = now;
      this.logger.warn(`${this.service}: ${raw.topic}[${raw.partition}]@${raw.offset} waits for a dependency: ${error instanceof Error ? error.message : String(error)}`);
    }
    const delay = Math.min(this.policy.baseDelayMs * 2 ** Math.min(outage.tries++, 20), this.policy.maxOutageDelayMs ?? 5_000);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.stopWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.stopWaiters.add(wake);
    });
    if (this.stopped) throw new HandlerStoppedError(error);
  }

  private afterEffect(topic: string): void {
    const fault = this.options.killAfterEffects;
    if (!fault || fault.topic !== topic || ++this.effects < fault.count) return;
    this.logger.warn(`fault injection: killing ${this.service} after effect ${this.effects} on ${topic}, before its offset is committed`);
    process.kill(process.pid, 'SIGKILL');
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
    this.logger.warn({ msg: `${this.service}: ${raw.topic}[${raw.partition}]@${raw.offset} dead-lettered: ${code}`, code });
    this.options.observer?.deadLettered?.(raw.topic, code);
  }
}
