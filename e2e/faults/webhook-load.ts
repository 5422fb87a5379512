/**
 * The fault suite's load generator: a provider that posts webhooks at a steady rate to one
 * trigger URL, with new and repeated delivery ids (in the provider's delivery-id header), and that retries
 * every request not answered 202 with the same delivery id, as real providers do, until
 * it is. It records what the gateway promised: each 202's event id and its delivery id.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  url: string;
  /** Requests per second (new deliveries and redeliveries). */
  rate: number;
  /** Share of requests that redeliver a recent delivery id instead of a new one. */
  repeatShare?: number;
  /** Distinct customers the deliveries spread over (their email is the trigger's unique id). */
  customers?: number;
  /** The body of delivery n: a real payload with its own customer. */
  body: (deliveryId: string, customer: number) => string;
  /** Prefix of this load's delivery ids, so several loads never share one by accident. */
  label: string;
  /** The provider's delivery-id header. */
  deliveryHeader?: string;
}

export interface LoadSummary {
  label: string;
  /** Requests sent, retries included. */
  requests: number;
  deliveries: number;
  /** Answers by status ("error" for a refused, reset or timed-out connection). */
  answers: Record<string, number>;
  accepted: number;
  /** Deliveries that never got a 202 before the grace ran out (still retried by a real provider). */
  unaccepted: number;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 2_000;

export class WebhookLoad {
  /** Every event id answered 202, with the delivery id of its request. */
  readonly accepted = new Map<string, string>();
  private readonly answers = new Map<string, number>();
  private readonly deliveries = new Map<string, { customer: number; accepted: boolean }>();
  private readonly recent: string[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 96 });
  private readonly target: URL;
  private readonly pendingRetries = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private requests = 0;
  private sequence = 0;
  private stopping = false;
  private credit = 0;

  constructor(private readonly options: LoadOptions) {
    this.target = new URL(options.url);
  }

  start(): this {
    const tickMs = 20;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.credit += ((now - last) / 1000) * this.options.rate;
      last = now;
      while (this.credit >= 1) {
        this.credit -= 1;
        this.next();
      }
    }, tickMs);
    return this;
  }

  /** Stops new deliveries, then keeps retrying the unanswered ones for up to `graceMs`. */
  async stop(graceMs = 60_000): Promise<LoadSummary> {
    clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while ((this.inFlight > 0 || this.pendingRetries.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    this.stopping = true;
    for (const t of this.pendingRetries) clearTimeout(t);
    this.pendingRetries.clear();
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 50));
    this.agent.destroy();
    return this.summary();
  }

  /** `count` requests at once, all with one delivery id (a provider's retry storm). */
  async burst(count: number): Promise<{ deliveryId: string; answers: Record<string, number> }> {
    const deliveryId = `${this.options.label}-burst-${this.sequence++}`;
    const customer = this.sequence % (this.options.customers ?? 100);
    this.deliveries.set(deliveryId, { customer, accepted: false });
    const before = new Map(this.answers);
    await Promise.all(Array.from({ length: count }, () => this.post(deliveryId, false)));
    const answers: Record<string, number> = {};
    for (const [status, n] of this.answers) if (n - (before.get(status) ?? 0) > 0) answers[status] = n - (before.get(status) ?? 0);
    return { deliveryId, answers };
  }

  summary(): LoadSummary {
    return {
      label: this.options.label,
      requests: this.requests,
      deliveries: this.deliveries.size,
      answers: Object.fromEntries(this.answers),
      accepted: this.accepted.size,
      unaccepted: [...this.deliveries.values()].filter((d) => !d.accepted).length,
    };
  }

  private next(): void {
    const repeat = this.recent.length > 0 && Math.random() < (this.options.repeatShare ?? 0.2);
    let deliveryId: string;
    if (repeat) {
      deliveryId = this.recent[Math.floor(Math.random() * this.recent.length)]!;
    } else {
      deliveryId = `${this.options.label}-${this.sequence++}`;
      this.deliveries.set(deliveryId, { customer: this.sequence % (this.options.customers ?? 100), accepted: false });
      this.recent.push(deliveryId);
      if (this.recent.length > 500) this.recent.shift();
    }
    void this.post(deliveryId, true);
  }

  private post(deliveryId: string, retry: boolean, attempt = 0): Promise<void> {
    const delivery = this.deliveries.get(deliveryId)!;
    const body = this.options.body(deliveryId, delivery.customer);
    this.inFlight++;
    this.requests++;
    return new Promise<void>((resolve) => {
      let settled = false;
      const done = (status: string, eventId?: string) => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
        if (eventId) {
          this.accepted.set(eventId, deliveryId);
          delivery.accepted = true;
        } else if (retry && !this.stopping) {
          const timer = setTimeout(
            () => {
              this.pendingRetries.delete(timer);
              void this.post(deliveryId, true, attempt + 1);
            },
            Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt) * (0.5 + Math.random()),
          );
          this.pendingRetries.add(timer);
        }
        resolve();
      };
      const req = request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          timeout: 20_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [this.options.deliveryHeader ?? 'x-shopify-webhook-id']: deliveryId },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 202) done('202', (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string }).eventId);
            else done(String(res.statusCode));
          });
          res.on('error', () => done('error'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done('error'));
      req.end(body);
    });
  }
}
