import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitJourney1764079200000 implements MigrationInterface {
  name = 'InitJourney1764079200000';

  async up(q: QueryRunner): Promise<void> {
    // What journey-trigger knows of each trigger, from the compacted config topic.
    await q.query(`CREATE TABLE journey.triggers (
      trigger_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      flow_id text NOT NULL,
      status text NOT NULL,
      unknown_customer text NOT NULL,
      deleted boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE journey.customers (
      id text PRIMARY KEY,
      workspace_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The identity graph: an identifier (type + normalised value) belongs to one customer per workspace.
    await q.query(`CREATE TABLE journey.identifiers (
      workspace_id text NOT NULL,
      type text NOT NULL,
      value text NOT NULL,
      customer_id text NOT NULL REFERENCES journey.customers(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, type, value)
    )`);
    await q.query(`CREATE INDEX identifiers_customer ON journey.identifiers (customer_id)`);
    // The idempotency ledger: one journey start per (workspace, scope, dedupe key), ever.
    await q.query(`CREATE TABLE journey.ledger (
      workspace_id text NOT NULL,
      scope text NOT NULL,
      dedupe_key text NOT NULL,
      source_event_id text NOT NULL,
      output_event_id text NOT NULL,
      -- Set in the same transaction as the claim, once the customer is resolved.
      customer_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, scope, dedupe_key)
    )`);
    // The transactional outbox: journey starts committed with the ledger, published after.
    await q.query(`CREATE TABLE journey.outbox (
      id text PRIMARY KEY,
      topic text NOT NULL,
      key text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`);
    await q.query(`CREATE INDEX outbox_unpublished ON journey.outbox (created_at) WHERE published_at IS NULL`);
    // The event log: one row per event with its latest status and the history of its statuses.
    await q.query(`CREATE TABLE journey.events (
      event_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      trigger_id text,
      status text NOT NULL,
      rank smallint NOT NULL,
      reason text,
      received_at timestamptz NOT NULL,
      delivery_id text,
      mapping_version integer,
      output_event_id text,
      customer_id text,
      history jsonb NOT NULL DEFAULT '[]'::jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX events_trigger_page ON journey.events (trigger_id, received_at DESC, event_id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['events', 'outbox', 'ledger', 'identifiers', 'customers', 'triggers']) await q.query(`DROP TABLE journey.${t}`);
  }
}
