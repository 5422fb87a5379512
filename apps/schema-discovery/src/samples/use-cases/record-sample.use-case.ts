import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TOPICS, type TriggerSchemaV1, type WebhookReceivedV1 } from '@hookline/contracts';
import { EventProducer, PermanentMessageError } from '@hookline/kafka';
import { addSample, catalogOf, detectDrift, emptyProfile, mergeProfiles, parseBody, PayloadError, type SchemaProfile } from '@hookline/payload';
import { DISCOVERY_CONFIG, type DiscoveryConfig } from '../../config/discovery.config';
import { SamplesRepository } from '../samples.repository';

/**
 * Learns from one accepted webhook: keeps it as a sample (the newest N per trigger), folds
 * it into the trigger's profile, and publishes the resulting variable catalog on the
 * compacted trigger-schema topic. Consuming the same event twice changes nothing.
 */
@Injectable()
export class RecordSampleUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly samples: SamplesRepository,
    private readonly producer: EventProducer,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
  ) {}

  async execute(event: WebhookReceivedV1): Promise<void> {
    // A replay is an event already learned from (or deliberately forgotten): not a new sample.
    if (event.replayedAt) return;
    let parsed;
    try {
      parsed = parseBody(event.body, event.contentType);
    } catch (error) {
      if (error instanceof PayloadError) throw new PermanentMessageError(error.code, error.message);
      throw error;
    }
    const profile = await this.dataSource.transaction(async (tx) => {
      const current = await this.samples.lockProfile(event.triggerId, event.workspaceId, tx);
      const inserted = await this.samples.insertOnce(
        {
          id: event.eventId,
          workspaceId: event.workspaceId,
          triggerId: event.triggerId,
          receivedAt: new Date(event.receivedAt),
          contentType: event.contentType,
          bodyBytes: event.bodyBytes,
          body: event.bodyBytes <= this.config.SAMPLE_MAX_BYTES ? event.body : null,
          headers: event.headers,
          query: event.query,
        },
        tx,
      );
      if (!inserted) return current.profile;
      await this.samples.trim(event.triggerId, this.config.SAMPLES_PER_TRIGGER, this.config.SAMPLES_MAX_TOTAL_BYTES, tx);
      const one = addSample(emptyProfile(), parsed, { observedAt: event.receivedAt });
      // Drift is watched on real traffic; while listening, the trigger is still learning its shape.
      if (event.triggerStatus !== 'listening') {
        await this.samples.recordDrift(event.workspaceId, event.triggerId, event.eventId, new Date(event.receivedAt), detectDrift(current.profile, one), tx);
      }
      const next: SchemaProfile = mergeProfiles(current.profile, one);
      await this.samples.saveProfile({ triggerId: event.triggerId, workspaceId: event.workspaceId, profile: next, updatedAt: new Date() }, tx);
      return next;
    });
    await this.publish(event.workspaceId, event.triggerId, event.flowId, profile);
  }

  async publish(workspaceId: string, triggerId: string, flowId: string | null, profile: SchemaProfile): Promise<void> {
    const catalog = catalogOf(profile);
    const message: TriggerSchemaV1 = {
      eventId: randomUUID(),
      type: 'trigger.schema',
      version: 1,
      occurredAt: new Date().toISOString(),
      workspaceId,
      triggerId,
      flowId,
      sampleCount: catalog.sampleCount,
      // The catalog on the topic carries paths and types only: examples are personal data.
      variables: catalog.variables.map((v) => ({ path: v.path, types: v.types, presence: v.presence, ...(v.formats ? { formats: v.formats } : {}), roles: v.roles })),
      updatedAt: new Date().toISOString(),
    };
    await this.producer.send(TOPICS.TRIGGER_SCHEMA, [{ key: triggerId, value: message }]);
  }
}
