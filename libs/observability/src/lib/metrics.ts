// Prometheus metrics (prom-client), written once for every service: one registry per
// process with the default process and Node.js metrics, the Kafka consumer's and producer's
// metrics (fed by libs/kafka's observer hooks), HTTP requests, and whatever a service adds.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { currentContext, currentTraceparent, describeEvent, runInContext, type WorkContext } from './context';
import { traceparentFor } from './trace-context';

const SECOND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Per assigned partition, records not handled yet (HooklineKafkaServer.lag()). */
export interface LagSample {
  topic: string;
  partition: number;
  lag: number;
}

/** What a consumed record looks like to the observer (libs/kafka's RawKafkaMessage). */
interface ObservedRecord {
  topic: string;
  headers: Record<string, string>;
}

/** Where the metrics of a process are rendered: itself, or (GATEWAY_WORKERS) all workers summed by the primary. */
export type MetricsRenderer = (registry: Registry) => Promise<string>;

export class ServiceMetrics {
  readonly registry = new Registry();
  private renderer: MetricsRenderer = (registry) => registry.metrics();

  private readonly consumed = new Counter({
    name: 'hookline_kafka_consumed_messages_total',
    help: 'Records handled by a consumer, by canonical topic and outcome: handled, dead_lettered, or retried (the handler gave up, the offset stays uncommitted and the record comes again)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly processing = new Histogram({
    name: 'hookline_kafka_consumer_processing_seconds',
    help: 'Time to handle one consumed record, retries and waits for a dependency included, by canonical topic',
    labelNames: ['topic'] as const,
    buckets: SECOND_BUCKETS,
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'hookline_dead_letters_total',
    help: 'Records written to hookline.trigger.failed.v1 by this process, by the topic they came from and the error code',
    labelNames: ['topic', 'code'] as const,
    registers: [this.registry],
  });
  private readonly produceDuration = new Histogram({
    name: 'hookline_kafka_produce_duration_seconds',
    help: 'Time from a produce call to its acknowledgement (acks = all) or failure',
    labelNames: ['outcome'] as const,
    buckets: SECOND_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'hookline_kafka_produce_batch_size',
    help: 'Messages carried by one produce call',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [this.registry],
  });
  private readonly produced = new Counter({
    name: 'hookline_kafka_produced_messages_total',
    help: 'Messages written (acks = all) or refused by the broker, by canonical topic and outcome (ok, failed)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: 'hookline_http_requests_total',
    help: 'HTTP requests answered by the Nest routes of this service, by method, route template and answer code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Serves the metrics through another renderer (the gateway's cluster mode). */
  renderWith(renderer: MetricsRenderer): void {
    this.renderer = renderer;
  }

  render(): Promise<string> {
    return this.renderer(this.registry);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** A gauge read at scrape time (queue depths and the like). */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** `hookline_kafka_consumer_lag`: read at scrape time from the consumer (a broker round trip, bounded by timeoutMs). */
  consumerLag(read: () => Promise<LagSample[]>, timeoutMs = 3_000): void {
    new Gauge({
      name: 'hookline_kafka_consumer_lag',
      help: "Records on a partition this process consumes that it has not handled yet: the partition's end offset minus the next offset to handle",
      labelNames: ['topic', 'partition'] as const,
      registers: [this.registry],
      // Gateway workers each read every partition (broadcast): the cluster's view is the slowest.
      aggregator: 'max',
      async collect() {
        this.reset();
        let timer: NodeJS.Timeout | undefined;
        try {
          const samples = await Promise.race([read(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
          for (const s of samples) this.set({ topic: s.topic, partition: String(s.partition) }, s.lag);
        } catch {
          // Broker unreachable: no sample rather than a stale one (alert on absent() too).
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }

  /** A counter of the service's own, in this registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  httpRequest(method: string, route: string, statusCode: number): void {
    this.httpRequests.labels(method, route, String(statusCode)).inc();
  }

  /**
   * libs/kafka MessageHandler's observer: each record is handled in a unit of work of its own,
   * continuing the trace of its `traceparent` header, named by the event it carries, timed,
   * and counted by outcome.
   */
  messageObserver() {
    return {
      handle: async (topic: string, raw: ObservedRecord, run: () => Promise<void>): Promise<void> => {
        const context: ObservedWork = { traceparent: traceparentFor(raw.headers['traceparent']), topic };
        const eventId = raw.headers['hookline-event-id'];
        if (eventId && eventId.length <= 200) context.eventId = eventId;
        const started = process.hrtime.bigint();
        let outcome = 'handled';
        try {
          await runInContext(context, run);
          if (context.deadLettered) outcome = 'dead_lettered';
        } catch (error) {
          outcome = 'retried';
          throw error;
        } finally {
          this.processing.labels(topic).observe(Number(process.hrtime.bigint() - started) / 1e9);
          this.consumed.labels(topic, outcome).inc();
        }
      },
      decoded: (message: unknown) => describeEvent(message),
      deadLettered: (topic: string, code: string) => {
        this.deadLetters.labels(topic, code).inc();
        const context = currentContextForObserver();
        if (context) context.deadLettered = true;
      },
    };
  }

  /** libs/kafka EventProducer's observer: the current trace on every message, and each produce call measured. */
  producerObserver() {
    return {
      headers: (): Record<string, string> | undefined => {
        const traceparent = currentTraceparent();
        return traceparent ? { traceparent } : undefined;
      },
      produced: (call: { messagesByTopic: Map<string, number>; messages: number; seconds: number; ok: boolean }) => {
        const outcome = call.ok ? 'ok' : 'failed';
        this.produceDuration.labels(outcome).observe(call.seconds);
        this.batchSize.observe(call.messages);
        for (const [topic, count] of call.messagesByTopic) this.produced.labels(topic, outcome).inc(count);
      },
    };
  }
}

/** The unit of work that messageObserver().handle opened, with its dead-letter mark. */
type ObservedWork = WorkContext & { deadLettered?: boolean };
function currentContextForObserver(): ObservedWork | undefined {
  return currentContext() as ObservedWork | undefined;
}
