import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('hands the items added in one turn to one run, and settles each caller with it', async () => {
    const runs: number[][] = [];
    const c = new Coalescer<number>(100, async (items) => {
      runs.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => c.add(n)));
    await c.add(4);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('runs at most `max` items at once and one batch at a time', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const c = new Coalescer<number>(2, async (items) => {
      running++;
      most = Math.max(most, running);
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => c.add(n)));
    expect(most).toBe(1);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('runs the items handed back again in the next batch', async () => {
    const runs: string[][] = [];
    const c = new Coalescer<string>(10, async (items) => {
      runs.push(items);
      const seen = new Set<string>();
      return items.filter((i) => {
        const again = seen.has(i[0]!);
        seen.add(i[0]!);
        return again;
      });
    });
    await Promise.all(['a1', 'b1', 'a2', 'a3'].map((n) => c.add(n)));
    expect(runs).toEqual([['a1', 'b1', 'a2', 'a3'], ['a2', 'a3'], ['a3']]);
  });

  it('fails only the caller whose item fails: a failed batch is retried one item at a time', async () => {
    const c = new Coalescer<number>(10, async (items) => {
      if (items.includes(13)) throw new Error('thirteen');
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => c.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('thirteen'));
  });
});
