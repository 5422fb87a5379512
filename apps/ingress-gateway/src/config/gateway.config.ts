import type { JSONSchemaType } from 'ajv';
import { COMMON_ENV_PROPERTIES, type CommonEnv, loadConfig } from '@hookline/config';

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
}

const schema: JSONSchemaType<GatewayEnv> = {
  type: 'object',
  required: ['PORT', 'HOST', 'HOOKLINE_ADMIN_TOKEN', 'SCHEMA_DISCOVERY_URL', 'MAPPING_URL', 'JOURNEY_TRIGGER_URL', 'DATABASE_URL', 'KAFKA_BROKERS'],
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
  },
} as unknown as JSONSchemaType<GatewayEnv>;

/** The largest body limit a trigger may set (`limits.maxBodyBytes`). */
export const MAX_TRIGGER_BODY_BYTES = 10_485_760;

export interface GatewayConfig extends GatewayEnv {
  publicBaseUrl: string;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const values = loadConfig(schema, env);
  const publicBaseUrl = (values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  return { ...values, publicBaseUrl };
}
