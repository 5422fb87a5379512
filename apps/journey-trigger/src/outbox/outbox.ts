import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Topic, TopicMessages } from '@hookline/contracts';
import { EventProducer } from '@hookline/kafka';
import type { Statement } from '@hookline/persistence';
import { currentTraceparent, outsideContext } from '@hookline/observability';
import { JOURNEY_CONFIG, type JourneyConfig } from '../config/journey.config';

/**
 * The transactional outbox. A journey start is written to the outbox in the same
 * transaction as its ledger entry; the relay publishes committed rows to Kafka (acks =
 * all) and marks them published. A crash between publish and mark publishes the row
 * again with the same event id: consumers of the output topic dedupe by eventId.
 */
/** Rows published per produce call. */
const BATCH = 200;

@Injectable()
export class Outbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    @Inject(JOURNEY_CONFIG) private readonly config: JourneyConfig,
  ) {}

  /**
   * The outbox row of a message, to run in the transaction that decides it (with the other
   * statements of that decision, in one round trip). The row keeps the trace of the work
   * that wrote it: the published message carries it on.
   */
  statement<T extends Topic>(topic: T, key: string, message: TopicMessages[T] & { eventId: string }): Statement {
    return this.statementMany(topic, [{ key, message, traceparent: currentTraceparent() ?? null }]);
  }

  /**
   * The outbox rows of several messages of one topic, in the order they were decided, as one
   * statement: each row with the trace of the work that decided it, and created a microsecond
   * after the one before (the relay publishes in creation order, so one customer's journeys
   * keep their order on the topic).
   */
  statementMany<T extends Topic>(topic: T, rows: Array<{ key: string; message: TopicMessages[T] & { eventId: string }; traceparent: string | null }>): Statement {
    return {
      sql: `INSERT INTO journey.outbox (id, topic, key, payload, traceparent, created_at)
            SELECT id, $1, key, payload, traceparent, now() + make_interval(secs => ord / 1e6)
            FROM json_to_recordset($2::json) AS t(id text, key text, payload jsonb, traceparent text, ord int)
            ON CONFLICT (id) DO NOTHING`,
      // One JSON document of rows: pg would escape each payload as an array element in JavaScript.
      params: [topic, JSON.stringify(rows.map((r, ord) => ({ id: r.message.eventId, key: r.key, payload: r.message, traceparent: r.traceparent, ord })))],
    };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.flush(), this.config.OUTBOX_POLL_MS);
    this.flush();
  }

  /**
   * After the consumers stopped (their last commits included): publish what is left, then
   * stop. A row that still cannot be published stays for the next start or another replica.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopped = true;
    while (this.running) await this.running;
    await outsideContext(() => this.drain(true)).catch((error: unknown) => this.logger.warn(`outbox relay at shutdown: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Publishes what is committed and unpublished; calls made while a flush runs coalesce into one more. */
  flush(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Outside the unit of work that woke it: each row carries its own trace.
    this.running = outsideContext(() => this.drain())
      .catch((error: unknown) => this.logger.warn(`outbox relay: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.flush();
        }
      });
  }

  /** Publishes batches until none is left, or (unless `toTheEnd`) the relay is stopping. */
  private async drain(toTheEnd = false): Promise<void> {
    for (;;) {
      const published = await this.dataSource.transaction(async (tx) => {
        const rows = (await tx.query(
          `SELECT id, topic, key, payload, traceparent FROM journey.outbox WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH],
        )) as Array<{ id: string; topic: Topic; key: string; payload: TopicMessages[Topic]; traceparent: string | null }>;
        if (rows.length === 0) return 0;
        const byTopic = new Map<Topic, typeof rows>();
        for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
        for (const [topic, batch] of byTopic) await this.producer.send(topic, batch.map((r) => ({ key: r.key, value: r.payload, headers: r.traceparent ? { traceparent: r.traceparent } : undefined })));
        await tx.query('UPDATE journey.outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
        return rows.length;
      });
      // A batch short of the limit was everything committed when it was read: what commits
      // after it calls flush() again (or the poll finds it), so no empty read is spent here.
      if (published < BATCH || (this.stopped && !toTheEnd)) return;
    }
  }
}
