// A Postgres cluster of a test's own, for fault tests that stop or crash the database: the
// machine's server is shared by every test and by CI, and is never restarted. Recipe:
// KAFKA-LOCAL.md in the design notes (initdb + pg_ctl from Debian's packages, about 1.3 s).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './stack';

export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** `pg_ctl stop -m immediate`: the server dies without a checkpoint, as in a crash. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and removes its directory. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/pg_ctl'))) : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root} (Debian's postgresql package)`);
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

/** The server refuses to run as root: as root, its tools run as the postgres user. */
function run(tool: string, args: string[]): Promise<string> {
  const path = join(binDir(), tool);
  const [command, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  return new Promise((resolve, reject) => {
    execFile(command, argv, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} ${args[0] ?? ''} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export async function startLocalPostgres(): Promise<LocalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number((await execText('id', ['-u', 'postgres'])).trim()), Number((await execText('id', ['-g', 'postgres'])).trim()));
  const port = await freePort();
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => void (await run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', options, 'start']));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    crash: async () => void (await run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])),
    start,
    destroy: async () => {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function execText(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(command, args, (error, stdout) => (error ? reject(error) : resolve(stdout))));
}
