import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookReceivedV1 } from '@hookline/contracts';
import { JOURNEY_CONFIG, type JourneyConfig } from '../../config/journey.config';
import { EventLogRepository } from '../event-log.repository';

/**
 * An accepted request enters the event log as "accepted"; unless its trigger only listens,
 * the message is also kept for replay until it triggers (or is a duplicate) or its
 * retention ends. An event whose outcome already arrived is not kept.
 */
@Injectable()
export class RecordReceivedUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventLogRepository,
    @Inject(JOURNEY_CONFIG) private readonly config: Pick<JourneyConfig, 'REPLAY_RETENTION_SECONDS'>,
  ) {}

  async execute(e: WebhookReceivedV1): Promise<void> {
    const reason = e.replayedAt ? `replayed at ${e.replayedAt} with the trigger ${e.triggerStatus}` : e.triggerStatus === 'listening' ? 'trigger is listening: kept as a sample, no journey started' : null;
    await this.dataSource.transaction(async (tx) => {
      await this.events.record({ eventId: e.eventId, workspaceId: e.workspaceId, triggerId: e.triggerId, status: 'accepted', reason, receivedAt: e.receivedAt, deliveryId: e.deliveryId }, tx);
      if (e.triggerStatus === 'listening' || e.replayedAt) return;
      const { replayedAt: _ignored, ...original } = e;
      await tx.query(
        `INSERT INTO journey.replayable (event_id, workspace_id, trigger_id, message, kept_until)
         SELECT $1, $2, $3, $4::jsonb, now() + make_interval(secs => $5)
         WHERE NOT EXISTS (SELECT 1 FROM journey.events WHERE event_id = $1 AND status IN ('triggered', 'duplicate'))
         ON CONFLICT (event_id) DO NOTHING`,
        [e.eventId, e.workspaceId, e.triggerId, JSON.stringify(original), this.config.REPLAY_RETENTION_SECONDS],
      );
    });
  }
}
