/**
 * Gathers the items of concurrent callers into batches: the items added in one turn of the
 * event loop (up to `max`) are handed to `run` together, and each caller's promise settles
 * with its batch. `run` may hand items back (for example a second write of one row, which a
 * single statement cannot hold): they go into the next batch. At most one batch runs at a
 * time; what is added meanwhile waits for the next.
 */
export class Coalescer<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly max: number,
    private readonly run: (items: T[]) => Promise<T[] | void>,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    try {
      await this.runBatch(this.queue.splice(0, this.max));
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** A batch that fails is run again one item at a time: one bad item fails only its own caller. */
  private async runBatch(batch: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }>): Promise<void> {
    let handedBack: Set<T>;
    try {
      handedBack = new Set((await this.run(batch.map((b) => b.item))) ?? []);
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const b of batch) await this.runBatch([b]);
      return;
    }
    for (const b of batch) if (!handedBack.has(b.item)) b.resolve();
    this.queue.unshift(...batch.filter((b) => handedBack.has(b.item)));
  }
}
