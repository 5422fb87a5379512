/**
 * The value of every message on every topic. Each message starts with the envelope; a
 * change that would break a consumer is a new version on a new topic.
 *
 * Numbers that JavaScript cannot hold exactly never appear as JSON numbers in these
 * messages: the raw webhook body travels as text, and mapped values carry such integers as
 * decimal strings.
 */
export type TriggerStatus = 'listening' | 'live' | 'paused';
export type UnknownCustomerPolicy = 'create' | 'park' | 'skip';
export type UniqueIdType = 'order_id' | 'order_name' | 'shopify_customer_id' | 'phone' | 'email' | 'external_id';

export interface Envelope<TType extends string> {
  eventId: string;
  type: TType;
  version: 1;
  occurredAt: string;
  workspaceId: string;
  triggerId: string | null;
  flowId: string | null;
}

/** An accepted webhook request, as the edge saw it. */
export interface WebhookReceivedV1 extends Envelope<'webhook.received'> {
  triggerId: string;
  flowId: string;
  /** The trigger's status when the request arrived: listening captures samples only. */
  triggerStatus: TriggerStatus;
  receivedAt: string;
  method: string;
  contentType: string;
  /** The body exactly as received (UTF-8 text): parsed losslessly by each consumer. */
  body: string;
  bodyBytes: number;
  /** Allow-listed request headers, lower-case names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The provider's delivery id (X-Shopify-Webhook-Id, webhook-id, Idempotency-Key, ...). */
  deliveryId: string | null;
  /**
   * Set only on a replay of a recorded event (journey-trigger re-publishes it with its
   * original eventId, so dedupe holds, and `triggerStatus` set to the trigger's status at the
   * time of the replay). Absent on every request the edge accepted.
   */
  replayedAt?: string;
}

/** A request the edge refused, with why. */
export interface WebhookRejectedV1 extends Envelope<'webhook.rejected'> {
  triggerId: string;
  receivedAt: string;
  httpStatus: number;
  code: string;
  reason: string;
  contentType: string | null;
  bodyBytes: number;
  /** At most a few KiB of the raw body, for diagnosis; never secrets or signature headers. */
  bodyPreview: string | null;
  deliveryId: string | null;
}

/** How the edge checks that a request comes from the provider, besides the URL's token. */
export type VerificationScheme = 'none' | 'standard-webhooks' | 'shopify' | 'stripe' | 'github' | 'razorpay' | 'woocommerce' | 'twilio' | 'hmac';

export const VERIFICATION_SCHEMES: readonly VerificationScheme[] = ['none', 'standard-webhooks', 'shopify', 'stripe', 'github', 'razorpay', 'woocommerce', 'twilio', 'hmac'];

/** The generic HMAC scheme: which header carries the signature, and how it is computed. */
export interface HmacVerificationOptions {
  /** Lower-case header name. */
  header: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  /** Text before the signature in the header (`sha256=`); empty when none. */
  prefix: string;
  /** Lower-case header holding a Unix timestamp (seconds or milliseconds) that is signed too; null when none. */
  timestampHeader: string | null;
  /** Signed string with a timestamp: `<timestamp><separator><raw body>`. */
  timestampSeparator: string;
}

/**
 * A secret encrypted at rest: AES-256-GCM under the gateway's key `keyId`, as
 * base64(iv ‖ tag ‖ ciphertext), bound to its trigger. Only the gateway holds the key.
 */
export interface SealedSecret {
  keyId: string;
  ciphertext: string;
}

export interface TriggerLimitsV1 {
  maxBodyBytes: number;
  ratePerSecond: number | null;
  burst: number | null;
}

/**
 * The current configuration of a trigger (compacted by trigger id; null value = deleted).
 * Every gateway replica serves its webhook route from these messages alone, so they carry
 * what the edge needs: token hashes, the verification scheme and its secrets (sealed, never
 * plaintext), limits and status.
 */
export interface TriggerConfigV1 extends Envelope<'trigger.config'> {
  triggerId: string;
  flowId: string;
  name: string;
  status: TriggerStatus;
  unknownCustomer: UnknownCustomerPolicy;
  /** Increases with every change of the trigger: a reader keeps the newest it has seen. */
  updatedAt: string;
  /** SHA-256 (hex) of the URL's token; during a rotation's grace also the previous one, until `previousValidUntil`. */
  tokens: { hash: string; previousHash: string | null; previousValidUntil: string | null };
  verification: {
    scheme: VerificationScheme;
    toleranceSeconds: number;
    hmac: HmacVerificationOptions | null;
    /** The signing secrets, current first, then the previous one during a rotation. Empty for `none`. */
    secrets: SealedSecret[];
  };
  limits: TriggerLimitsV1;
}

export interface CatalogVariable {
  path: string;
  types: string[];
  presence: number;
  example?: unknown;
  formats?: string[];
  roles: string[];
}

/** The variable catalog of a trigger (compacted by trigger id). */
export interface TriggerSchemaV1 extends Envelope<'trigger.schema'> {
  triggerId: string;
  sampleCount: number;
  variables: CatalogVariable[];
  updatedAt: string;
}

/** What a trigger's current mapping reads (compacted by trigger id), so discovery can flag a mapped field that stops arriving. */
export interface TriggerMappingV1 extends Envelope<'trigger.mapping'> {
  triggerId: string;
  mappingVersion: number;
  /** Body paths in catalog spelling (`line_items[].price`). */
  paths: string[];
  updatedAt: string;
}

export interface EventSource {
  kind: 'webhook' | 'api';
  /** The accepted request's event id (webhook) or the API call's event id. */
  eventId: string;
  receivedAt: string;
  deliveryId: string | null;
}

/**
 * What mapping decided for one accepted event: start the journey for this customer with
 * these variables (`disposition: "trigger"`), or record it without starting (`"skip"`,
 * for a paused trigger or a filter that did not match).
 */
export interface TriggerMappedV1 extends Envelope<'trigger.mapped'> {
  flowId: string;
  source: EventSource;
  disposition: 'trigger' | 'skip';
  reason: string | null;
  mappingVersion: number | null;
  uniqueId: { type: UniqueIdType; value: string } | null;
  variables: Record<string, unknown>;
  variableSets: Record<string, unknown>;
  /** The key that decides "the same delivery": mapped dedupe key, else delivery id, else event id. */
  dedupeKey: string;
}

/** The dead-letter record: an event that could not be mapped or triggered. */
export interface TriggerFailedV1 extends Envelope<'trigger.failed'> {
  stage: 'mapping' | 'trigger' | 'consume';
  sourceEventId: string | null;
  sourceTopic: string | null;
  code: string;
  reason: string;
  errors: Array<{ code: string; message: string; path?: string }>;
  mappingVersion: number | null;
}

/** The product's output: one message per journey start. */
export interface JourneyTriggeredV1 extends Envelope<'journey.triggered'> {
  flowId: string;
  source: EventSource;
  customer: { id: string; identifiers: Record<string, string>; created: boolean };
  variables: Record<string, unknown>;
  variableSets: Record<string, unknown>;
  mappingVersion: number | null;
}
