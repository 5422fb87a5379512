import type { Topic } from '@hookline/contracts';
import { type EventProducer, type OutgoingMessage, ProduceFailedError, type ProducerRecord } from './producer';

/**
 * Coalesces concurrent callers' writes into shared produce calls. One message per `send`
 * with many callers stops near 5,000 messages/s on a local broker; one `send` per
 * event-loop turn, at most 4 in flight, passed 50,000 (KAFKA-LOCAL.md, design notes).
 *
 * Each caller still learns the fate of its own message: its promise resolves only when the
 * produce call that carried it was acknowledged (acks = all), and rejects with
 * ProduceFailedError when that call failed — for every message of that call, since the
 * client reports a failed batch, not single messages. Some of them may still have been
 * written; their callers retry, and duplicates are removed downstream.
 */
export interface BatchingProducerOptions {
  /** Produce calls in flight at once. */
  maxInFlight?: number;
  /** Messages waiting for a free produce call; beyond it a caller is refused at once. */
  maxQueuedMessages?: number;
  /** Messages in one produce call. */
  maxBatchMessages?: number;
  /**
   * Bytes (keys + values) in one produce call. The broker refuses a record batch over its
   * message.max.bytes (1 MiB by default) for a partition; staying under it in total keeps
   * every partition's share under it too. A single larger message goes alone.
   */
  maxBatchBytes?: number;
  /** Called once per produce call when it settles (metrics). */
  onBatch?: (batch: BatchOutcome) => void;
}

export interface BatchOutcome {
  messages: number;
  bytes: number;
  durationSeconds: number;
  ok: boolean;
}

interface Pending {
  topic: Topic;
  record: ProducerRecord;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const DEFAULTS = {
  maxInFlight: 4,
  maxQueuedMessages: 10_000,
  maxBatchMessages: 2_000,
  maxBatchBytes: 900 * 1024,
};

export class BatchingProducer {
  private readonly options: Required<Omit<BatchingProducerOptions, 'onBatch'>>;
  private readonly onBatch?: (batch: BatchOutcome) => void;
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly producer: EventProducer,
    options: BatchingProducerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...stripUndefined(options) };
    this.onBatch = options.onBatch;
  }

  /** Messages waiting for a produce call (not yet in flight). */
  get queued(): number {
    return this.queue.length;
  }

  /** Produce calls in flight. */
  get sending(): number {
    return this.inFlight;
  }

  /**
   * Writes one message together with whatever else is sent in this event-loop turn.
   * Rejects with ContractViolationError (or a missing-key Error) before anything is queued,
   * and with ProduceFailedError when the broker did not acknowledge it, the backlog is
   * full, or the producer is closing.
   */
  send<T extends Topic>(topic: T, message: OutgoingMessage<T>): Promise<void> {
    if (this.closed) return Promise.reject(new ProduceFailedError(topic, new Error('the producer is shutting down')));
    if (this.queue.length >= this.options.maxQueuedMessages) {
      return Promise.reject(new ProduceFailedError(topic, new Error(`backlog of ${this.queue.length} messages waiting for the broker`)));
    }
    let record: ProducerRecord;
    try {
      record = this.producer.toRecord(topic, message);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, record, bytes: Buffer.byteLength(record.key) + (record.value === null ? 0 : record.value.length), resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every message queued so far has been acknowledged or refused. */
  flush(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new messages, then waits for those already queued or in flight. Does not close the EventProducer. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      this.dispatch(this.takeBatch());
    }
    if (this.queue.length === 0 && this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private takeBatch(): Pending[] {
    const { maxBatchMessages, maxBatchBytes } = this.options;
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < maxBatchMessages) {
      const next = this.queue[count]!.bytes;
      if (count > 0 && bytes + next > maxBatchBytes) break;
      bytes += next;
      count++;
    }
    if (count === this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }
    return this.queue.splice(0, count);
  }

  private dispatch(batch: Pending[]): void {
    this.inFlight++;
    const started = process.hrtime.bigint();
    const settle = (error: unknown) => {
      this.inFlight--;
      this.onBatch?.({
        messages: batch.length,
        bytes: batch.reduce((sum, p) => sum + p.bytes, 0),
        durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        ok: error === undefined,
      });
      for (const p of batch) {
        if (error === undefined) p.resolve();
        else p.reject(new ProduceFailedError(p.topic, error));
      }
      // What queued up meanwhile goes out now, in as few calls as the free slots allow.
      this.drain();
    };
    this.producer.sendRecords(batch.map((p) => p.record)).then(
      () => settle(undefined),
      (error: unknown) => settle(error ?? new Error('produce failed')),
    );
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
