// What a deployment must give each service, checked with the services' own config loaders
// (apps/<service>/src/config, libs/config): the environment a Dockerfile, compose file or
// chart hands a service is loaded exactly as the service loads it at boot, and then judged
// for what only a deployment gets wrong (a default that means "this machine").
import { ConfigError } from '@hookline/config';
import { loadGatewayConfig } from '../../apps/ingress-gateway/src/config/gateway.config';
import { loadJourneyConfig } from '../../apps/journey-trigger/src/config/journey.config';
import { loadMappingConfig } from '../../apps/mapping/src/config/mapping.config';
import { loadDiscoveryConfig } from '../../apps/schema-discovery/src/config/discovery.config';

export const SERVICE_NAMES = ['ingress-gateway', 'schema-discovery', 'mapping', 'journey-trigger'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The variable each service reads its port from. */
export const PORT_VARIABLE: Record<ServiceName, string> = {
  'ingress-gateway': 'PORT',
  'schema-discovery': 'SCHEMA_DISCOVERY_PORT',
  mapping: 'MAPPING_PORT',
  'journey-trigger': 'JOURNEY_TRIGGER_PORT',
};

/** The URL variables each service calls others through, and whom each names. */
export const CALLS: Record<ServiceName, Partial<Record<string, ServiceName>>> = {
  'ingress-gateway': { SCHEMA_DISCOVERY_URL: 'schema-discovery', MAPPING_URL: 'mapping', JOURNEY_TRIGGER_URL: 'journey-trigger' },
  'schema-discovery': {},
  mapping: { SCHEMA_DISCOVERY_URL: 'schema-discovery' },
  'journey-trigger': {},
};

/** The settings a deployment decides, as the service's own loader reads them. */
export interface LoadedConfig {
  port: number;
  host: string;
  kafkaBrokers: string;
  databaseUrl: string;
  internalToken: string;
  topicPrefix: string;
  /** URL variable → value, for CALLS. */
  urls: Record<string, string>;
}

type Env = Record<string, string | undefined>;

/** Load a service's configuration from `env` with its own loader; throws its ConfigError. */
export function loadServiceConfig(service: ServiceName, env: Env): LoadedConfig {
  const pick = (c: { HOST: string; KAFKA_BROKERS: string; DATABASE_URL: string; HOOKLINE_INTERNAL_TOKEN: string; KAFKA_TOPIC_PREFIX: string }, port: number, urls: Record<string, string>) => ({
    port,
    host: c.HOST,
    kafkaBrokers: c.KAFKA_BROKERS,
    databaseUrl: c.DATABASE_URL,
    internalToken: c.HOOKLINE_INTERNAL_TOKEN,
    topicPrefix: c.KAFKA_TOPIC_PREFIX,
    urls,
  });
  switch (service) {
    case 'ingress-gateway': {
      const c = loadGatewayConfig(env);
      return pick(c, c.PORT, { SCHEMA_DISCOVERY_URL: c.SCHEMA_DISCOVERY_URL, MAPPING_URL: c.MAPPING_URL, JOURNEY_TRIGGER_URL: c.JOURNEY_TRIGGER_URL });
    }
    case 'schema-discovery': {
      const c = loadDiscoveryConfig(env);
      return pick(c, c.SCHEMA_DISCOVERY_PORT, {});
    }
    case 'mapping': {
      const c = loadMappingConfig(env);
      return pick(c, c.MAPPING_PORT, { SCHEMA_DISCOVERY_URL: c.SCHEMA_DISCOVERY_URL });
    }
    case 'journey-trigger': {
      const c = loadJourneyConfig(env);
      return pick(c, c.JOURNEY_TRIGGER_PORT, {});
    }
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const hostOf = (hostPort: string) => hostPort.trim().replace(/:\d+$/, '');

/**
 * Everything wrong with the environment a deployment gives `service`, as readable lines
 * (empty: nothing). `where` says which file or object, for the messages.
 */
export function deploymentProblems(service: ServiceName, env: Env, where: string): string[] {
  let config: LoadedConfig;
  try {
    config = loadServiceConfig(service, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${where}: ${service} would not start: ${p}`);
    throw error;
  }
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${where}: ${service} ${text}`);
  // The internal services default to 127.0.0.1: reachable from their own host only.
  if (config.host !== '0.0.0.0') say(`listens on ${config.host}, so other containers cannot reach it (set HOST=0.0.0.0)`);
  for (const broker of config.kafkaBrokers.split(',')) {
    if (LOCAL_HOSTS.has(hostOf(broker))) say(`reads Kafka at ${broker}: the container itself (set KAFKA_BROKERS)`);
  }
  if (LOCAL_HOSTS.has(new URL(config.databaseUrl).hostname)) say(`reads Postgres at ${new URL(config.databaseUrl).hostname}: the container itself (set DATABASE_URL)`);
  for (const [variable, url] of Object.entries(config.urls)) {
    if (LOCAL_HOSTS.has(new URL(url).hostname)) say(`calls ${variable}=${url}: the container itself`);
  }
  if (config.internalToken === 'dev-internal-token-change-me') say('uses the public default HOOKLINE_INTERNAL_TOKEN');
  return problems;
}
