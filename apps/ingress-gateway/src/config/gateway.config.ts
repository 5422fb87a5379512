import type { JSONSchemaType } from 'ajv';
import { COMMON_ENV_PROPERTIES, type CommonEnv, ConfigError, loadConfig } from '@hookline/config';
import { parseEncryptionKey } from '../verification/secret-box';

/** The gateway's environment, read once at boot (every bad variable is named at once). */
export interface GatewayEnv extends CommonEnv {
  PORT: number;
  HOST: string;
  PUBLIC_BASE_URL?: string;
  HOOKLINE_ADMIN_TOKEN: string;
  SCHEMA_DISCOVERY_URL: string;
  MAPPING_URL: string;
  JOURNEY_TRIGGER_URL: string;
  MAX_BODY_BYTES: number;
  PRODUCE_TIMEOUT_MS: number;
  PRODUCE_MAX_IN_FLIGHT: number;
  PRODUCE_MAX_QUEUED: number;
  HEADERS_TIMEOUT_MS: number;
  REQUEST_TIMEOUT_MS: number;
  SHUTDOWN_GRACE_MS: number;
  HOOKLINE_ENCRYPTION_KEY: string;
  HOOKLINE_ENCRYPTION_PREVIOUS_KEYS?: string;
  TOKEN_ROTATION_GRACE_SECONDS: number;
  GATEWAY_WORKERS: number;
  /** The built web console served at /console; default dist/apps/console beside this build. */
  CONSOLE_DIR?: string;
}

/** The longest grace a rotated token may keep working: 30 days. */
export const MAX_TOKEN_GRACE_SECONDS = 2_592_000;

export const GATEWAY_ENV_SCHEMA: JSONSchemaType<GatewayEnv> = {
  type: 'object',
  required: ['PORT', 'HOST', 'HOOKLINE_ADMIN_TOKEN', 'HOOKLINE_ENCRYPTION_KEY', 'SCHEMA_DISCOVERY_URL', 'MAPPING_URL', 'JOURNEY_TRIGGER_URL', 'DATABASE_URL', 'KAFKA_BROKERS'],
  properties: {
    ...COMMON_ENV_PROPERTIES,
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000, description: 'The port it listens on: the webhook route, the management API, the console, `/docs`, `/health`, `/metrics`' },
    HOST: { type: 'string', default: '0.0.0.0', description: 'The address it listens on' },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://', nullable: true, description: 'What trigger URLs are built from (`http://localhost:$PORT` when unset); a trailing `/` is dropped. For `twilio`, exactly what Twilio calls' },
    HOOKLINE_ADMIN_TOKEN: { type: 'string', minLength: 16, description: 'The operator\'s token: guards `POST /v1/workspaces`' },
    SCHEMA_DISCOVERY_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3001', description: 'Where samples, variables and drift are forwarded; also read for readiness and the OpenAPI document' },
    MAPPING_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3002', description: 'Where mapping routes and variable sets are forwarded; same' },
    JOURNEY_TRIGGER_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3003', description: 'Where the event log, trigger-a-flow and customers are forwarded; same' },
    MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 10_485_760, default: 1_048_576, description: 'The default per-trigger `maxBodyBytes` (413, recorded); a trigger may set up to 10 MiB' },
    PRODUCE_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60_000, default: 3_000, description: 'Per-attempt timeout of a webhook\'s write (one retry), after which the answer is 503' },
    // The edge (webhook route): shared produce calls, slow clients, and the drain on SIGTERM.
    PRODUCE_MAX_IN_FLIGHT: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'Produce calls of the webhook route in flight at once; concurrent requests\' events share calls' },
    PRODUCE_MAX_QUEUED: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'Webhook events waiting for a free produce call; past it a request gets 503 `BROKER_UNAVAILABLE` at once' },
    HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 1_000, maximum: 300_000, default: 10_000, description: 'A client that has not sent its request headers by then gets 408 and its connection closed (checked every second)' },
    REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 1_000, maximum: 600_000, default: 30_000, description: 'Likewise for the whole request, body included (a stalled or trickling upload)' },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, maximum: 600_000, default: 15_000, description: 'On SIGTERM, how long requests in flight may take to finish before the producer is closed (writes in flight are always awaited)' },
    // Signing secrets are sealed with this key (32 bytes, base64); earlier keys only open what they sealed.
    HOOKLINE_ENCRYPTION_KEY: { type: 'string', description: '32 random bytes in base64 or base64url (`openssl rand -base64 32`): seals the triggers\' signing secrets (AES-256-GCM). The same on every replica, and kept: without it the stored secrets cannot be opened' },
    HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: { type: 'string', nullable: true, description: 'Comma-separated earlier keys, same format: they still open what they sealed; nothing new is sealed with them' },
    TOKEN_ROTATION_GRACE_SECONDS: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_GRACE_SECONDS, default: 86_400, description: 'How long a trigger\'s previous URL keeps working after `rotate-token`, unless the request sets `graceSeconds`' },
    // Processes serving the one port (node:cluster); 0: one per core. Each is a whole gateway, like a replica.
    GATEWAY_WORKERS: { type: 'integer', minimum: 0, maximum: 64, default: 1, description: 'Processes serving the one port (node:cluster), each a whole gateway; `0`: one per core. Metrics are summed across them' },
    CONSOLE_DIR: { type: 'string', minLength: 1, nullable: true, description: 'The built web console, served at `/console/` (default `dist/apps/console` beside the build)' },
  },
} as unknown as JSONSchemaType<GatewayEnv>;

/** The largest body limit a trigger may set (`limits.maxBodyBytes`). */
export const MAX_TRIGGER_BODY_BYTES = 10_485_760;

export interface GatewayConfig extends GatewayEnv {
  publicBaseUrl: string;
  /** HOOKLINE_ENCRYPTION_KEY, decoded. */
  encryptionKey: Buffer;
  /** HOOKLINE_ENCRYPTION_PREVIOUS_KEYS, decoded. */
  previousEncryptionKeys: Buffer[];
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

const KEY_HINT = 'must be 32 random bytes in base64 (openssl rand -base64 32)';

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // The keys are checked beside the schema, so one run names every bad variable.
  const problems: string[] = [];
  let values: GatewayEnv | undefined;
  try {
    values = loadConfig(GATEWAY_ENV_SCHEMA, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const keyText = env.HOOKLINE_ENCRYPTION_KEY;
  const encryptionKey = keyText ? parseEncryptionKey(keyText) : null;
  if (keyText && !encryptionKey) problems.push(`HOOKLINE_ENCRYPTION_KEY: ${KEY_HINT}`);
  const previousEncryptionKeys: Buffer[] = [];
  for (const [index, text] of (env.HOOKLINE_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean).entries()) {
    const key = parseEncryptionKey(text);
    if (key) previousEncryptionKeys.push(key);
    else problems.push(`HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: key ${index + 1} ${KEY_HINT}`);
  }
  if (problems.length > 0 || !values || !encryptionKey) throw new ConfigError(problems);
  const publicBaseUrl = (values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  return { ...values, publicBaseUrl, encryptionKey, previousEncryptionKeys };
}
