import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TriggerStatus, UnknownCustomerPolicy, VerificationInput } from '@hookline/contracts';
import { notFound } from '@hookline/http';
import { newId, newSecret, sha256 } from '../../auth/secrets';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { SecretBox } from '../../verification/secret-box';
import { nextUpdatedAt, type TriggerEntity, type TriggerLimits } from '../trigger.entity';
import { TriggerCache } from '../trigger-cache';
import { TriggerConfigPublisher } from '../trigger-config.publisher';
import { TriggersRepository } from '../triggers.repository';
import { triggerView, type TriggerView } from '../trigger.view';
import { resolveVerification } from '../verification-settings';

export interface CreateTriggerCommand {
  workspaceId: string;
  flowId: string;
  name?: string;
  verification?: VerificationInput;
  limits?: Partial<TriggerLimits>;
  unknownCustomer?: UnknownCustomerPolicy;
}

export interface UpdateTriggerCommand {
  workspaceId: string;
  id: string;
  status?: TriggerStatus;
  name?: string;
  verification?: VerificationInput;
  limits?: Partial<TriggerLimits>;
  unknownCustomer?: UnknownCustomerPolicy;
}

/**
 * Creates, changes and deletes triggers. Each change is written to Postgres and published
 * on the compacted config topic in one step: the database transaction commits only after
 * the broker acknowledged the config message, so the services downstream never miss a
 * change the API reported as done. Once committed, the change goes into this replica's
 * trigger cache at once; the other replicas take it from the topic.
 */
@Injectable()
export class ManageTriggersUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triggers: TriggersRepository,
    private readonly publisher: TriggerConfigPublisher,
    private readonly cache: TriggerCache,
    private readonly box: SecretBox,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async create(command: CreateTriggerCommand): Promise<TriggerView> {
    const token = newSecret();
    const now = new Date();
    const id = newId('trg');
    const verification = resolveVerification(null, command.verification ?? { scheme: 'none' }, (secret) => this.box.seal(secret, id));
    const trigger: TriggerEntity = {
      id,
      workspaceId: command.workspaceId,
      flowId: command.flowId,
      name: command.name ?? `Webhook for ${command.flowId}`,
      status: 'listening',
      tokenHash: sha256(token),
      previousTokenHash: null,
      previousTokenValidUntil: null,
      verificationScheme: verification.scheme,
      verificationOptions: verification.options,
      signingSecrets: verification.secrets,
      unknownCustomer: command.unknownCustomer ?? 'create',
      limits: { maxBodyBytes: this.config.MAX_BODY_BYTES, ratePerSecond: null, burst: null, ...command.limits },
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const published = await this.dataSource.transaction(async (tx) => {
      await this.triggers.insert(trigger, tx);
      return this.publisher.publish(trigger);
    });
    this.cache.apply(trigger.id, published);
    return triggerView(trigger, this.config.publicBaseUrl, token);
  }

  async get(workspaceId: string, id: string): Promise<TriggerView> {
    const trigger = await this.triggers.findInWorkspace(workspaceId, id);
    if (!trigger) throw notFound('trigger');
    return triggerView(trigger, this.config.publicBaseUrl);
  }

  async update(command: UpdateTriggerCommand): Promise<TriggerView> {
    const { trigger, published } = await this.dataSource.transaction(async (tx) => {
      const trigger = await this.triggers.lockInWorkspace(command.workspaceId, command.id, tx);
      if (!trigger) throw notFound('trigger');
      if (command.verification) {
        const current = { scheme: trigger.verificationScheme, options: trigger.verificationOptions, secrets: trigger.signingSecrets };
        const next = resolveVerification(current, command.verification, (secret) => this.box.seal(secret, trigger.id));
        trigger.verificationScheme = next.scheme;
        trigger.verificationOptions = next.options;
        trigger.signingSecrets = next.secrets;
      }
      if (command.status) trigger.status = command.status;
      if (command.name) trigger.name = command.name;
      if (command.unknownCustomer) trigger.unknownCustomer = command.unknownCustomer;
      if (command.limits) trigger.limits = { ...trigger.limits, ...command.limits };
      trigger.updatedAt = nextUpdatedAt(trigger.updatedAt);
      await this.triggers.save(trigger, tx);
      return { trigger, published: await this.publisher.publish(trigger) };
    });
    this.cache.apply(trigger.id, published);
    return triggerView(trigger, this.config.publicBaseUrl);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const trigger = await this.triggers.lockInWorkspace(workspaceId, id, tx);
      if (!trigger) throw notFound('trigger');
      trigger.deletedAt = new Date();
      trigger.updatedAt = nextUpdatedAt(trigger.updatedAt, trigger.deletedAt);
      await this.triggers.save(trigger, tx);
      await this.publisher.publishDeleted(trigger.id);
    });
    // Its URL answers 404 here from now on; on the other replicas once they consume the tombstone.
    this.cache.remove(id);
  }

  async list(workspaceId: string, filter: { flowId?: string; status?: TriggerStatus; cursor?: string; limit: number }) {
    const page = await this.triggers.page(workspaceId, filter);
    return { items: page.items.map((t) => triggerView(t, this.config.publicBaseUrl)), nextCursor: page.nextCursor };
  }
}
