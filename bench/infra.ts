// What the benchmarks that run servers share: a broker and a database of their own (or the
// environment's), child processes with a readiness probe, and cleanup on every exit path.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { fail } from './harness';

export const ROOT = resolve(__dirname, '..');

/** Thrown instead of exiting, so that the broker, the database and the processes are cleaned up first. */
export function abort(message: string): never {
  throw new Error(message);
}

export function int(name: string, fallback: number, min = 1): number {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n >= min ? Math.floor(n) : fallback;
}

export const cleanups: Array<() => Promise<void> | void> = [];
export const work = mkdtempSync(join(tmpdir(), 'hookline-bench-'));
cleanups.push(() => rmSync(work, { recursive: true, force: true }));

export function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.on('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export function startChild(name: string, args: string[], env: Record<string, string>, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 100) tail.splice(0, tail.length - 50);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  cleanups.push(() => stop(child));
  return (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (await ready().catch(() => false)) return child;
      await new Promise((r) => setTimeout(r, 200));
    }
    abort(`${name} did not start:\n${tail.slice(-20).join('\n')}`);
  })();
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** The broker's address, and its pid when this run started it (for its CPU figure). */
export async function broker(): Promise<{ brokers: string; pid?: number }> {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS };
  const local = (await import(join(ROOT, 'scripts/lib/kafka-local.mjs'))) as {
    fetchKafka(): Promise<void>;
    startKafka(o: { port: number; controllerPort: number; dataDir: string }): Promise<{ brokers: string; pid: number; stop(): Promise<void> }>;
  };
  await local.fetchKafka();
  const started = await local.startKafka({ port: await freePort(), controllerPort: await freePort(), dataDir: join(work, 'kafka') });
  cleanups.push(() => started.stop());
  return { brokers: started.brokers, pid: started.pid };
}

export async function database(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `hookline_bench_${process.pid}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await run(`CREATE DATABASE "${name}"`);
  cleanups.push(() => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  url.pathname = `/${name}`;
  return url.toString();
}

export async function json<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status >= 300) abort(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse()) await Promise.resolve(step()).catch(() => undefined);
}

/** Runs a benchmark's main, cleaning up after it whether it succeeds, fails or is interrupted. */
export function run(main: () => Promise<void>): void {
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  main()
    .then(cleanup)
    .catch(async (error: unknown) => {
      await cleanup();
      fail(error instanceof Error ? error.message : String(error));
    });
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is none. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process and all its descendants (a gateway with workers). */
export function treeCpuSeconds(pid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (p: number): boolean => p === pid || (parents.has(p) && p > 1 && inTree(parents.get(p)!));
  let total = 0;
  for (const p of parents.keys()) if (inTree(p)) total += cpuSeconds(p);
  return total;
}
