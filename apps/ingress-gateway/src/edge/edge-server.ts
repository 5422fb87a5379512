// The gateway's HTTP server: timeouts for slow clients, the webhook route on bare node:http in
// front of Express, request metrics, and the drain on shutdown.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { BatchingProducer } from '@hookline/kafka';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { HooksHttpHandler } from '../hooks/hooks.http-handler';
import { GatewayMetrics, type RouteLabel } from '../metrics/gateway-metrics';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

@Injectable()
export class EdgeServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('edge');
  private server?: Server;
  private inFlight = 0;
  private draining = false;
  private drained?: () => void;

  constructor(
    private readonly hooks: HooksHttpHandler,
    private readonly producer: BatchingProducer,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Takes over the server Nest created, before it listens: webhook requests go to
   * HooksHttpHandler, every other request to Express (Nest) as before.
   */
  install(server: Server): void {
    this.server = server;
    // A client gets this long to send its headers, and its whole request; then 408 and the
    // socket is closed. Node checks both on an interval (30 s by default, which would let a
    // stalled client hold its socket that much longer), so check every second.
    server.requestTimeout = this.config.REQUEST_TIMEOUT_MS;
    server.headersTimeout = Math.min(this.config.HEADERS_TIMEOUT_MS, this.config.REQUEST_TIMEOUT_MS);
    // A public property read when the server starts listening (@types/node knows only the option).
    (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 1_000;
    const express = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.serve(req, res, express));
    this.metrics.gauge('hookline_kafka_produce_queued_messages', 'Messages waiting for a free produce call', () => this.producer.queued);
    this.metrics.gauge('hookline_kafka_produce_in_flight', 'Produce calls awaiting their acknowledgement', () => this.producer.sending);
    this.metrics.gauge('hookline_gateway_requests_in_flight', 'HTTP requests being served', () => this.inFlight);
  }

  private serve(req: IncomingMessage, res: ServerResponse, express: RequestListener[]): void {
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0 && this.draining) this.drained?.();
    });
    // While draining, every answer closes its connection: keep-alive clients reconnect, to
    // another replica, instead of holding this one open.
    if (this.draining) res.setHeader('connection', 'close');
    if (this.hooks.matches(req)) {
      this.hooks.handle(req, res);
      return;
    }
    res.once('finish', () => this.metrics.request(routeOf(req.url), res.statusCode, 'none'));
    for (const listener of express) listener.call(this.server, req, res);
  }

  /**
   * SIGTERM, before Nest closes the server and the producer: stop accepting, let the
   * requests in flight finish (up to SHUTDOWN_GRACE_MS), then wait for every produce call
   * still out. A request that finds the producer closed gets 503, never a 202.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const started = Date.now();
    if (this.server?.listening) this.server.close();
    this.server?.closeIdleConnections();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS))),
      ]);
      clearTimeout(timer);
    }
    await this.producer.close();
    this.logger.log(`drained in ${Date.now() - started} ms (${this.inFlight} request(s) still open)`);
  }
}

function routeOf(url = ''): RouteLabel {
  if (url.startsWith('/hooks/')) return '/hooks/{triggerId}/{token}';
  if (url.startsWith('/v1/') || url === '/v1') return '/v1';
  if (url.startsWith('/health/')) return '/health';
  if (url === '/metrics' || url.startsWith('/metrics?')) return '/metrics';
  return 'other';
}
