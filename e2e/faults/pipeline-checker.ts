/**
 * The fault suite's checker: after a scenario, what the gateway promised against what the
 * pipeline did, read from the topics and the event log (Hookdeck Outpost's published =
 * delivered + missing, with missing = 0):
 *
 * - every event answered 202 is on hookline.webhook.received.v1;
 * - every event answered 202 reached exactly one outcome in the event log: triggered,
 *   duplicate, skipped, parked or failed;
 * - no delivery id started more than one journey (on the output topic, deduped by eventId as
 *   its consumers must, and in the event log);
 * - every "triggered" outcome's journey is on hookline.journey.triggered.v1;
 * - no partition is stuck: every consumer group has consumed every topic to its end.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { TOPICS } from '@hookline/contracts';

const OUTCOMES = new Set(['triggered', 'duplicate', 'skipped', 'parked', 'failed']);
const GROUPS = ['schema-discovery', 'mapping', 'journey-trigger'];

export interface Verdict {
  accepted: number;
  outcomes: Record<string, number>;
  /** 202 answers with no outcome (yet): must be 0. */
  missing: string[];
  /** 202 answers whose event is not on the received topic: must be 0. */
  notReceived: string[];
  /** Delivery ids that started more than one journey: must be 0. */
  duplicated: string[];
  /** "triggered" outcomes whose journey message is not on the output topic: must be 0. */
  unpublished: string[];
  /** `group topic[partition] lag` of every partition not consumed to its end: must be empty. */
  stuck: string[];
  /** Journey messages read, copies of one event id included (the outbox may publish one twice). */
  journeyMessages: number;
}

interface Journey {
  eventId: string;
  source: { deliveryId: string | null };
}

export class PipelineChecker {
  private readonly kafka: Kafka;
  private readonly read = new Map<string, Map<number, bigint>>();
  private readonly receivedIds = new Set<string>();
  private readonly journeys = new Map<string, Journey>();
  private journeyMessages = 0;
  private readonly failed: Array<{ sourceTopic: string; code: string }> = [];

  constructor(
    private readonly brokers: string,
    private readonly prefix: string,
    private readonly databaseUrl: string,
  ) {
    this.kafka = new Kafka({ clientId: `fault-checker-${randomUUID()}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  }

  /**
   * Polls until every promise is kept, and returns the last verdict when it is, or when the
   * pipeline has made no progress for `stallMs` (a stuck partition, a lost event), or after
   * `capMs` at most. A backlog that is being worked off is waited for, however slow these
   * shared cores are that day: progress is outcomes recorded, journeys published, lag shrinking.
   */
  async settle(accepted: ReadonlyMap<string, string>, stallMs = 90_000, capMs = 480_000): Promise<Verdict> {
    const started = Date.now();
    let reported = started;
    let progressed = started;
    let best = Number.POSITIVE_INFINITY;
    for (;;) {
      const verdict = await this.verdict(accepted).catch(() => undefined);
      const open = verdict ? verdict.missing.length + verdict.notReceived.length + verdict.duplicated.length + verdict.unpublished.length + verdict.stuck.length : undefined;
      const backlog = verdict ? verdict.missing.length + verdict.unpublished.length + verdict.stuck.reduce((sum, s) => sum + Number(s.split(' lag ')[1] ?? 0), 0) : undefined;
      if (backlog !== undefined && backlog < best) {
        best = backlog;
        progressed = Date.now();
      }
      const now = Date.now();
      if (verdict && (open === 0 || now > progressed + stallMs || now > started + capMs)) return verdict;
      if (verdict && now - reported > 15_000) {
        reported = now;
        // eslint-disable-next-line no-console
        console.log(`[faults] settling for ${Math.round((reported - started) / 1000)} s: missing ${verdict.missing.length}, not received ${verdict.notReceived.length}, unpublished ${verdict.unpublished.length}, lagging ${verdict.stuck.slice(0, 6).join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** The journeys on the output topic (by event id) that name this delivery id ("<header>:<id>"). */
  async journeysOf(deliveryId: string): Promise<string[]> {
    await this.verdict(new Map());
    return [...this.journeys.values()].filter((j) => j.source.deliveryId === deliveryId).map((j) => j.eventId);
  }

  /** Every dead letter on hookline.trigger.failed.v1 so far, in order. */
  async deadLetters(): Promise<Array<{ sourceTopic: string; code: string }>> {
    for (const m of await this.readNew(TOPICS.TRIGGER_FAILED)) {
      // The poison scenario writes garbage to this topic too: only real dead letters count.
      let record: { type?: unknown; sourceTopic: string; code: string } | undefined;
      try {
        record = JSON.parse(m.value ?? '') as typeof record;
      } catch {
        continue;
      }
      if (record?.type === 'trigger.failed') this.failed.push(record);
    }
    return [...this.failed];
  }

  async verdict(accepted: ReadonlyMap<string, string>): Promise<Verdict> {
    for (const m of await this.readNew(TOPICS.WEBHOOK_RECEIVED)) if (m.key) this.receivedIds.add(m.key);
    for (const m of await this.readNew(TOPICS.JOURNEY_TRIGGERED)) {
      this.journeyMessages++;
      const journey = JSON.parse(m.value!) as Journey;
      this.journeys.set(journey.eventId, journey);
    }
    const rows = await this.outcomesOf([...accepted.keys()]);
    const outcomes: Record<string, number> = {};
    const missing: string[] = [];
    const triggeredPerDelivery = new Map<string, number>();
    const unpublished: string[] = [];
    for (const id of accepted.keys()) {
      const row = rows.get(id);
      if (!row || !OUTCOMES.has(row.status)) {
        missing.push(id);
        continue;
      }
      outcomes[row.status] = (outcomes[row.status] ?? 0) + 1;
      if (row.status === 'triggered') {
        triggeredPerDelivery.set(row.delivery_id ?? id, (triggeredPerDelivery.get(row.delivery_id ?? id) ?? 0) + 1);
        if (!row.output_event_id || !this.journeys.has(row.output_event_id)) unpublished.push(id);
      }
    }
    const journeysPerDelivery = new Map<string, number>();
    for (const j of this.journeys.values()) if (j.source.deliveryId) journeysPerDelivery.set(j.source.deliveryId, (journeysPerDelivery.get(j.source.deliveryId) ?? 0) + 1);
    const duplicated = new Set([...triggeredPerDelivery, ...journeysPerDelivery].filter(([, n]) => n > 1).map(([d]) => d));
    return {
      accepted: accepted.size,
      outcomes,
      missing,
      notReceived: [...accepted.keys()].filter((id) => !this.receivedIds.has(id)),
      duplicated: [...duplicated],
      unpublished,
      stuck: await this.stuckPartitions(),
      journeyMessages: this.journeyMessages,
    };
  }

  private async outcomesOf(eventIds: string[]): Promise<Map<string, { status: string; delivery_id: string | null; output_event_id: string | null }>> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const out = new Map<string, { status: string; delivery_id: string | null; output_event_id: string | null }>();
      for (let i = 0; i < eventIds.length; i += 5_000) {
        const { rows } = await client.query<{ event_id: string; status: string; delivery_id: string | null; output_event_id: string | null }>(
          'SELECT event_id, status, delivery_id, output_event_id FROM journey.events WHERE event_id = ANY($1)',
          [eventIds.slice(i, i + 5_000)],
        );
        for (const r of rows) out.set(r.event_id, r);
      }
      return out;
    } finally {
      await client.end();
    }
  }

  /** The records of `topic` after those already read, up to its end now. */
  private async readNew(topic: string): Promise<Array<{ key: string | null; value: string | null }>> {
    const physical = `${this.prefix}${topic}`;
    const from = this.read.get(physical) ?? new Map<number, bigint>();
    this.read.set(physical, from);
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(physical).finally(() => admin.disconnect());
    const todo = new Map(ends.filter((p) => BigInt(p.high) > (from.get(p.partition) ?? BigInt(p.low))).map((p) => [p.partition, BigInt(p.high)]));
    if (todo.size === 0) return [];
    const out: Array<{ key: string | null; value: string | null }> = [];
    const consumer = this.kafka.consumer({ groupId: `fault-checker-${randomUUID()}`, maxWaitTimeInMs: 200, maxBytes: 50 << 20 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: physical, fromBeginning: true });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition] of todo) if (from.has(partition)) consumer.seek({ topic: physical, partition, offset: String(from.get(partition)) });
      });
      const remaining = new Set(todo.keys());
      await consumer.run({
        eachBatch: async ({ batch }) => {
          const end = todo.get(batch.partition);
          if (end === undefined) return;
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            if (offset >= end || offset < (from.get(batch.partition) ?? 0n)) continue;
            out.push({ key: m.key?.toString() ?? null, value: m.value?.toString() ?? null });
            from.set(batch.partition, offset + 1n);
            if (offset + 1n >= end) remaining.delete(batch.partition);
          }
        },
      });
      const deadline = Date.now() + 60_000;
      while (remaining.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (remaining.size > 0) throw new Error(`could not read ${physical} to its end`);
    } finally {
      await consumer.disconnect();
    }
    return out;
  }

  /** Partitions some consumer group has not consumed to their end. */
  async stuckPartitions(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const stuck: string[] = [];
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
      const ends = new Map<string, Array<{ partition: number; high: string; low: string }>>();
      for (const topic of topics) ends.set(topic, await admin.fetchTopicOffsets(topic));
      for (const service of GROUPS) {
        const groupId = `${this.prefix}hookline.${service}`;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          for (const p of partitions) {
            const end = ends.get(topic)?.find((e) => e.partition === p.partition);
            if (!end) continue;
            const committed = BigInt(p.offset) < 0n ? BigInt(end.low) : BigInt(p.offset);
            const lag = BigInt(end.high) - committed;
            if (lag > 0n) stuck.push(`${service} ${topic.slice(this.prefix.length)}[${p.partition}] lag ${lag}`);
          }
        }
      }
      return stuck;
    } finally {
      await admin.disconnect();
    }
  }
}

/** One line a scenario: what was sent and promised, and what became of it. */
export function describeScenario(name: string, load: { requests: number; deliveries: number; answers: Record<string, number> }, verdict: Verdict, since?: Verdict): string {
  const outcomes = Object.entries(verdict.outcomes)
    .map(([status, n]) => `${status} ${n - (since?.outcomes[status] ?? 0)}`)
    .join(', ');
  const answers = Object.entries(load.answers)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return (
    `[faults] ${name}: ${load.requests} requests for ${load.deliveries} deliveries (${answers}); ` +
    `accepted ${verdict.accepted - (since?.accepted ?? 0)} → ${outcomes}; ` +
    `missing ${verdict.missing.length}, not on the received topic ${verdict.notReceived.length}, duplicated ${verdict.duplicated.length}, unpublished ${verdict.unpublished.length}, stuck partitions ${verdict.stuck.length}`
  );
}
