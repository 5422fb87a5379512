import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { brokerList } from '@hookline/config';
import { bootstrapService, useJsonLogs, losslessJsonBody } from '@hookline/http';
import { HooklineKafkaServer } from '@hookline/kafka';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { AppModule } from './app.module';
import { loadJourneyConfig } from './config/journey.config';
import { journeyDataSource, JOURNEY_SCHEMA } from './database/data-source';

async function main(): Promise<void> {
  const config = loadJourneyConfig();
  useJsonLogs('journey-trigger', config.LOG_LEVEL);
  if (process.argv[2] === 'migrate') {
    await ensureDatabase(config.DATABASE_URL);
    const dataSource = journeyDataSource(config.DATABASE_URL);
    const applied = await migrate(dataSource, JOURNEY_SCHEMA);
    await dataSource.destroy();
    new Logger('migrate').log(`journey-trigger: ${applied.length} migration(s) applied`);
    return;
  }
  const consumer = new HooklineKafkaServer({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-journey-trigger`,
    service: 'journey-trigger',
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
  });
  await bootstrapService({
    name: 'journey-trigger',
    module: AppModule.register(config, consumer),
    host: config.HOST,
    port: config.JOURNEY_TRIGGER_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    // Trigger-a-flow variables may hold big integers: parse them without rounding.
    configure: (app) => {
      app.use(losslessJsonBody());
    },
    beforeListen: async (app) => {
      app.connectMicroservice({ strategy: consumer });
      await app.startAllMicroservices();
    },
  });
}

main().catch((error: unknown) => {
  // A configuration error comes before the level is known: it is logged at any level.
  useJsonLogs('journey-trigger', 'info').fatal(error instanceof Error ? error.message : String(error), 'main');
  process.exit(1);
});
