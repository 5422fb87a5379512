import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@hookline/http';
import { addSample, catalogOf, emptyProfile, parseBody, toJsonSafe } from '@hookline/payload';
import type { DriftItem, MappedFieldAlert, Page, SampleView, VariablePickerView } from '@hookline/contracts';
import type { SampleEntity } from '../sample.entity';
import { SamplesRepository } from '../samples.repository';
import { LiveSampler } from '../live-sampler';
import { SchemaPublisher } from '../schema-publisher';

export function sampleView(s: SampleEntity, includeRaw = false): SampleView {
  let body: unknown = null;
  if (s.body !== null) {
    try {
      body = toJsonSafe(parseBody(s.body, s.contentType));
    } catch {
      body = null;
    }
  }
  return { id: s.id, eventId: s.id, receivedAt: s.receivedAt.toISOString(), contentType: s.contentType, bytes: s.bodyBytes, headers: s.headers, query: s.query, body, ...(includeRaw ? { rawBody: s.body } : {}) };
}

/** Reading and forgetting samples, and the variable picker built from them. */
@Injectable()
export class ManageSamplesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly samples: SamplesRepository,
    private readonly publisher: SchemaPublisher,
    private readonly sampler: LiveSampler,
  ) {}

  /** `includeRaw` adds the body exactly as received (`rawBody`), for lossless re-parsing. */
  async list(workspaceId: string, triggerId: string, cursor: string | undefined, limit: number, includeRaw = false): Promise<Page<SampleView>> {
    const page = await this.samples.page(workspaceId, triggerId, cursor, limit);
    return { items: page.items.map((s) => sampleView(s, includeRaw)), nextCursor: page.nextCursor };
  }

  async get(workspaceId: string, triggerId: string, sampleId: string, includeRaw = false): Promise<SampleView> {
    const sample = await this.samples.findSample(workspaceId, triggerId, sampleId);
    if (!sample) throw notFound('sample');
    return sampleView(sample, includeRaw);
  }

  /**
   * The variable picker: the catalog of every sample so far, each variable marked when the
   * current mapping reads it, and an alert for each mapped field the latest sample lacked.
   */
  async variables(workspaceId: string, triggerId: string): Promise<VariablePickerView> {
    const [row, mapped] = await Promise.all([this.samples.findProfile(workspaceId, triggerId), this.samples.mappedPaths(workspaceId, triggerId)]);
    const profile = row?.profile ?? emptyProfile();
    const catalog = catalogOf(profile);
    const mappedSet = new Set(mapped);
    const lastSeen = new Map(profile.nodes.map((n) => [n.path, n.lastSeenAt]));
    const alerts: MappedFieldAlert[] = profile.sampleCount === 0 ? [] : mapped
      .filter((path) => lastSeen.get(path) === undefined || (profile.lastObservedAt !== undefined && lastSeen.get(path) !== profile.lastObservedAt))
      .map((path) => ({ code: 'MAPPED_FIELD_MISSING' as const, path, lastSeenAt: lastSeen.get(path) ?? null, message: `${path} is used by the mapping but was not in the latest sample` }));
    const missing = new Set(alerts.map((a) => a.path));
    return {
      ...catalog,
      variables: catalog.variables.map((v) => ({ ...v, mapped: mappedSet.has(v.path), ...(missing.has(v.path) ? { missing: true } : {}) })),
      alerts,
    };
  }

  async drift(workspaceId: string, triggerId: string): Promise<Page<DriftItem>> {
    return { items: await this.samples.drift(workspaceId, triggerId), nextCursor: null };
  }

  /**
   * Forgets one sample or all. The profile holds examples taken from samples, so it is
   * rebuilt from the samples that remain: nothing of a deleted body survives.
   */
  async delete(workspaceId: string, triggerId: string, sampleId?: string): Promise<void> {
    const profile = await this.dataSource.transaction(async (tx) => {
      await this.samples.lockProfile(triggerId, workspaceId, tx);
      const deleted = await this.samples.deleteSamples(workspaceId, triggerId, tx, sampleId);
      if (sampleId && deleted === 0) throw notFound('sample');
      let rebuilt = emptyProfile();
      for (const s of await this.samples.allSamples(workspaceId, triggerId, tx)) {
        if (s.body !== null) rebuilt = addSample(rebuilt, parseBody(s.body, s.contentType), { observedAt: s.receivedAt.toISOString() });
      }
      await this.samples.saveProfile({ triggerId, workspaceId, profile: rebuilt, updatedAt: new Date() }, tx);
      return rebuilt;
    });
    this.sampler.forget(triggerId);
    await this.publisher.publishNow(workspaceId, triggerId, null, profile);
  }
}
