/**
 * Every Kafka topic Hookline uses. Do not rename a value: topic names are part of the
 * public contract (internal journey services consume JOURNEY_TRIGGERED) and of the data on
 * disk. A breaking change to a message is a new topic version (`.v2`), never an edit.
 */
export const TOPICS = {
  WEBHOOK_RECEIVED: 'hookline.webhook.received.v1',
  WEBHOOK_REJECTED: 'hookline.webhook.rejected.v1',
  TRIGGER_CONFIG: 'hookline.trigger.config.v1',
  TRIGGER_SCHEMA: 'hookline.trigger.schema.v1',
  TRIGGER_MAPPING: 'hookline.trigger.mapping.v1',
  TRIGGER_MAPPED: 'hookline.trigger.mapped.v1',
  TRIGGER_FAILED: 'hookline.trigger.failed.v1',
  JOURNEY_TRIGGERED: 'hookline.journey.triggered.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type Topic = (typeof TOPICS)[TopicKey];

export interface TopicSpec {
  topic: Topic;
  partitions: number;
  /** Compacted topics hold "the current state of X" keyed by X; a null value deletes X. */
  compacted: boolean;
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { topic: TOPICS.WEBHOOK_RECEIVED, partitions: 6, compacted: false },
  { topic: TOPICS.WEBHOOK_REJECTED, partitions: 3, compacted: false },
  { topic: TOPICS.TRIGGER_CONFIG, partitions: 3, compacted: true },
  { topic: TOPICS.TRIGGER_SCHEMA, partitions: 3, compacted: true },
  { topic: TOPICS.TRIGGER_MAPPING, partitions: 3, compacted: true },
  { topic: TOPICS.TRIGGER_MAPPED, partitions: 6, compacted: false },
  { topic: TOPICS.TRIGGER_FAILED, partitions: 3, compacted: false },
  { topic: TOPICS.JOURNEY_TRIGGERED, partitions: 6, compacted: false },
];

/** Kafka header names set on every message we produce. */
export const HEADERS = {
  TYPE: 'hookline-type',
  VERSION: 'hookline-version',
  EVENT_ID: 'hookline-event-id',
  TRACEPARENT: 'traceparent',
} as const;
