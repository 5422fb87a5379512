import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import express from 'express';
import { Logger } from '@nestjs/common';
import { bootstrapService, useJsonLogs } from '@hookline/http';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { HooklineKafkaServer, provisionTopics } from '@hookline/kafka';
import { brokerList } from '@hookline/config';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { CONSOLE_PATH, consoleStatic, defaultConsoleDir } from './console/console-static';
import { gatewayDataSource, GATEWAY_SCHEMA } from './database/data-source';
import { EdgeServer } from './edge/edge-server';
import { isGatewayWorker, runGatewayWorkers } from './edge/gateway-workers';
import { ForwardingMiddleware } from './forwarding/forwarding';
import { GatewayOpenApi } from './openapi/gateway-openapi';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  useJsonLogs('ingress-gateway', config.LOG_LEVEL);
  if (process.argv[2] === 'migrate') {
    await ensureDatabase(config.DATABASE_URL);
    const dataSource = gatewayDataSource(config.DATABASE_URL);
    const applied = await migrate(dataSource, GATEWAY_SCHEMA);
    await dataSource.destroy();
    new Logger('migrate').log(`ingress-gateway: ${applied.length} migration(s) applied`);
    return;
  }
  const workers = config.GATEWAY_WORKERS === 0 ? availableParallelism() : config.GATEWAY_WORKERS;
  if (workers > 1 && !isGatewayWorker()) {
    // Once, here: the workers start on topics that exist.
    await provisionTopics(brokerList(config.KAFKA_BROKERS), config.KAFKA_TOPIC_PREFIX);
    process.exitCode = await runGatewayWorkers(workers, config.SHUTDOWN_GRACE_MS);
    return;
  }
  if (isGatewayWorker()) process.on('SIGINT', () => undefined); // the primary sends SIGTERM (below)
  else await provisionTopics(brokerList(config.KAFKA_BROKERS), config.KAFKA_TOPIC_PREFIX);
  // Every replica reads the whole trigger-config topic into its trigger cache (the webhook route's only source).
  const consumer = new HooklineKafkaServer({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-ingress-gateway`,
    service: 'ingress-gateway',
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    broadcast: true,
  });
  await bootstrapService({
    name: 'ingress-gateway',
    module: AppModule.register(config, consumer),
    host: config.HOST,
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    // The drain (SHUTDOWN_GRACE_MS), then the writes still out (a produce timeout and one retry).
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS + 2 * config.PRODUCE_TIMEOUT_MS + 5_000,
    configure: (app) => {
      // The web console's files (apps/console), before anything of the API looks at the request.
      app.use(CONSOLE_PATH, consoleStatic(config.CONSOLE_DIR ?? defaultConsoleDir()));
      // Forwarded management routes stream their bodies through untouched.
      app.use(app.get(ForwardingMiddleware).handler());
      // The webhook route (/hooks) never reaches Express: EdgeServer serves it on bare
      // node:http and reads its body itself (hooks/hooks.http-handler.ts).
      app.use('/v1', express.json({ limit: '256kb' }));
    },
    // One document for the one base URL: this gateway's routes, the webhook route and the forwarded ones.
    openApi: (app, document) => new GatewayOpenApi(document, config).install(app),
    // Timeouts for slow clients, the webhook route on bare node:http, the drain on SIGTERM.
    beforeListen: async (app) => {
      app.get(EdgeServer).install(app.getHttpServer());
      app.connectMicroservice({ strategy: consumer });
      await app.startAllMicroservices();
    },
    // A worker's shutdown comes from the primary, once: Ctrl-C reaches every process of the
    // terminal's group, and a second signal would cut the drain short.
    shutdownSignals: isGatewayWorker() ? ['SIGTERM'] : undefined,
  });
}

main().catch((error: unknown) => {
  // A configuration error comes before the level is known: it is logged at any level.
  useJsonLogs('ingress-gateway', 'info').fatal(error instanceof Error ? error.message : String(error), 'main');
  process.exit(1);
});
