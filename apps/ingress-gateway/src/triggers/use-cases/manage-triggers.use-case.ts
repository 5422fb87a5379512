import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TriggerStatus, UnknownCustomerPolicy } from '@hookline/contracts';
import { notFound } from '@hookline/http';
import { newId, newSecret, sha256 } from '../../auth/secrets';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import type { TriggerEntity, TriggerLimits } from '../trigger.entity';
import { TriggerConfigPublisher } from '../trigger-config.publisher';
import { TriggersRepository } from '../triggers.repository';
import { triggerView, type TriggerView } from '../trigger.view';

export interface CreateTriggerCommand {
  workspaceId: string;
  flowId: string;
  name?: string;
  verification?: { scheme: string };
  limits?: Partial<TriggerLimits>;
  unknownCustomer?: UnknownCustomerPolicy;
}

export interface UpdateTriggerCommand {
  workspaceId: string;
  id: string;
  status?: TriggerStatus;
  name?: string;
  limits?: Partial<TriggerLimits>;
  unknownCustomer?: UnknownCustomerPolicy;
}

/**
 * Creates, changes and deletes triggers. Each change is written to Postgres and published
 * on the compacted config topic in one step: the database transaction commits only after
 * the broker acknowledged the config message, so the services downstream never miss a
 * change the API reported as done.
 */
@Injectable()
export class ManageTriggersUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triggers: TriggersRepository,
    private readonly publisher: TriggerConfigPublisher,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async create(command: CreateTriggerCommand): Promise<TriggerView> {
    const token = newSecret();
    const now = new Date();
    const trigger: TriggerEntity = {
      id: newId('trg'),
      workspaceId: command.workspaceId,
      flowId: command.flowId,
      name: command.name ?? `Webhook for ${command.flowId}`,
      status: 'listening',
      tokenHash: sha256(token),
      verificationScheme: command.verification?.scheme ?? 'none',
      unknownCustomer: command.unknownCustomer ?? 'create',
      limits: { maxBodyBytes: this.config.MAX_BODY_BYTES, ratePerSecond: null, burst: null, ...command.limits },
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.dataSource.transaction(async (tx) => {
      await this.triggers.insert(trigger, tx);
      await this.publisher.publish(trigger);
    });
    return triggerView(trigger, this.config.publicBaseUrl, token);
  }

  async get(workspaceId: string, id: string): Promise<TriggerView> {
    const trigger = await this.triggers.findInWorkspace(workspaceId, id);
    if (!trigger) throw notFound('trigger');
    return triggerView(trigger, this.config.publicBaseUrl);
  }

  async update(command: UpdateTriggerCommand): Promise<TriggerView> {
    const updated = await this.dataSource.transaction(async (tx) => {
      const trigger = await this.triggers.findInWorkspace(command.workspaceId, command.id, tx);
      if (!trigger) throw notFound('trigger');
      if (command.status) trigger.status = command.status;
      if (command.name) trigger.name = command.name;
      if (command.unknownCustomer) trigger.unknownCustomer = command.unknownCustomer;
      if (command.limits) trigger.limits = { ...trigger.limits, ...command.limits };
      trigger.updatedAt = new Date();
      await this.triggers.save(trigger, tx);
      await this.publisher.publish(trigger);
      return trigger;
    });
    return triggerView(updated, this.config.publicBaseUrl);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const trigger = await this.triggers.findInWorkspace(workspaceId, id, tx);
      if (!trigger) throw notFound('trigger');
      trigger.deletedAt = new Date();
      trigger.updatedAt = trigger.deletedAt;
      await this.triggers.save(trigger, tx);
      await this.publisher.publishDeleted(trigger.id);
    });
  }

  async list(workspaceId: string, filter: { flowId?: string; status?: TriggerStatus; cursor?: string; limit: number }) {
    const page = await this.triggers.page(workspaceId, filter);
    return { items: page.items.map((t) => triggerView(t, this.config.publicBaseUrl)), nextCursor: page.nextCursor };
  }
}
