import type { JSONSchemaType } from 'ajv';
import { COMMON_ENV_PROPERTIES, type CommonEnv, loadConfig } from '@hookline/config';

/** schema-discovery's environment, read once at boot. */
export interface DiscoveryConfig extends CommonEnv {
  SCHEMA_DISCOVERY_PORT: number;
  HOST: string;
  /** How many samples a trigger keeps (newest first); older ones are deleted. */
  SAMPLES_PER_TRIGGER: number;
  /** Total bytes of samples a trigger keeps; the oldest go first (the newest is always kept). */
  SAMPLES_MAX_TOTAL_BYTES: number;
  /** Samples larger than this are kept in the schema but not stored whole. */
  SAMPLE_MAX_BYTES: number;
  /** A live trigger's events of an already learned shape are learned from at most this often (0: every event). */
  LIVE_SAMPLE_INTERVAL_MS: number;
  /** A trigger's catalog is published on the trigger-schema topic at most this often (0: after every sample). */
  SCHEMA_PUBLISH_INTERVAL_MS: number;
}

export const DISCOVERY_ENV_SCHEMA = {
  type: 'object',
  required: ['SCHEMA_DISCOVERY_PORT', 'HOST', 'SAMPLES_PER_TRIGGER', 'SAMPLE_MAX_BYTES', 'LIVE_SAMPLE_INTERVAL_MS', 'SCHEMA_PUBLISH_INTERVAL_MS', 'DATABASE_URL', 'KAFKA_BROKERS'],
  properties: {
    ...COMMON_ENV_PROPERTIES,
    SCHEMA_DISCOVERY_PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3001, description: 'The port it listens on' },
    HOST: { type: 'string', default: '127.0.0.1', description: 'The address it listens on; `0.0.0.0` when the gateway runs on another host' },
    SAMPLES_PER_TRIGGER: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Samples a trigger keeps; older ones are deleted' },
    SAMPLE_MAX_BYTES: { type: 'integer', minimum: 1024, maximum: 10_485_760, default: 262_144, description: 'Larger bodies are learned from but stored without the body' },
    SAMPLES_MAX_TOTAL_BYTES: { type: 'integer', minimum: 1024, maximum: 1_073_741_824, default: 5_242_880, description: 'Bytes of samples a trigger keeps; the oldest go first, the newest is always kept' },
    LIVE_SAMPLE_INTERVAL_MS: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 1_000, description: 'A live trigger\'s events of an already learned shape are learned from at most this often (`0`: every event)' },
    SCHEMA_PUBLISH_INTERVAL_MS: { type: 'integer', minimum: 0, maximum: 600_000, default: 1_000, description: 'A trigger\'s variable catalog is published on the trigger-schema topic at most this often (`0`: after every sample)' },
  },
} as unknown as JSONSchemaType<DiscoveryConfig>;

export const DISCOVERY_CONFIG = Symbol('DISCOVERY_CONFIG');
export const loadDiscoveryConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(DISCOVERY_ENV_SCHEMA, env);
