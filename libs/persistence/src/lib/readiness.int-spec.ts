// The consumers' Postgres readiness keeps a connection of its own. When Postgres dies, that
// idle connection errors: the probe must say "not ready" and recover, never take the
// process down (an unhandled 'error' event on a pg Pool does). A Postgres of the test's own.
import { type LocalPostgres, startLocalPostgres } from '@hookline/testing';
import { postgresReadiness } from './readiness';

describe('postgresReadiness (a Postgres of its own, crashed and restarted)', () => {
  let postgres: LocalPostgres;

  beforeAll(async () => {
    postgres = await startLocalPostgres();
  }, 120_000);

  afterAll(async () => {
    await postgres?.destroy();
  }, 60_000);

  it('answers false while Postgres is down and true once it is back, and survives its idle connection dying', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const ready = postgresReadiness(postgres.url);
      expect(await ready()).toBe(true);

      // The probe's connection is idle in its pool when the server dies.
      await postgres.crash();
      await new Promise((r) => setTimeout(r, 500));
      await expect(ready()).rejects.toThrow();

      await postgres.start();
      expect(await ready()).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  }, 120_000);
});
