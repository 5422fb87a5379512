import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let clock: number;
  let sut: TokenBuckets;
  const takeN = (n: number, key: string, limit: { ratePerSecond: number | null; burst: number | null }) => Array.from({ length: n }, () => sut.take(key, limit));

  beforeEach(() => {
    clock = 1_000_000;
    sut = new TokenBuckets(() => clock);
  });

  it('lets a burst through at once, then refuses with the seconds until the next token', () => {
    const limit = { ratePerSecond: 2, burst: 5 };

    expect(takeN(5, 'trg_a', limit)).toEqual([0, 0, 0, 0, 0]);
    expect(sut.take('trg_a', limit)).toBe(1);
  });

  it('refills at the rate, never beyond the burst', () => {
    const limit = { ratePerSecond: 10, burst: 3 };
    takeN(3, 'trg_a', limit);

    clock += 100; // one token
    expect(takeN(2, 'trg_a', limit)).toEqual([0, 1]);
    clock += 60_000; // a long pause refills only up to the burst
    expect(takeN(4, 'trg_a', limit)).toEqual([0, 0, 0, 1]);
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const limit = { ratePerSecond: 0.1, burst: 1 }; // one request every 10 s

    expect(sut.take('trg_a', limit)).toBe(0);
    expect(sut.take('trg_a', limit)).toBe(10);
    clock += 4_000;
    expect(sut.take('trg_a', limit)).toBe(6);
    clock += 6_000;
    expect(sut.take('trg_a', limit)).toBe(0);
  });

  it('keeps one bucket per trigger', () => {
    const limit = { ratePerSecond: 1, burst: 1 };

    expect(sut.take('trg_a', limit)).toBe(0);
    expect(sut.take('trg_b', limit)).toBe(0);
    expect(sut.take('trg_a', limit)).toBe(1);
  });

  it('does not limit a trigger without a rate, and uses one second of rate as the default burst', () => {
    expect(takeN(1000, 'trg_free', { ratePerSecond: null, burst: 3 }).every((r) => r === 0)).toBe(true);
    expect(takeN(5, 'trg_a', { ratePerSecond: 4, burst: null })).toEqual([0, 0, 0, 0, 1]);
  });

  it('applies a lowered burst at once', () => {
    takeN(1, 'trg_a', { ratePerSecond: 1, burst: 100 });

    expect(takeN(3, 'trg_a', { ratePerSecond: 1, burst: 2 })).toEqual([0, 0, 1]);
  });

  it('stays bounded: full (idle) buckets are forgotten first, then the oldest', () => {
    sut = new TokenBuckets(() => clock, 4);
    const limit = { ratePerSecond: 1, burst: 2 };
    takeN(2, 'busy', limit); // empty bucket: must be kept while there are idle ones
    for (const key of ['a', 'b', 'c']) sut.take(key, limit);
    clock += 5_000; // a, b and c refill completely; busy too, by now

    sut.take('d', limit);
    expect(sut.size).toBeLessThanOrEqual(4);

    for (let i = 0; i < 20; i++) takeN(2, `hot${i}`, limit); // none of them idle
    expect(sut.size).toBeLessThanOrEqual(4);
  });
});
