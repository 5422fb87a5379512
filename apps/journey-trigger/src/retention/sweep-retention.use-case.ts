import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { JOURNEY_CONFIG, type JourneyConfig } from '../config/journey.config';

type RetentionConfig = Pick<JourneyConfig, 'EVENT_LOG_RETENTION_SECONDS' | 'LEDGER_RETENTION_SECONDS' | 'OUTBOX_RETENTION_SECONDS' | 'RETENTION_SWEEP_MS'>;

export interface RetentionSweep {
  events: number;
  ledger: number;
  outbox: number;
}

/** Rows deleted per statement: a sweep after a long pause does not hold one huge transaction. */
const BATCH = 5_000;

/**
 * Keeps journey-trigger's growing tables bounded: event-log rows past
 * EVENT_LOG_RETENTION_SECONDS since their last change, ledger entries past
 * LEDGER_RETENTION_SECONDS (the dedupe window: a redelivery of a forgotten key starts a
 * journey again), and published outbox rows past OUTBOX_RETENTION_SECONDS. Unpublished
 * outbox rows are never deleted. Runs every RETENTION_SWEEP_MS, in batches.
 */
@Injectable()
export class SweepRetentionUseCase implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(JOURNEY_CONFIG) private readonly config: RetentionConfig,
  ) {
    const logger = new Logger('retention');
    this.periodic = new PeriodicTask('retention sweep', config.RETENTION_SWEEP_MS, async () => {
      const swept = await this.execute();
      if (swept.events + swept.ledger + swept.outbox > 0) logger.log(`retention: deleted ${swept.events} event-log rows, ${swept.ledger} ledger entries, ${swept.outbox} published outbox rows`);
    }, logger);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  async execute(): Promise<RetentionSweep> {
    return {
      events: await this.deleteAll('events', 'event_id', 'updated_at', this.config.EVENT_LOG_RETENTION_SECONDS),
      ledger: await this.deleteAll('ledger', 'ctid', 'created_at', this.config.LEDGER_RETENTION_SECONDS),
      outbox: await this.deleteAll('outbox', 'id', 'published_at', this.config.OUTBOX_RETENTION_SECONDS),
    };
  }

  /** Deletes, batch by batch, the rows of `table` whose `column` is older than `seconds` (a null column is never old). */
  private async deleteAll(table: 'events' | 'ledger' | 'outbox', key: string, column: string, seconds: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }] = (await this.dataSource.query(
        `WITH gone AS (DELETE FROM journey.${table} WHERE ${key} IN (
           SELECT ${key} FROM journey.${table} WHERE ${column} < now() - make_interval(secs => $1) LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [seconds],
      )) as Array<{ n: number }>;
      total += n;
      if (n < BATCH) return total;
    }
  }
}
