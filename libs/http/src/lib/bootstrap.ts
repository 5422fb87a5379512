import { type INestApplication, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorShapeFilter } from './exception.filter';

const LEVELS: Record<string, LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

export interface ServiceBootstrap {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: any;
  host: string;
  port: number;
  logLevel: string;
  /** Runs before routes are registered (body parsers, raw-body routes). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  /** Runs after the HTTP server is created and before it listens (Kafka consumers). */
  beforeListen?: (app: INestApplication) => Promise<void>;
  /** The signals that start the graceful shutdown; default SIGTERM and SIGINT. */
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Starts one Hookline service: Nest with our error shape, no default body parser (each
 * service picks a lossless one), graceful shutdown on SIGTERM/SIGINT (stop accepting,
 * finish in-flight work, close consumers and producers, then exit).
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    bodyParser: false,
    logger: LEVELS[options.logLevel] ?? LEVELS.info,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.useGlobalFilters(new ErrorShapeFilter());
  app.enableShutdownHooks(options.shutdownSignals ?? ['SIGTERM', 'SIGINT']);
  if (options.configure) await options.configure(app);
  if (options.beforeListen) await options.beforeListen(app);
  await app.listen(options.port, options.host);
  new Logger(options.name).log(`listening on http://${options.host}:${options.port}`);
  return app;
}
