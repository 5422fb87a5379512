import type { DataSource } from 'typeorm';
import { TOPICS } from '@hookline/contracts';
import type { EventProducer } from '@hookline/kafka';
import type { ReadinessCheck } from '@hookline/http';
import type { GatewayConfig } from './config/gateway.config';

/**
 * The gateway is the system's front door: `/health/ready` is up when Postgres, Kafka and every
 * service behind it are, and its trigger cache holds every trigger: the config topic read to
 * its end and reconciled with Postgres (before the topic is read, the webhook route answers 503).
 * `/health/ready/self` leaves the services behind it out: what this gateway needs to accept
 * webhooks, which Kafka then holds while a consumer is down (the chart's readiness probe).
 */
export function gatewayReadinessChecks(dataSource: DataSource, producer: EventProducer, triggersLoaded: () => boolean, config: GatewayConfig): ReadinessCheck[] {
  const service = (name: string, url: string): ReadinessCheck => ({
    name,
    scope: 'system',
    check: async () => (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_500) })).status === 200,
  });
  return [
    { name: 'postgres', check: async () => (await dataSource.query('SELECT 1')).length === 1 },
    { name: 'kafka', check: () => producer.ping([TOPICS.WEBHOOK_RECEIVED]) },
    { name: 'triggers', check: async () => triggersLoaded() },
    service('schema-discovery', config.SCHEMA_DISCOVERY_URL),
    service('mapping', config.MAPPING_URL),
    service('journey-trigger', config.JOURNEY_TRIGGER_URL),
  ];
}
