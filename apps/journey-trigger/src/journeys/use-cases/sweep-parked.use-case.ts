import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TriggerMappedV1 } from '@hookline/contracts';
import { JOURNEY_CONFIG, type JourneyConfig } from '../../config/journey.config';
import { PeriodicTask } from '../../common/periodic-task';
import { EventLogRepository } from '../../events/event-log.repository';
import { TriggerJourneyUseCase } from './trigger-journey.use-case';

/**
 * The periodic sweep of parked events: releases those whose customer became known without a
 * release reaching them (a crash after an identify, or a race with parking), and expires
 * those parked longer than PARK_TTL_SECONDS, recording them as skipped with PARK_EXPIRED;
 * and forgets requests kept for replay past REPLAY_RETENTION_SECONDS.
 */
@Injectable()
export class SweepParkedUseCase implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly triggerJourney: TriggerJourneyUseCase,
    private readonly events: EventLogRepository,
    @Inject(JOURNEY_CONFIG) config: Pick<JourneyConfig, 'PARK_SWEEP_MS'>,
  ) {
    this.periodic = new PeriodicTask('parked sweep', config.PARK_SWEEP_MS, () => this.execute(), new Logger('parked'));
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  /** One sweep, optionally of one workspace only; returns what it did. */
  async execute(workspaceId?: string): Promise<{ released: number; expired: number }> {
    const known = (await this.dataSource.query(
      `SELECT p.message FROM journey.parked p
       WHERE ($1::text IS NULL OR p.workspace_id = $1) AND p.expires_at > now()
         AND EXISTS (SELECT 1 FROM journey.identifiers i WHERE i.workspace_id = p.workspace_id AND (i.type || ':' || i.value) = ANY(p.identifier_keys))
       ORDER BY p.parked_at LIMIT 500`,
      [workspaceId ?? null],
    )) as Array<{ message: TriggerMappedV1 }>;
    for (const r of known) await this.triggerJourney.execute(r.message, { releasing: true });
    const expired = await this.dataSource.transaction(async (tx) => {
      const rows = (await tx.query(
        // Through a CTE so the driver hands back the rows (a bare DELETE ... RETURNING comes back as [rows, count]).
        `WITH gone AS (DELETE FROM journey.parked WHERE event_id IN (
           SELECT event_id FROM journey.parked WHERE ($1::text IS NULL OR workspace_id = $1) AND expires_at <= now() ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)
         RETURNING message) SELECT message FROM gone`,
        [workspaceId ?? null],
      )) as Array<{ message: TriggerMappedV1 }>;
      for (const { message: m } of rows) {
        await this.events.record(
          {
            eventId: m.source.eventId,
            workspaceId: m.workspaceId,
            triggerId: m.triggerId,
            status: 'skipped',
            reason: 'PARK_EXPIRED: the customer did not become known in time',
            receivedAt: m.source.receivedAt,
            deliveryId: m.source.deliveryId,
            mappingVersion: m.mappingVersion,
          },
          tx,
        );
      }
      return rows.length;
    });
    // Kept requests past their retention are forgotten (bodies hold personal data).
    await this.dataSource.query('DELETE FROM journey.replayable WHERE kept_until <= now() AND ($1::text IS NULL OR workspace_id = $1)', [workspaceId ?? null]);
    return { released: known.length, expired };
  }
}
