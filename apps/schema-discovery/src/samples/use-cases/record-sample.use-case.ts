import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookReceivedV1 } from '@hookline/contracts';
import { PermanentMessageError } from '@hookline/kafka';
import { addSample, detectDrift, emptyProfile, mergeProfiles, parseBody, PayloadError, type SchemaProfile, shapeSignature } from '@hookline/payload';
import { DISCOVERY_CONFIG, type DiscoveryConfig } from '../../config/discovery.config';
import { LiveSampler } from '../live-sampler';
import { SamplesRepository } from '../samples.repository';
import { SchemaPublisher } from '../schema-publisher';

/**
 * Learns from one accepted webhook: keeps it as a sample (the newest N per trigger), folds
 * it into the trigger's profile, and publishes the resulting variable catalog on the
 * compacted trigger-schema topic. Consuming the same event twice changes nothing. Every
 * event of a listening trigger is learned from; of a live or paused one, those the
 * LiveSampler picks (a new shape at once, a known one once per LIVE_SAMPLE_INTERVAL_MS).
 */
@Injectable()
export class RecordSampleUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly samples: SamplesRepository,
    private readonly publisher: SchemaPublisher,
    private readonly sampler: LiveSampler,
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
    if (event.triggerStatus !== 'listening' && !this.sampler.take(event.triggerId, shapeSignature(parsed), Date.now())) return;
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
    await this.publisher.publishSoon(event.workspaceId, event.triggerId, event.flowId, profile);
  }
}
