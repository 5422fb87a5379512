import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TOPICS, type TriggerSchemaV1 } from '@hookline/contracts';
import { EventProducer } from '@hookline/kafka';
import { catalogOf, type SchemaProfile } from '@hookline/payload';
import { DISCOVERY_CONFIG, type DiscoveryConfig } from '../config/discovery.config';

interface Pending {
  workspaceId: string;
  flowId: string | null;
  profile: SchemaProfile;
  timer: NodeJS.Timeout;
}

/**
 * Publishes a trigger's variable catalog on the compacted trigger-schema topic, for
 * mapping's validation. Building the catalog costs milliseconds on a large profile, and
 * the topic keeps only the latest per trigger, so publications are coalesced: the first
 * change after a quiet spell goes out at once (a sample taken while setting a trigger up
 * reaches mapping before its mapping is saved), later ones at most once per
 * SCHEMA_PUBLISH_INTERVAL_MS with the newest profile. The profile itself is already in
 * Postgres: a publication lost to a crash is made good by the trigger's next sample.
 */
@Injectable()
export class SchemaPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger('schema');
  private readonly pending = new Map<string, Pending>();
  private readonly lastPublished = new Map<string, number>();

  constructor(
    private readonly producer: EventProducer,
    @Inject(DISCOVERY_CONFIG) private readonly config: Pick<DiscoveryConfig, 'SCHEMA_PUBLISH_INTERVAL_MS'>,
  ) {}

  /** Now, whatever was published before (samples were deleted: the old catalog must go). */
  async publishNow(workspaceId: string, triggerId: string, flowId: string | null, profile: SchemaProfile): Promise<void> {
    const queued = this.pending.get(triggerId);
    if (queued) clearTimeout(queued.timer);
    this.pending.delete(triggerId);
    await this.send(workspaceId, triggerId, flowId, profile);
  }

  /** At once after a quiet spell, else with the trigger's next publication slot (the newest profile wins). */
  async publishSoon(workspaceId: string, triggerId: string, flowId: string | null, profile: SchemaProfile): Promise<void> {
    const queued = this.pending.get(triggerId);
    if (queued) {
      queued.profile = profile;
      return;
    }
    const wait = (this.lastPublished.get(triggerId) ?? -Infinity) + this.config.SCHEMA_PUBLISH_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      await this.send(workspaceId, triggerId, flowId, profile);
      return;
    }
    const timer = setTimeout(() => void this.flush(triggerId), wait);
    this.pending.set(triggerId, { workspaceId, flowId, profile, timer });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((triggerId) => this.flush(triggerId)));
  }

  private async flush(triggerId: string): Promise<void> {
    const queued = this.pending.get(triggerId);
    if (!queued) return;
    clearTimeout(queued.timer);
    this.pending.delete(triggerId);
    try {
      await this.send(queued.workspaceId, triggerId, queued.flowId, queued.profile);
    } catch (error) {
      // The broker is away: try again with the next slot, unless something newer came meanwhile.
      this.logger.warn(`schema of trigger ${triggerId} not published: ${error instanceof Error ? error.message : String(error)}`);
      if (!this.pending.has(triggerId)) this.pending.set(triggerId, { ...queued, timer: setTimeout(() => void this.flush(triggerId), Math.max(this.config.SCHEMA_PUBLISH_INTERVAL_MS, 1_000)) });
    }
  }

  private async send(workspaceId: string, triggerId: string, flowId: string | null, profile: SchemaProfile): Promise<void> {
    this.lastPublished.set(triggerId, Date.now());
    if (this.lastPublished.size > 50_000) this.lastPublished.delete(this.lastPublished.keys().next().value!);
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
