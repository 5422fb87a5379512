// The management API, as the console calls it: same origin, the API key as a bearer token,
// JSON in and out. Every answer type comes from @hookline/contracts (types only).
import type {
  AcceptedEventView,
  CreateTriggerRequest,
  DriftItem,
  ErrorBody,
  EventLogEntry,
  EventStatus,
  MappingVersionView,
  Page,
  PreviewRequest,
  PreviewResult,
  ProblemDetail,
  RotateTokenRequest,
  SampleView,
  SaveMappingResponse,
  TriggerStatus,
  TriggerView,
  UpdateTriggerRequest,
  VariablePickerView,
  VariableSetCatalogView,
} from '@hookline/contracts';
import type { MappingDefinition } from '@hookline/mapping-rules';

/** An answer other than 2xx, with the API's error body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problems of a 422 that carry a JSON pointer. */
  get problems(): ProblemDetail[] {
    return this.details.filter(isProblem);
  }
}

function isProblem(detail: unknown): detail is ProblemDetail {
  return typeof detail === 'object' && detail !== null && typeof (detail as ProblemDetail).pointer === 'string' && typeof (detail as ProblemDetail).message === 'string';
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).error?.code === 'string';
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly baseUrl = '',
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetcher(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'Hookline is not reachable: check your connection and try again', []);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message, Array.isArray(parsed.error.details) ? parsed.error.details : []);
      throw new ApiError(response.status, 'HTTP_' + response.status, `Hookline answered ${response.status}`, []);
    }
    return parsed as T;
  }

  listTriggers(query: { status?: TriggerStatus; cursor?: string } = {}) {
    return this.request<Page<TriggerView>>('GET', `/v1/triggers${search({ limit: '50', ...query })}`);
  }
  getTrigger(id: string) {
    return this.request<TriggerView>('GET', `/v1/triggers/${enc(id)}`);
  }
  createTrigger(body: CreateTriggerRequest) {
    return this.request<TriggerView>('POST', '/v1/triggers', body);
  }
  updateTrigger(id: string, body: UpdateTriggerRequest) {
    return this.request<TriggerView>('PATCH', `/v1/triggers/${enc(id)}`, body);
  }
  deleteTrigger(id: string) {
    return this.request<null>('DELETE', `/v1/triggers/${enc(id)}`);
  }
  rotateToken(id: string, body: RotateTokenRequest = {}) {
    return this.request<TriggerView>('POST', `/v1/triggers/${enc(id)}/rotate-token`, body);
  }
  listSamples(id: string, limit = 20) {
    return this.request<Page<SampleView>>('GET', `/v1/triggers/${enc(id)}/samples${search({ limit: String(limit) })}`);
  }
  getSample(id: string, sampleId: string) {
    return this.request<SampleView>('GET', `/v1/triggers/${enc(id)}/samples/${enc(sampleId)}`);
  }
  deleteSample(id: string, sampleId: string) {
    return this.request<null>('DELETE', `/v1/triggers/${enc(id)}/samples/${enc(sampleId)}`);
  }
  deleteAllSamples(id: string) {
    return this.request<null>('DELETE', `/v1/triggers/${enc(id)}/samples`);
  }
  variables(id: string) {
    return this.request<VariablePickerView>('GET', `/v1/triggers/${enc(id)}/variables`);
  }
  drift(id: string) {
    return this.request<Page<DriftItem>>('GET', `/v1/triggers/${enc(id)}/drift`);
  }
  variableSets() {
    return this.request<VariableSetCatalogView>('GET', '/v1/variable-sets');
  }
  /** The saved mapping, or null when the trigger has none yet. */
  async mapping(id: string): Promise<MappingVersionView<MappingDefinition> | null> {
    try {
      return await this.request<MappingVersionView<MappingDefinition>>('GET', `/v1/triggers/${enc(id)}/mapping`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'MAPPING_NOT_FOUND') return null;
      throw error;
    }
  }
  saveMapping(id: string, definition: MappingDefinition) {
    return this.request<SaveMappingResponse>('PUT', `/v1/triggers/${enc(id)}/mapping`, definition);
  }
  preview(id: string, body: PreviewRequest<MappingDefinition>) {
    return this.request<PreviewResult>('POST', `/v1/triggers/${enc(id)}/mapping/preview`, body);
  }
  events(id: string, query: { status?: EventStatus; cursor?: string } = {}) {
    return this.request<Page<EventLogEntry>>('GET', `/v1/triggers/${enc(id)}/events${search({ limit: '50', ...query })}`);
  }
  replay(id: string, eventId: string) {
    return this.request<AcceptedEventView>('POST', `/v1/triggers/${enc(id)}/events/${enc(eventId)}/replay`);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function search(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

/** A message for a person: the API's own message, which names the problem. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? error.message : `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
