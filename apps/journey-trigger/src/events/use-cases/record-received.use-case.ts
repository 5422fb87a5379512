import { Inject, Injectable } from '@nestjs/common';
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
    private readonly events: EventLogRepository,
    @Inject(JOURNEY_CONFIG) private readonly config: Pick<JourneyConfig, 'REPLAY_RETENTION_SECONDS'>,
  ) {}

  async execute(e: WebhookReceivedV1): Promise<void> {
    const reason = e.replayedAt ? `replayed at ${e.replayedAt} with the trigger ${e.triggerStatus}` : e.triggerStatus === 'listening' ? 'trigger is listening: kept as a sample, no journey started' : null;
    const keep = e.triggerStatus === 'listening' || e.replayedAt ? null : { message: withoutReplayMark(e), retentionSeconds: this.config.REPLAY_RETENTION_SECONDS };
    await this.events.recordAccepted({ eventId: e.eventId, workspaceId: e.workspaceId, triggerId: e.triggerId, status: 'accepted', reason, receivedAt: e.receivedAt, deliveryId: e.deliveryId }, keep);
  }
}

function withoutReplayMark(e: WebhookReceivedV1): Omit<WebhookReceivedV1, 'replayedAt'> {
  const { replayedAt: _ignored, ...original } = e;
  return original;
}
