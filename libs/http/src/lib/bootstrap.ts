import type { IncomingMessage, ServerResponse } from 'node:http';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createLogger, type LogLevelName, PinoNestLogger, runInContext, ServiceMetrics, traceparentFor } from '@hookline/observability';
import { ErrorShapeFilter } from './exception.filter';
import { markShuttingDown } from './health';
import { buildOpenApiDocument, serveOpenApi } from './openapi';

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
  /**
   * After a shutdown signal, the process exits with 1 if it has not finished by then: a
   * handler or request stuck on a dependency must not outlive the grace period (its offset
   * stays uncommitted and the record is handled again after the restart). Default 25 s.
   */
  shutdownGraceMs?: number;
  /** Serves the service's OpenAPI document; default `GET /openapi.json` as built from its controllers. */
  openApi?: (app: NestExpressApplication, document: OpenAPIObject) => void;
}

let installed: PinoNestLogger | undefined;

/**
 * JSON logs for the whole process, from its first line on (main.ts calls it before
 * `migrate` too): every `new Logger(context)` writes through pino.
 */
export function useJsonLogs(service: string, level: string): PinoNestLogger {
  installed ??= new PinoNestLogger(createLogger(service, (['error', 'warn', 'info', 'debug'].includes(level) ? level : 'info') as LogLevelName));
  Logger.overrideLogger(installed);
  return installed;
}

/** Whether a level is logged (to skip building a debug line on a hot path). */
export function isLogLevelEnabled(level: 'debug' | 'info'): boolean {
  return installed ? installed.pino.isLevelEnabled(level) : level === 'info';
}

/**
 * Starts one Hookline service: JSON logs, Nest with our error shape, no default body parser
 * (each service picks a lossless one), a trace and request metrics for every HTTP request,
 * its OpenAPI document, and graceful shutdown on SIGTERM/SIGINT (readiness answers 503,
 * in-flight work finishes, consumers commit and close, then producers and the database).
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const logger = useJsonLogs(options.name, options.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(options.module, { bodyParser: false, logger });
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.useGlobalFilters(new ErrorShapeFilter());
  const signals = options.shutdownSignals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;
  for (const signal of signals) {
    // Registered before Nest's own listener, so it runs first.
    process.once(signal, () => {
      stopping = true;
      markShuttingDown();
      new Logger(options.name).log(`${signal}: shutting down`);
      setTimeout(() => {
        new Logger(options.name).error(`still shutting down after ${grace} ms: exiting`);
        process.exit(1);
      }, grace).unref();
    });
  }
  const grace = options.shutdownGraceMs ?? 25_000;
  app.enableShutdownHooks(signals);
  const metrics = app.get(ServiceMetrics);
  app.use((req: IncomingMessage & { route?: { path?: string } }, res: ServerResponse, next: () => void) => {
    // Keep-alive clients reconnect (to another replica) instead of holding a stopping one open.
    if (stopping) res.setHeader('connection', 'close');
    res.once('finish', () => metrics.httpRequest(req.method ?? 'GET', req.route?.path ?? 'other', res.statusCode));
    // Continue the caller's trace (or start one); a forwarded call carries our span on.
    const traceparent = traceparentFor(req.headers.traceparent);
    req.headers.traceparent = traceparent;
    runInContext({ traceparent }, next);
  });
  if (options.configure) await options.configure(app);
  const document = buildOpenApiDocument(app, options.name);
  (options.openApi ?? serveOpenApi)(app, document);
  if (options.beforeListen) await options.beforeListen(app);
  await app.listen(options.port, options.host);
  new Logger(options.name).log(`listening on http://${options.host}:${options.port}`);
  return app;
}
