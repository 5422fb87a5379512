import Ajv, { type JSONSchemaType } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Reads the environment once, validates it against a JSON Schema (with defaults and type
 * coercion), and fails fast naming every bad variable. Services call this in exactly one
 * place and pass the typed result around; nothing else reads process.env.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<T>(schema: JSONSchemaType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const keys = Object.keys((schema as { properties?: object }).properties ?? {});
  const input: Record<string, unknown> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, '') || (e.params as { missingProperty?: string }).missingProperty || '?';
      return `${name}: ${e.message ?? 'is invalid'}`;
    });
    throw new ConfigError(problems);
  }
  return input as T;
}

/**
 * The variables every Hookline service reads, as a schema fragment to spread into its own.
 * Each `description` is what docs/operations.md says of it (`npm run docs:config` renders the
 * configuration reference from these schemas).
 */
export const COMMON_ENV_PROPERTIES = {
  DATABASE_URL: {
    type: 'string',
    pattern: '^postgres(ql)?://',
    default: 'postgres://postgres@127.0.0.1:5432/hookline',
    description: 'The Postgres database (each service has its own schema in it). The database name must match `[A-Za-z0-9_-]+` for `migrate` to create it',
  },
  KAFKA_BROKERS: { type: 'string', pattern: '^[^,\\s]+(,[^,\\s]+)*$', default: '127.0.0.1:9092', description: 'Comma-separated `host:port` of the bootstrap brokers, no spaces' },
  KAFKA_CLIENT_ID_PREFIX: { type: 'string', default: 'hookline', description: 'Kafka client ids are `<prefix>-<service>`' },
  // Lets several systems (or test runs) share one cluster: prefixes every topic and group.
  KAFKA_TOPIC_PREFIX: {
    type: 'string',
    pattern: '^[A-Za-z0-9._-]*$',
    maxLength: 100,
    default: '',
    description: 'Put in front of every topic and consumer group, so several systems can share a cluster. Must be the same on all four services',
  },
  HOOKLINE_INTERNAL_TOKEN: {
    type: 'string',
    minLength: 16,
    default: 'dev-internal-token-change-me',
    description: 'The gateway sends it on forwarded calls and the others require it. **Set it, the same on all four**: the default is public',
  },
  LOG_LEVEL: { type: 'string', enum: ['error', 'warn', 'info', 'debug'], default: 'info', description: 'JSON log lines on stdout at this level and above' },
  // Partitions a consumer handles at once (each still in order); past the partitions it holds, more gives nothing.
  KAFKA_CONSUMER_CONCURRENCY: {
    type: 'integer',
    minimum: 1,
    maximum: 64,
    default: 6,
    description: 'Partitions a consumer handles at once, each still in order. Past the partitions the process is assigned, more gives nothing',
  },
  // Connections per process: at least the consumer concurrency, plus room for the HTTP API and background work.
  DATABASE_POOL_SIZE: { type: 'integer', minimum: 2, maximum: 200, default: 20, description: 'Postgres connections per process: at least `KAFKA_CONSUMER_CONCURRENCY`, plus room for the API and background work' },
  // After SIGTERM, the longest a service may take to finish its work in flight before it exits anyway.
  SHUTDOWN_GRACE_MS: {
    type: 'integer',
    minimum: 0,
    maximum: 600_000,
    default: 20_000,
    description: 'After SIGTERM, how long the records and requests in flight may take; then the process exits with 1 (what it had not committed is handled again after the restart). Keep it under the orchestrator\'s grace period',
  },
  // Fault injection, for the fault suite only: `<topic>:<n>` kills the process right after its
  // n-th effect on that topic, before the record's offset is committed. Never set it in production.
  HOOKLINE_FAULT_KILL_AFTER_EFFECTS: {
    type: 'string',
    pattern: '^[A-Za-z0-9._-]+:[1-9][0-9]*$',
    nullable: true,
    description: 'Tests only: `<topic>:<n>` kills the process right after its n-th effect on that topic, before the offset is committed. Never set it in production',
  },
} as const;

export interface CommonEnv {
  DATABASE_URL: string;
  KAFKA_BROKERS: string;
  KAFKA_CLIENT_ID_PREFIX: string;
  KAFKA_TOPIC_PREFIX: string;
  HOOKLINE_INTERNAL_TOKEN: string;
  LOG_LEVEL: 'error' | 'warn' | 'info' | 'debug';
  KAFKA_CONSUMER_CONCURRENCY: number;
  DATABASE_POOL_SIZE: number;
  SHUTDOWN_GRACE_MS: number;
  HOOKLINE_FAULT_KILL_AFTER_EFFECTS?: string;
}

/** HOOKLINE_FAULT_KILL_AFTER_EFFECTS, parsed: for MessageHandler's fault injection. */
export function killAfterEffects(env: Pick<CommonEnv, 'HOOKLINE_FAULT_KILL_AFTER_EFFECTS'>): { topic: string; count: number } | null {
  const value = env.HOOKLINE_FAULT_KILL_AFTER_EFFECTS;
  if (!value) return null;
  const at = value.lastIndexOf(':');
  return { topic: value.slice(0, at), count: Number(value.slice(at + 1)) };
}

export function brokerList(brokers: string): string[] {
  return brokers.split(',').map((b) => b.trim()).filter(Boolean);
}
