import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@hookline/http';
import { newSecret, sha256 } from '../../auth/secrets';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { nextUpdatedAt } from '../trigger.entity';
import { TriggerCache } from '../trigger-cache';
import { TriggerConfigPublisher } from '../trigger-config.publisher';
import { TriggersRepository } from '../triggers.repository';
import { triggerView, type TriggerView } from '../trigger.view';

export interface RotateTokenCommand {
  workspaceId: string;
  id: string;
  /** How long the URL being replaced keeps working; TOKEN_ROTATION_GRACE_SECONDS when absent. 0 ends it at once. */
  graceSeconds?: number;
}

/**
 * Issues a new URL for a trigger. The current token becomes the previous one, accepted
 * until the grace ends, so the third party can be switched over without losing a request.
 * A token replaced earlier stops working at once: only the last two are ever valid.
 */
@Injectable()
export class RotateTokenUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triggers: TriggersRepository,
    private readonly publisher: TriggerConfigPublisher,
    private readonly cache: TriggerCache,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(command: RotateTokenCommand): Promise<TriggerView> {
    const token = newSecret();
    const graceSeconds = command.graceSeconds ?? this.config.TOKEN_ROTATION_GRACE_SECONDS;
    const { trigger, published } = await this.dataSource.transaction(async (tx) => {
      const trigger = await this.triggers.lockInWorkspace(command.workspaceId, command.id, tx);
      if (!trigger) throw notFound('trigger');
      const now = new Date();
      trigger.previousTokenHash = graceSeconds > 0 ? trigger.tokenHash : null;
      trigger.previousTokenValidUntil = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1_000) : null;
      trigger.tokenHash = sha256(token);
      trigger.updatedAt = nextUpdatedAt(trigger.updatedAt, now);
      await this.triggers.save(trigger, tx);
      return { trigger, published: await this.publisher.publish(trigger) };
    });
    this.cache.apply(trigger.id, published);
    return triggerView(trigger, this.config.publicBaseUrl, token);
  }
}
