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

const schema: JSONSchemaType<GatewayEnv> = {
  type: 'object',
  required: ['PORT', 'HOST', 'HOOKLINE_ADMIN_TOKEN', 'HOOKLINE_ENCRYPTION_KEY', 'SCHEMA_DISCOVERY_URL', 'MAPPING_URL', 'JOURNEY_TRIGGER_URL', 'DATABASE_URL', 'KAFKA_BROKERS'],
  properties: {
    ...COMMON_ENV_PROPERTIES,
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
    HOST: { type: 'string', default: '0.0.0.0' },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://', nullable: true },
    HOOKLINE_ADMIN_TOKEN: { type: 'string', minLength: 16 },
    SCHEMA_DISCOVERY_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3001' },
    MAPPING_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3002' },
    JOURNEY_TRIGGER_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3003' },
    MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 10_485_760, default: 1_048_576 },
    PRODUCE_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60_000, default: 3_000 },
    // The edge (webhook route): shared produce calls, slow clients, and the drain on SIGTERM.
    PRODUCE_MAX_IN_FLIGHT: { type: 'integer', minimum: 1, maximum: 64, default: 4 },
    PRODUCE_MAX_QUEUED: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000 },
    HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 1_000, maximum: 300_000, default: 10_000 },
    REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 1_000, maximum: 600_000, default: 30_000 },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, maximum: 600_000, default: 15_000 },
    // Signing secrets are sealed with this key (32 bytes, base64); earlier keys only open what they sealed.
    HOOKLINE_ENCRYPTION_KEY: { type: 'string' },
    HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: { type: 'string', nullable: true },
    TOKEN_ROTATION_GRACE_SECONDS: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_GRACE_SECONDS, default: 86_400 },
    // Processes serving the one port (node:cluster); 0: one per core. Each is a whole gateway, like a replica.
    GATEWAY_WORKERS: { type: 'integer', minimum: 0, maximum: 64, default: 1 },
    CONSOLE_DIR: { type: 'string', minLength: 1, nullable: true },
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
    values = loadConfig(schema, env);
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
