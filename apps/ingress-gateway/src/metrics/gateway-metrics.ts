// The gateway's Prometheus metrics: one registry per process, served on GET /metrics.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchOutcome } from '@hookline/kafka';
import { clusterMetrics, isGatewayWorker, shareMetricsWithPrimary } from '../edge/gateway-workers';

/** Routes as labels: templates, never raw paths (a raw path would carry the URL token). */
export type RouteLabel = '/hooks/{triggerId}/{token}' | '/v1' | '/health' | '/metrics' | 'other';

/** `none` on routes without a trigger, `unknown` when the webhook's trigger was not found. */
export type TriggerStatusLabel = 'listening' | 'live' | 'paused' | 'unknown' | 'none';

@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

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

  private readonly produceDuration = new Histogram({
    name: 'hookline_kafka_produce_duration_seconds',
    help: 'Time from a produce call to its acknowledgement (acks = all) or failure',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly batchSize = new Histogram({
    name: 'hookline_kafka_produce_batch_size',
    help: 'Messages carried by one produce call (concurrent requests share calls)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [this.registry],
  });

  // Label children are cached: resolving labels on every request costs more than the increment.
  private readonly requestChildren = new Map<string, Counter.Internal>();
  private readonly rejectionChildren = new Map<string, Counter.Internal>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    if (isGatewayWorker()) shareMetricsWithPrimary(this.registry);
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

  produced(batch: BatchOutcome): void {
    this.produceDuration.labels(batch.ok ? 'ok' : 'failed').observe(batch.durationSeconds);
    this.batchSize.observe(batch.messages);
  }

  /** A gauge read at scrape time (queue depths and the like). */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  /** This process's metrics; with GATEWAY_WORKERS > 1, every worker's, summed. */
  render(): Promise<string> {
    return isGatewayWorker() ? clusterMetrics() : this.registry.metrics();
  }
}
