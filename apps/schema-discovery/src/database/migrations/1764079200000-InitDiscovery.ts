import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitDiscovery1764079200000 implements MigrationInterface {
  name = 'InitDiscovery1764079200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE discovery.samples (
      id text PRIMARY KEY,
      workspace_id text NOT NULL,
      trigger_id text NOT NULL,
      received_at timestamptz NOT NULL,
      content_type text NOT NULL,
      body_bytes integer NOT NULL,
      body text,
      headers jsonb NOT NULL,
      query jsonb NOT NULL
    )`);
    await q.query(`CREATE INDEX samples_trigger_recent ON discovery.samples (trigger_id, received_at DESC, id DESC)`);
    await q.query(`CREATE TABLE discovery.trigger_profiles (
      trigger_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      profile jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE discovery.trigger_profiles');
    await q.query('DROP TABLE discovery.samples');
  }
}
