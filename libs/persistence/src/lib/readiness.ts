import { Pool } from 'pg';

/**
 * Readiness of Postgres, asked on a connection of its own rather than through the service's
 * pool: under a backlog every pooled connection is busy with work, and a probe queued behind
 * it would time out and report a working service as not ready. One connection at most, kept
 * while probes come, and never keeping the process alive (`allowExitOnIdle`).
 */
export function postgresReadiness(url: string): () => Promise<boolean> {
  let pool: Pool | undefined;
  return async () => {
    if (!pool) {
      pool = new Pool({ connectionString: url, max: 1, idleTimeoutMillis: 30_000, allowExitOnIdle: true, connectionTimeoutMillis: 1_500, application_name: 'hookline-readiness' });
      // The idle connection dies with the server (a crash, a restart, a failover). The pool
      // drops it and the next probe connects again; unhandled, the 'error' event would end
      // the process, in the middle of an outage the consumers are built to wait out.
      pool.on('error', () => undefined);
    }
    const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
    return rows[0]?.ok === 1;
  };
}
