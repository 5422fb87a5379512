import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The accepted requests that may be replayed: kept while their outcome is not `triggered` or
 * `duplicate`, and for at most REPLAY_RETENTION_SECONDS (bodies hold personal data).
 */
export class ReplayableEvents1764100000001 implements MigrationInterface {
  name = 'ReplayableEvents1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE journey.replayable (
      event_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      trigger_id text NOT NULL,
      message jsonb NOT NULL,
      kept_until timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX replayable_expiry ON journey.replayable (kept_until)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE journey.replayable');
  }
}
