import 'reflect-metadata';
import express from 'express';
import { Logger } from '@nestjs/common';
import { bootstrapService } from '@hookline/http';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { provisionTopics } from '@hookline/kafka';
import { brokerList } from '@hookline/config';
import { AppModule } from './app.module';
import { loadGatewayConfig, MAX_TRIGGER_BODY_BYTES } from './config/gateway.config';
import { gatewayDataSource, GATEWAY_SCHEMA } from './database/data-source';
import { ForwardingMiddleware } from './forwarding/forwarding';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  if (process.argv[2] === 'migrate') {
    await ensureDatabase(config.DATABASE_URL);
    const dataSource = gatewayDataSource(config.DATABASE_URL);
    const applied = await migrate(dataSource, GATEWAY_SCHEMA);
    await dataSource.destroy();
    new Logger('migrate').log(`ingress-gateway: ${applied.length} migration(s) applied`);
    return;
  }
  await provisionTopics(brokerList(config.KAFKA_BROKERS), config.KAFKA_TOPIC_PREFIX);
  await bootstrapService({
    name: 'ingress-gateway',
    module: AppModule.register(config),
    host: config.HOST,
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    configure: (app) => {
      // Forwarded management routes stream their bodies through untouched.
      app.use(app.get(ForwardingMiddleware).handler());
      // Webhook bodies stay raw bytes: parsed losslessly, and verifiable byte for byte. The
      // route reads up to the largest limit a trigger may have; each trigger's own limit is
      // enforced (and a refusal recorded) once the trigger is known.
      app.use('/hooks', express.raw({ type: () => true, limit: MAX_TRIGGER_BODY_BYTES }));
      app.use('/v1', express.json({ limit: '256kb' }));
    },
  });
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
