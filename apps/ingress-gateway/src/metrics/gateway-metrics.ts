// The gateway's Prometheus metrics: the shared ones of every service (ServiceMetrics) plus the
// edge's own, in one registry per process, served on GET /metrics.
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { ServiceMetrics } from '@hookline/observability';
import { clusterMetrics, isGatewayWorker, shareMetricsWithPrimary } from '../edge/gateway-workers';

/** Routes as labels: templates, never raw paths (a raw path would carry the URL token). */
export type RouteLabel = '/hooks/{triggerId}/{token}' | '/v1' | '/health' | '/metrics' | 'other';

/** `none` on routes without a trigger, `unknown` when the webhook's trigger was not found. */
export type TriggerStatusLabel = 'listening' | 'live' | 'paused' | 'unknown' | 'none';

@Injectable()
export class GatewayMetrics extends ServiceMetrics {
  private readonly requests = new Counter({
    name: 'hookline_gateway_requests_total',
    help: 'HTTP requests answered by the gateway, by route template, answer code and trigger status',
    labelNames: ['route', 'status_code', 'trigger_status'] as const,
    registers: [this.registry],
  });

  private readonly rejections = new Counter({
    name: 'hookline_gateway_rejections_total',
    help: 'Webhook requests refused, by reason (the error code answered, or CLIENT_GONE when the client left or timed out before its body arrived)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  // Label children are cached: resolving labels on every request costs more than the increment.
  private readonly requestChildren = new Map<string, Counter.Internal>();
  private readonly rejectionChildren = new Map<string, Counter.Internal>();

  constructor() {
    super();
    if (isGatewayWorker()) {
      shareMetricsWithPrimary(this.registry);
      // With GATEWAY_WORKERS > 1, every worker's metrics, summed by the primary.
      this.renderWith(() => clusterMetrics());
    }
  }

  request(route: RouteLabel, statusCode: number, triggerStatus: TriggerStatusLabel): void {
    const key = `${route} ${statusCode} ${triggerStatus}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = this.requests.labels(route, String(statusCode), triggerStatus);
      this.requestChildren.set(key, child);
    }
    child.inc();
  }

  rejection(reason: string): void {
    let child = this.rejectionChildren.get(reason);
    if (!child) {
      child = this.rejections.labels(reason);
      this.rejectionChildren.set(reason, child);
    }
    child.inc();
  }
}
