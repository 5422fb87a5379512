/**
 * Which live events schema-discovery learns from. While a trigger listens, every event is a
 * sample: the picker is being built. Once it is live, events arrive at the provider's pace
 * (hundreds a second for a busy store) and most repeat a shape already learned; merging each
 * into the profile would cost a transaction and a profile write per event. So a live event
 * is learned from when its shape (shapeSignature) is new for the trigger, or when that shape
 * was last learned more than `intervalMs` ago: a field that appears, disappears or changes
 * type is seen with the first event that shows it, and steady traffic still refreshes
 * presence and examples. In this process's memory only; bounded.
 */
export class LiveSampler {
  private readonly byTrigger = new Map<string, Map<string, number>>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxTriggers = 10_000,
    private readonly maxShapesPerTrigger = 64,
  ) {}

  /** True when this event is to be learned from; it is then remembered as learned at `now`. */
  take(triggerId: string, signature: string, now: number): boolean {
    if (this.intervalMs === 0) return true;
    let shapes = this.byTrigger.get(triggerId);
    if (shapes) {
      this.byTrigger.delete(triggerId); // re-inserted below: the map's order is its recency
    } else {
      shapes = new Map();
      if (this.byTrigger.size >= this.maxTriggers) this.byTrigger.delete(this.byTrigger.keys().next().value!);
    }
    this.byTrigger.set(triggerId, shapes);
    const last = shapes.get(signature);
    if (last !== undefined && now - last < this.intervalMs) return false;
    shapes.delete(signature);
    if (shapes.size >= this.maxShapesPerTrigger) shapes.delete(shapes.keys().next().value!);
    shapes.set(signature, now);
    return true;
  }

  /** Forgets a trigger (deleted, or its samples forgotten): its next event is learned from. */
  forget(triggerId: string): void {
    this.byTrigger.delete(triggerId);
  }
}
