import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 6: customers are scoped to their workspace (a platform's own customer id may repeat
 * across workspaces), conflicts found while linking identifiers are kept with the event, and
 * events of an unknown customer can be parked until the identifier becomes known.
 */
export class IdentityGraph1764100000000 implements MigrationInterface {
  name = 'IdentityGraph1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE journey.identifiers DROP CONSTRAINT identifiers_customer_id_fkey');
    await q.query('ALTER TABLE journey.customers DROP CONSTRAINT customers_pkey');
    await q.query('ALTER TABLE journey.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (workspace_id, id)');
    await q.query(
      'ALTER TABLE journey.identifiers ADD CONSTRAINT identifiers_customer_fkey FOREIGN KEY (workspace_id, customer_id) REFERENCES journey.customers (workspace_id, id) ON DELETE CASCADE',
    );
    await q.query('DROP INDEX journey.identifiers_customer');
    await q.query('CREATE INDEX identifiers_customer ON journey.identifiers (workspace_id, customer_id)');
    await q.query('CREATE INDEX ledger_customer ON journey.ledger (workspace_id, customer_id) WHERE customer_id IS NOT NULL');
    // Identifiers of an event that belong to another customer than the one it was resolved to: never merged, kept here.
    await q.query(`ALTER TABLE journey.events ADD COLUMN conflicts jsonb`);
    // Events of an unknown customer under the "park" policy: waiting for one of `identifier_keys` ("type:value") to become known.
    await q.query(`CREATE TABLE journey.parked (
      event_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      trigger_id text,
      identifier_keys text[] NOT NULL,
      message jsonb NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX parked_identifiers ON journey.parked USING gin (identifier_keys)');
    await q.query('CREATE INDEX parked_expiry ON journey.parked (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE journey.parked');
    await q.query('ALTER TABLE journey.events DROP COLUMN conflicts');
    await q.query('DROP INDEX journey.ledger_customer');
    await q.query('DROP INDEX journey.identifiers_customer');
    await q.query('CREATE INDEX identifiers_customer ON journey.identifiers (customer_id)');
    await q.query('ALTER TABLE journey.identifiers DROP CONSTRAINT identifiers_customer_fkey');
    await q.query('ALTER TABLE journey.customers DROP CONSTRAINT customers_pkey');
    await q.query('ALTER TABLE journey.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id)');
    await q.query('ALTER TABLE journey.identifiers ADD CONSTRAINT identifiers_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES journey.customers (id) ON DELETE CASCADE');
  }
}
