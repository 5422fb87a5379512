import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 6: bounded retention of the event log, the ledger and published outbox rows (indexes for the sweep). */
export class Retention1764600000000 implements MigrationInterface {
  name = 'Retention1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX events_updated ON journey.events (updated_at)');
    await q.query('CREATE INDEX ledger_created ON journey.ledger (created_at)');
    await q.query('CREATE INDEX outbox_published ON journey.outbox (published_at) WHERE published_at IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX journey.outbox_published');
    await q.query('DROP INDEX journey.ledger_created');
    await q.query('DROP INDEX journey.events_updated');
  }
}
