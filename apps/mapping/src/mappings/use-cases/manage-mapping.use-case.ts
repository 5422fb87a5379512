import { Inject, Injectable } from '@nestjs/common';
import { ApiException, INTERNAL_HEADERS } from '@hookline/http';
import { deterministicEventId, type MappingVersionView, type PreviewResult, type SaveMappingResponse, TOPICS, type TriggerMappingV1 } from '@hookline/contracts';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { compileMapping, type CompiledMapping, type MappingDefinition, pathsUsed, validateMapping } from '@hookline/mapping-rules';
import { CompiledMappingsCache } from '../compiled-mappings.cache';
import { parseBody, toJsonSafe, type JsonValue } from '@hookline/payload';

interface RawSample {
  id: string;
  contentType: string;
  rawBody: string | null;
  headers: Record<string, string>;
  query: Record<string, string>;
}
import { MAPPING_CONFIG, type MappingConfig } from '../../config/mapping.config';
import { MappingsRepository } from '../mappings.repository';

export interface PreviewCommand {
  workspaceId: string;
  triggerId: string;
  sampleId?: string;
  body?: JsonValue;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  mapping?: unknown;
}

/** Saving, reading and previewing a trigger's mapping. */
@Injectable()
export class ManageMappingUseCase {
  constructor(
    private readonly mappings: MappingsRepository,
    private readonly producer: EventProducer,
    private readonly compiled: CompiledMappingsCache,
    @Inject(MAPPING_CONFIG) private readonly config: MappingConfig,
  ) {}

  async get(workspaceId: string, triggerId: string): Promise<MappingVersionView<MappingDefinition>> {
    const row = await this.mappings.latest(triggerId, workspaceId);
    if (!row) throw new ApiException(404, 'MAPPING_NOT_FOUND', 'this trigger has no mapping yet');
    return { version: row.version, definition: row.definition, createdAt: row.createdAt.toISOString() };
  }

  /** Validates (every problem at once, 422) and saves a new version; unknown paths are warnings. */
  async put(workspaceId: string, triggerId: string, input: unknown): Promise<SaveMappingResponse> {
    const definition = toJsonSafe((input ?? null) as JsonValue);
    const catalog = await this.mappings.catalog(workspaceId, triggerId);
    const result = validateMapping(definition, catalog ? { knownPaths: catalog.map((v) => v.path) } : undefined);
    if (!result.valid) {
      throw new ApiException(422, 'MAPPING_INVALID', result.errors.map((e) => `${e.pointer || '/'}: ${e.message}`).join('; '), result.errors);
    }
    // The version is kept only once the paths it reads are published for discovery's drift flags.
    const row = await this.mappings.addVersion(workspaceId, triggerId, definition as MappingDefinition, async (saved) => {
      const message: TriggerMappingV1 = {
        eventId: deterministicEventId('mapping', triggerId, String(saved.version)),
        type: 'trigger.mapping',
        version: 1,
        occurredAt: saved.createdAt.toISOString(),
        workspaceId,
        triggerId,
        flowId: null,
        mappingVersion: saved.version,
        paths: pathsUsed(saved.definition),
        updatedAt: saved.createdAt.toISOString(),
      };
      try {
        await this.producer.send(TOPICS.TRIGGER_MAPPING, [{ key: triggerId, value: message }]);
      } catch (error) {
        if (error instanceof ProduceFailedError) throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the mapping could not be published; retry later', [], { 'Retry-After': '5' });
        throw error;
      }
    });
    return { version: row.version, warnings: result.warnings };
  }

  /** Runs a mapping (the saved one, or one given) on a stored sample or a given body, changing nothing. */
  async preview(command: PreviewCommand): Promise<PreviewResult> {
    let run: CompiledMapping;
    let version: number | null = null;
    if (command.mapping !== undefined) {
      const candidate = toJsonSafe(command.mapping as JsonValue);
      const checked = validateMapping(candidate);
      if (!checked.valid) throw new ApiException(422, 'MAPPING_INVALID', 'the mapping given is not valid', checked.errors);
      run = compileMapping(candidate as MappingDefinition);
    } else {
      const row = await this.mappings.latest(command.triggerId, command.workspaceId);
      if (!row) throw new ApiException(404, 'MAPPING_NOT_FOUND', 'this trigger has no mapping yet: send one in "mapping"');
      // The saved version runs through the very function live events use.
      run = this.compiled.get(row.triggerId, row.version, row.definition);
      version = row.version;
    }
    const source =
      command.body !== undefined
        ? { sampleId: null, input: { body: command.body, headers: command.headers ?? {}, query: command.query ?? {} } }
        : await this.sample(command);
    const result = run(source.input);
    return { mappingVersion: version, sampleId: source.sampleId, ...result };
  }

  private async sample(command: PreviewCommand) {
    const base = `${this.config.SCHEMA_DISCOVERY_URL}/v1/triggers/${encodeURIComponent(command.triggerId)}/samples`;
    const url = command.sampleId ? `${base}/${encodeURIComponent(command.sampleId)}?include=raw` : `${base}?limit=1&include=raw`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { [INTERNAL_HEADERS.TOKEN]: this.config.HOOKLINE_INTERNAL_TOKEN, [INTERNAL_HEADERS.WORKSPACE_ID]: command.workspaceId },
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw new ApiException(503, 'UPSTREAM_UNAVAILABLE', 'samples are not reachable right now', [], { 'Retry-After': '2' });
    }
    if (response.status === 404) throw new ApiException(404, 'SAMPLE_NOT_FOUND', 'no such sample');
    if (!response.ok) throw new ApiException(503, 'UPSTREAM_UNAVAILABLE', `samples answered ${response.status}`);
    // The raw body text is asked for, so big integers reach the mapping with every digit.
    const answer = (await response.json()) as RawSample | { items: RawSample[] };
    const sample = 'items' in answer ? answer.items[0] : answer;
    if (!sample) throw new ApiException(404, 'SAMPLE_NOT_FOUND', 'this trigger has no samples yet');
    if (sample.rawBody === null) throw new ApiException(422, 'SAMPLE_NOT_FOUND', 'this sample was too large to keep whole');
    return { sampleId: sample.id, input: { body: parseBody(sample.rawBody, sample.contentType), headers: sample.headers, query: sample.query } };
  }
}
