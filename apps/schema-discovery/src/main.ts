import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { brokerList } from '@hookline/config';
import { bootstrapService, useJsonLogs } from '@hookline/http';
import { HooklineKafkaServer } from '@hookline/kafka';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { AppModule } from './app.module';
import { loadDiscoveryConfig } from './config/discovery.config';
import { discoveryDataSource, DISCOVERY_SCHEMA } from './database/data-source';

async function main(): Promise<void> {
  const config = loadDiscoveryConfig();
  useJsonLogs('schema-discovery', config.LOG_LEVEL);
  if (process.argv[2] === 'migrate') {
    await ensureDatabase(config.DATABASE_URL);
    const dataSource = discoveryDataSource(config.DATABASE_URL);
    const applied = await migrate(dataSource, DISCOVERY_SCHEMA);
    await dataSource.destroy();
    new Logger('migrate').log(`schema-discovery: ${applied.length} migration(s) applied`);
    return;
  }
  const consumer = new HooklineKafkaServer({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-schema-discovery`,
    service: 'schema-discovery',
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
  });
  await bootstrapService({
    name: 'schema-discovery',
    module: AppModule.register(config, consumer),
    host: config.HOST,
    port: config.SCHEMA_DISCOVERY_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    beforeListen: async (app) => {
      app.connectMicroservice({ strategy: consumer });
      await app.startAllMicroservices();
    },
  });
}

main().catch((error: unknown) => {
  // A configuration error comes before the level is known: it is logged at any level.
  useJsonLogs('schema-discovery', 'info').fatal(error instanceof Error ? error.message : String(error), 'main');
  process.exit(1);
});
