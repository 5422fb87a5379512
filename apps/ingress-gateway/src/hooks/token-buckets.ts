/**
 * Per-trigger rate limits: one token bucket per trigger, in this process's memory. A bucket
 * holds up to `burst` tokens and refills at `ratePerSecond`; each request takes one. With
 * several gateway replicas each enforces the limit on its own share of the traffic.
 */
export interface RateLimit {
  ratePerSecond: number | null;
  burst: number | null;
}

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
  burst: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Milliseconds, monotonic. */
    private readonly now: () => number = () => performance.now(),
    /** Buckets kept at most; full buckets (idle triggers) are forgotten first. */
    private readonly maxBuckets = 100_000,
  ) {}

  /**
   * Takes one token for `key`. Returns 0 when the request may go on, else the whole seconds
   * after which a token will be there (for Retry-After). No rate (null) means no limit; no
   * burst means a burst of one second's worth of requests.
   */
  take(key: string, limit: RateLimit): number {
    const rate = limit.ratePerSecond;
    if (rate === null || !(rate > 0)) return 0;
    const burst = Math.max(1, limit.burst ?? Math.ceil(rate));
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.evict(now);
      bucket = { tokens: burst, at: now, rate, burst };
      this.buckets.set(key, bucket);
    } else {
      // Clamped to the burst, so a lowered limit takes effect at once.
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
      bucket.rate = rate;
      bucket.burst = burst;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    // A bucket that has refilled completely carries no information: drop those first.
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * b.rate >= b.burst) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxBuckets) return;
    // Still full: forget the oldest half (insertion order). Their triggers start with a full burst again.
    let drop = this.buckets.size >> 1;
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
