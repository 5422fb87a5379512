import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type {
  JourneyTriggeredV1,
  TriggerConfigV1,
  TriggerFailedV1,
  TriggerMappedV1,
  TriggerMappingV1,
  TriggerSchemaV1,
  WebhookReceivedV1,
  WebhookRejectedV1,
} from './messages';
import { MESSAGE_SCHEMAS } from './schemas';
import { TOPICS, type Topic } from './topics';

/** The message type each topic carries. */
export interface TopicMessages {
  [TOPICS.WEBHOOK_RECEIVED]: WebhookReceivedV1;
  [TOPICS.WEBHOOK_REJECTED]: WebhookRejectedV1;
  [TOPICS.TRIGGER_CONFIG]: TriggerConfigV1;
  [TOPICS.TRIGGER_SCHEMA]: TriggerSchemaV1;
  [TOPICS.TRIGGER_MAPPING]: TriggerMappingV1;
  [TOPICS.TRIGGER_MAPPED]: TriggerMappedV1;
  [TOPICS.TRIGGER_FAILED]: TriggerFailedV1;
  [TOPICS.JOURNEY_TRIGGERED]: JourneyTriggeredV1;
}

export class ContractViolationError extends Error {
  readonly code = 'CONTRACT_VIOLATION';
  constructor(
    readonly topic: string,
    readonly problems: string[],
  ) {
    super(`message does not match the contract of ${topic}: ${problems.join('; ')}`);
    this.name = 'ContractViolationError';
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
// "fast" formats check the shape of a date-time or a URI with one expression each, not the
// calendar: every message is checked on the way out and on the way in, on the hot path of
// the edge, and the full checks cost twice the rest of the validation (bench/README.md).
addFormats(ajv, { mode: 'fast' });
const validators = new Map<string, ValidateFunction>(
  Object.entries(MESSAGE_SCHEMAS).map(([topic, schema]) => [topic, ajv.compile(schema)]),
);

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Throws ContractViolationError unless `value` is a valid message of `topic`. */
export function assertMessage<T extends Topic>(topic: T, value: unknown): asserts value is TopicMessages[T] {
  const validate = validators.get(topic);
  if (!validate) throw new ContractViolationError(topic, ['unknown topic']);
  if (!validate(value)) throw new ContractViolationError(topic, describe(validate.errors));
}
