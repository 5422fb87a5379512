import type { JSONSchemaType } from 'ajv';
import { COMMON_ENV_PROPERTIES, type CommonEnv, loadConfig } from '@hookline/config';

/** journey-trigger's environment, read once at boot. */
export interface JourneyConfig extends CommonEnv {
  JOURNEY_TRIGGER_PORT: number;
  HOST: string;
  /** How often the outbox relay looks for unpublished journey starts (it is also woken on each commit). */
  OUTBOX_POLL_MS: number;
  /** How long an event of an unknown customer stays parked (policy "park") before it expires. */
  PARK_TTL_SECONDS: number;
  /** How often parked events are swept: released when their customer became known, expired after PARK_TTL_SECONDS. */
  PARK_SWEEP_MS: number;
  /** How long an accepted request that did not start a journey is kept for replay (its body holds personal data). */
  REPLAY_RETENTION_SECONDS: number;
  /** How long an event stays in the event log after its last change. */
  EVENT_LOG_RETENTION_SECONDS: number;
  /** How long a journey start is remembered for dedupe: a redelivery of the same key after this starts again. */
  LEDGER_RETENTION_SECONDS: number;
  /** How long a published outbox row is kept (for inspection) before it is deleted. */
  OUTBOX_RETENTION_SECONDS: number;
  /** How often the retention sweep runs. */
  RETENTION_SWEEP_MS: number;
}

export const JOURNEY_ENV_SCHEMA = {
  type: 'object',
  required: [
    'JOURNEY_TRIGGER_PORT',
    'HOST',
    'OUTBOX_POLL_MS',
    'PARK_TTL_SECONDS',
    'PARK_SWEEP_MS',
    'REPLAY_RETENTION_SECONDS',
    'EVENT_LOG_RETENTION_SECONDS',
    'LEDGER_RETENTION_SECONDS',
    'OUTBOX_RETENTION_SECONDS',
    'RETENTION_SWEEP_MS',
    'DATABASE_URL',
    'KAFKA_BROKERS',
  ],
  properties: {
    ...COMMON_ENV_PROPERTIES,
    JOURNEY_TRIGGER_PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3003, description: 'The port it listens on' },
    HOST: { type: 'string', default: '127.0.0.1', description: 'The address it listens on' },
    OUTBOX_POLL_MS: { type: 'integer', minimum: 50, maximum: 60_000, default: 1_000, description: 'How often the outbox relay looks for unpublished journey starts; it also runs right after each commit' },
    PARK_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: 90 * 86_400, default: 7 * 86_400, description: 'How long an event of an unknown customer stays parked (policy `park`) before it is recorded as `skipped` with `PARK_EXPIRED`' },
    PARK_SWEEP_MS: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 60_000, description: 'How often parked events are released (customer known) or expired, and kept requests past retention deleted' },
    REPLAY_RETENTION_SECONDS: { type: 'integer', minimum: 60, maximum: 90 * 86_400, default: 7 * 86_400, description: 'How long an accepted request that did not trigger is kept for replay (its body holds personal data)' },
    EVENT_LOG_RETENTION_SECONDS: { type: 'integer', minimum: 60, maximum: 3_650 * 86_400, default: 30 * 86_400, description: 'How long an event stays in the event log after its last change' },
    // Providers retry for up to a few days (Stripe 3, Shopify 2): the dedupe window must outlast that.
    LEDGER_RETENTION_SECONDS: { type: 'integer', minimum: 86_400, maximum: 3_650 * 86_400, default: 30 * 86_400, description: 'How long a journey start is remembered for dedupe: a redelivery of the same key after this starts again. Providers retry for days' },
    OUTBOX_RETENTION_SECONDS: { type: 'integer', minimum: 0, maximum: 90 * 86_400, default: 86_400, description: 'How long a published outbox row is kept for inspection before it is deleted' },
    RETENTION_SWEEP_MS: { type: 'integer', minimum: 1_000, maximum: 86_400_000, default: 300_000, description: 'How often the retention sweep runs' },
  },
} as unknown as JSONSchemaType<JourneyConfig>;

export const JOURNEY_CONFIG = Symbol('JOURNEY_CONFIG');
export const loadJourneyConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(JOURNEY_ENV_SCHEMA, env);
