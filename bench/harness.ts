// A small A/B harness: ours and a baseline measured in the same process, alternating, so a
// shared and noisy machine slows both alike. Medians over rounds; warm-up first; every result
// is consumed (folded into a checksum the caller prints), so the JIT cannot drop the work.
import * as os from 'node:os';
import { readFileSync } from 'node:fs';

/** One operation; returns something derived from the result (folded into the checksum). */
export type SyncOp = () => number;
export type AsyncOp = () => Promise<number>;

export interface Side {
  name: string;
  run: SyncOp | AsyncOp;
  async?: boolean;
}

export interface BenchOptions {
  rounds: number;
  /** Time spent on each side in each round. */
  roundMs: number;
  warmupMs: number;
}

export function benchOptions(): BenchOptions {
  const int = (name: string, fallback: number): number => {
    const raw = process.env[name];
    const n = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return { rounds: int('BENCH_ROUNDS', 9), roundMs: int('BENCH_ROUND_MS', 400), warmupMs: int('BENCH_WARMUP_MS', 1500) };
}

let sink = 0;

/** The checksum of everything consumed so far (print it so the work is observable). */
export function checksum(): number {
  return sink;
}

const now = (): bigint => process.hrtime.bigint();

interface Slice {
  ops: number;
  ns: number;
}

const batchSizes = new WeakMap<Side, number>();

/**
 * Runs `side` in batches for about `ms`; returns the ops done and the time taken. A side keeps
 * its batch size between calls (about 1 ms of work per batch), so the clock is read rarely
 * compared with the work.
 */
async function timed(side: Side, ms: number): Promise<Slice> {
  const budget = BigInt(Math.round(ms * 1e6));
  let batch = batchSizes.get(side) ?? 1;
  let ops = 0;
  let acc = 0;
  const start = now();
  let elapsed = 0n;
  while (elapsed < budget) {
    const t0 = now();
    if (side.async) {
      const run = side.run as AsyncOp;
      for (let i = 0; i < batch; i++) acc += await run();
    } else {
      const run = side.run as SyncOp;
      for (let i = 0; i < batch; i++) acc += run();
    }
    const took = now() - t0;
    ops += batch;
    elapsed = now() - start;
    if (took < 1_000_000n) batch *= 2;
    else if (took > 4_000_000n && batch > 1) batch = Math.max(1, Math.floor(batch / 2));
  }
  batchSizes.set(side, batch);
  sink = (sink + acc) % 1_000_000_007;
  return { ops, ns: Number(elapsed) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Comparison {
  ours: number;
  theirs: number;
  ratio: number;
}

/**
 * Warm-up, then `rounds` rounds. A round interleaves the two sides in short slices (A B B A
 * A B ...), so load that comes and goes on a shared machine hits both alike; each side's
 * ops/s in the round is its ops over its time. Reported: the medians over rounds, and the
 * median of the per-round ratios.
 */
export async function compare(ours: Side, theirs: Side, options = benchOptions()): Promise<Comparison> {
  const slices = 8;
  const sliceMs = options.roundMs / slices;
  console.log(`warm-up ${options.warmupMs} ms each; ${options.rounds} rounds of ${options.roundMs} ms per side, interleaved in ${slices} slices`);
  for (let i = 0; i < 4; i++) {
    await timed(ours, options.warmupMs / 4);
    await timed(theirs, options.warmupMs / 4);
  }
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const x: Slice = { ops: 0, ns: 0 };
    const y: Slice = { ops: 0, ns: 0 };
    for (let slice = 0; slice < slices; slice++) {
      const order: Array<[Side, Slice]> = (slice + round) % 2 ? [[ours, x], [theirs, y]] : [[theirs, y], [ours, x]];
      for (const [side, total] of order) {
        const t = await timed(side, sliceMs);
        total.ops += t.ops;
        total.ns += t.ns;
      }
    }
    const xs = (x.ops * 1e9) / x.ns;
    const ys = (y.ops * 1e9) / y.ns;
    a.push(xs);
    b.push(ys);
    ratios.push(xs / ys);
    console.log(`round ${String(round).padStart(2)}: ${ours.name} ${fmt(xs)} ops/s, ${theirs.name} ${fmt(ys)} ops/s, ${(xs / ys).toFixed(1)}x`);
  }
  const result = { ours: median(a), theirs: median(b), ratio: median(ratios) };
  console.log(
    `spread: ${ours.name} ${fmt(Math.min(...a))}..${fmt(Math.max(...a))}, ${theirs.name} ${fmt(Math.min(...b))}..${fmt(Math.max(...b))}, ` +
      `ratio ${Math.min(...ratios).toFixed(1)}..${Math.max(...ratios).toFixed(1)}x`,
  );
  return result;
}

/** Median ops/s of one side alone (for info lines). */
export async function measureAlone(side: Side, options = benchOptions()): Promise<number> {
  await timed(side, options.warmupMs / 2);
  const runs: number[] = [];
  for (let round = 0; round < Math.max(3, Math.ceil(options.rounds / 2)); round++) {
    const t = await timed(side, options.roundMs);
    runs.push((t.ops * 1e9) / t.ns);
  }
  return median(runs);
}

export function fmt(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toString();
}

/** The last line, the format the issue fixes: `<ours> ops/s vs <baseline> <theirs> ops/s = <ratio>x`. */
export function finalLine(baseline: string, result: Comparison): string {
  return `${fmt(result.ours)} ops/s vs ${baseline} ${fmt(result.theirs)} ops/s = ${result.ratio.toFixed(1)}x`;
}

export function machine(): string {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':')[1]!.trim();
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return `${os.availableParallelism()} cores (${model}), Node ${process.version}, ${os.platform()}-${os.arch()}`;
}

export function fail(message: string): never {
  console.error(`BENCH FAILED: ${message}`);
  process.exit(1);
}
