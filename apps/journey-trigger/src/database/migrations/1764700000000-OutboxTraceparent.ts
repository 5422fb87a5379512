import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 7: an outbox row keeps the trace of the event it derives from, so the published journey start carries it (`traceparent` header). */
export class OutboxTraceparent1764700000000 implements MigrationInterface {
  name = 'OutboxTraceparent1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE journey.outbox ADD COLUMN traceparent text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE journey.outbox DROP COLUMN traceparent');
  }
}
