import type { Topic } from '@hookline/contracts';

/**
 * Physical topic and group names. Code always speaks of the canonical names of
 * @hookline/contracts; a deployment may put a prefix in front of every topic and consumer
 * group (KAFKA_TOPIC_PREFIX, e.g. "staging.") so that several Hookline systems — or test
 * runs — can share one Kafka cluster without reading each other's events.
 */
export function physicalTopic(prefix: string, topic: Topic | string): string {
  return `${prefix}${topic}`;
}

export function canonicalTopic(prefix: string, physical: string): string {
  return prefix && physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;
}

export function consumerGroup(prefix: string, service: string): string {
  return `${prefix}hookline.${service}`;
}
