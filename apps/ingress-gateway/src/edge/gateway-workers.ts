// GATEWAY_WORKERS > 1: the gateway as several processes sharing one port (node:cluster), so
// one host or pod with more than one core can use them all. The webhook route is CPU-bound
// on one core per process (bench/README.md). Each worker is a whole gateway, exactly like a
// replica: its own trigger cache, producer, token buckets and consumers. The primary serves
// nothing: it forks the workers, restarts one that dies, hands SIGTERM on, and sums the
// workers' metrics for whichever worker a scrape reaches.
import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AggregatorRegistry, type Registry } from 'prom-client';

const METRICS_REQUEST = 'hookline:cluster-metrics?';
const METRICS_ANSWER = 'hookline:cluster-metrics';
/** A worker that dies this often within the window is not restarted again: the primary exits and the supervisor decides. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsAnswer {
  type: typeof METRICS_ANSWER;
  id: number;
  text?: string;
  error?: string;
}

export const isGatewayWorker = (): boolean => cluster.isWorker;

/**
 * The primary: forks `count` workers and resolves with the exit code once they have all
 * exited after SIGTERM or SIGINT (each worker drains as a single gateway does), or when
 * workers keep dying.
 */
export function runGatewayWorkers(count: number, shutdownGraceMs: number): Promise<number> {
  const logger = new Logger('gateway-workers');
  const aggregator = new AggregatorRegistry();
  const restarts: number[] = [];
  let stopping = false;
  let exitCode = 0;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: MetricsRequest) => {
      if (message?.type !== METRICS_REQUEST) return;
      aggregator.clusterMetrics().then(
        (text) => worker.isConnected() && worker.send({ type: METRICS_ANSWER, id: message.id, text } satisfies MetricsAnswer),
        (error: unknown) => worker.isConnected() && worker.send({ type: METRICS_ANSWER, id: message.id, error: String(error) } satisfies MetricsAnswer),
      );
    });
    return worker;
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} worker(s)`);
    // One signal per worker: a second one would cut its drain short.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    // A worker that outlives its grace (plus Nest's own closing) is killed.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    }, shutdownGraceMs + 10_000).unref();
  };

  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          logger.error(`worker ${worker.process.pid} exited (${signal ?? code}); ${restarts.length} exits within ${RESTART_WINDOW_MS / 1000} s: giving up`);
          exitCode = 1;
          stop('SIGTERM');
        } else {
          logger.warn(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
          setTimeout(() => stopping || fork(), 1_000).unref();
        }
      }
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
    });
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    for (let i = 0; i < count; i++) fork();
    logger.log(`started ${count} gateway workers`);
  });
}

/** In a worker: these registries are what the primary sums. */
export function shareMetricsWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // The listener that answers the primary's requests is installed by the first registry built.
  void new AggregatorRegistry();
}

let nextRequest = 0;

/** In a worker: every worker's metrics, summed by the primary. */
export function clusterMetrics(timeoutMs = 5_000): Promise<string> {
  const id = nextRequest++;
  return new Promise<string>((resolve, reject) => {
    const onMessage = (message: MetricsAnswer) => {
      if (message?.type !== METRICS_ANSWER || message.id !== id) return;
      done();
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(`the primary could not gather the workers' metrics: ${message.error ?? 'no answer'}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error("the primary did not answer with the workers' metrics"));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
  });
}
