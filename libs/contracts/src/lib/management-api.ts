/**
 * Request and answer bodies of the management API (docs/api.md), shared by the services that
 * answer them and the clients that call them (the web console). Types only: this module emits
 * no code, so a browser bundle can import it without pulling in anything of Node.
 *
 * The mapping definition is not named here: its type lives in @hookline/mapping-rules, which
 * contracts may not depend on. Bodies that carry one take it as a type parameter.
 */
import type { HmacVerificationOptions, TriggerLimitsV1, TriggerStatus, UniqueIdType, UnknownCustomerPolicy, VerificationScheme } from './messages';

/** One problem of a `422`: where it is (a JSON pointer into the request), a stable code, a message. */
export interface ProblemDetail {
  pointer: string;
  code: string;
  message: string;
}

// --- Triggers (served by ingress-gateway) ---

/** What the API shows of a trigger's verification: the scheme and its settings, never a secret. */
export type TriggerVerificationView =
  | { scheme: 'none' }
  | ({ scheme: Exclude<VerificationScheme, 'none'>; toleranceSeconds: number; hasPreviousSecret: boolean } & Partial<HmacVerificationOptions>);

export interface TriggerView {
  id: string;
  flowId: string;
  name: string;
  status: TriggerStatus;
  /** Absolute and ready to paste; only create and rotate-token return it, every other answer has null. */
  url: string | null;
  /** Until then the URL before the last rotation keeps working. */
  previousUrlValidUntil: string | null;
  verification: TriggerVerificationView;
  limits: TriggerLimitsV1;
  unknownCustomer: UnknownCustomerPolicy;
  createdAt: string;
  updatedAt: string;
}

/** `verification` as create and patch accept it. Secrets are write-only. */
export interface VerificationInput {
  scheme?: VerificationScheme;
  secret?: string;
  /** A second secret accepted during a rotation; null removes it. */
  previousSecret?: string | null;
  toleranceSeconds?: number;
  header?: string;
  algorithm?: 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  prefix?: string;
  timestampHeader?: string | null;
  timestampSeparator?: string;
}

export interface CreateTriggerRequest {
  flowId: string;
  name?: string;
  verification?: VerificationInput;
  limits?: Partial<TriggerLimitsV1>;
  unknownCustomer?: UnknownCustomerPolicy;
}

export interface UpdateTriggerRequest {
  status?: TriggerStatus;
  name?: string;
  verification?: VerificationInput;
  limits?: Partial<TriggerLimitsV1>;
  unknownCustomer?: UnknownCustomerPolicy;
}

export interface RotateTokenRequest {
  /** 0–2592000; default TOKEN_ROTATION_GRACE_SECONDS (24 h). */
  graceSeconds?: number;
}

// --- Samples, the variable picker and drift (served by schema-discovery) ---

export interface SampleView {
  /** The sample id is the event id. */
  id: string;
  eventId: string;
  receivedAt: string;
  contentType: string;
  bytes: number;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The parsed body (big integers as strings), or null when it was too large to keep. */
  body: unknown;
  /** With `include=raw`: the body exactly as received. */
  rawBody?: string | null;
}

/** One path of the merged schema of a trigger's samples. */
export interface PickerVariable {
  path: string;
  /** Sorted: array, boolean, integer, null, number, object, string. */
  types: string[];
  /** Share of samples that carried the path, 0..1. */
  presence: number;
  /** A scalar (big integers as strings), or null for containers. */
  example: unknown;
  formats?: string[];
  /** Suggested roles: email, phone, order_id, order_name, customer_id, shopify_customer_id, external_id, product_name, ... */
  roles: string[];
  /** The trigger's current mapping reads this path. */
  mapped: boolean;
  /** Mapped, but the latest sample did not carry it. */
  missing?: true;
}

export interface MappedFieldAlert {
  code: 'MAPPED_FIELD_MISSING';
  path: string;
  lastSeenAt: string | null;
  message: string;
}

export interface VariablePickerView {
  sampleCount: number;
  /** JSON Schema 2020-12 of every sample merged. */
  schema: Record<string, unknown>;
  /** Every path (containers too), in first-seen document order. */
  variables: PickerVariable[];
  alerts: MappedFieldAlert[];
}

export type DriftKind = 'field_added' | 'field_removed' | 'type_changed';

/** How live traffic drifted from what the samples taught: one row per kind and path. */
export interface DriftItem {
  kind: DriftKind;
  path: string;
  typesBefore: string[];
  typesAfter: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  firstEventId: string;
}

// --- Mapping and variable sets (served by mapping) ---

export interface MappingVersionView<Definition = unknown> {
  version: number;
  definition: Definition;
  createdAt: string;
}

export interface SaveMappingResponse {
  version: number;
  /** Paths the samples never showed (`UNKNOWN_PATH`): saved all the same. */
  warnings: ProblemDetail[];
}

export interface PreviewRequest<Definition = unknown> {
  /** A definition to try; default the saved latest version. */
  mapping?: Definition;
  /** A stored sample; default the newest. Excludes `body`. */
  sampleId?: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** One data problem of a mapping run, as a live event would be dead-lettered with it. */
export interface MappingRunProblem {
  code: string;
  message: string;
  /** The payload path involved, when there is one. */
  path?: string;
}

export type PreviewResult = {
  /** Null when the mapping came in the request. */
  mappingVersion: number | null;
  /** Null when the body came in the request. */
  sampleId: string | null;
} & (
  | {
      ok: true;
      /** false: the filter rejected the event, which would be recorded as skipped. */
      matched: boolean;
      uniqueId: { type: UniqueIdType; value: string; path: string };
      variables: Record<string, unknown>;
      variableSets: Record<string, unknown>;
      dedupeKey?: string;
    }
  | { ok: false; errors: MappingRunProblem[] }
);

export interface VariableSetFieldView {
  /** The variable type the field's value is coerced to. */
  type: string;
  description: string;
}

export interface VariableSetView {
  name: string;
  description: string;
  fields: Record<string, VariableSetFieldView>;
}

export interface VariableSetCatalogView {
  items: VariableSetView[];
}

// --- Event log and replay (served by journey-trigger) ---

export type EventStatus = 'accepted' | 'rejected' | 'mapped' | 'triggered' | 'duplicate' | 'skipped' | 'parked' | 'failed';

export interface EventHistoryEntry {
  status: EventStatus;
  reason: string | null;
  at: string;
}

export interface IdentityConflictView {
  type: UniqueIdType;
  value: string;
  /** The customer the identifier already belongs to. */
  customerId: string;
}

export interface EventLogEntry {
  eventId: string;
  /** The latest (highest-ranked) status. */
  status: EventStatus;
  reason: string | null;
  receivedAt: string;
  deliveryId: string | null;
  mappingVersion: number | null;
  outputEventId: string | null;
  customerId: string | null;
  conflicts?: IdentityConflictView[];
  history: EventHistoryEntry[];
}

/** `202` of a replay, and of trigger-a-flow. */
export interface AcceptedEventView {
  eventId: string;
}
