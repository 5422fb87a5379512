import type { JSONSchemaType } from 'ajv';
import { COMMON_ENV_PROPERTIES, type CommonEnv, loadConfig } from '@hookline/config';

/** mapping's environment, read once at boot. */
export interface MappingConfig extends CommonEnv {
  MAPPING_PORT: number;
  HOST: string;
  /** Where preview fetches stored samples from (schema-discovery owns them). */
  SCHEMA_DISCOVERY_URL: string;
}

export const MAPPING_ENV_SCHEMA = {
  type: 'object',
  required: ['MAPPING_PORT', 'HOST', 'SCHEMA_DISCOVERY_URL', 'DATABASE_URL', 'KAFKA_BROKERS'],
  properties: {
    ...COMMON_ENV_PROPERTIES,
    MAPPING_PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3002, description: 'The port it listens on' },
    HOST: { type: 'string', default: '127.0.0.1', description: 'The address it listens on' },
    SCHEMA_DISCOVERY_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:3001', description: 'Where preview fetches stored samples' },
  },
} as unknown as JSONSchemaType<MappingConfig>;

export const MAPPING_CONFIG = Symbol('MAPPING_CONFIG');
export const loadMappingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(MAPPING_ENV_SCHEMA, env);
