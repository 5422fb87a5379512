import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitMapping1764079200000 implements MigrationInterface {
  name = 'InitMapping1764079200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE mapping.mappings (
      trigger_id text NOT NULL,
      version integer NOT NULL,
      workspace_id text NOT NULL,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (trigger_id, version)
    )`);
    await q.query(`CREATE TABLE mapping.trigger_catalogs (
      trigger_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      variables jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mapping.trigger_catalogs');
    await q.query('DROP TABLE mapping.mappings');
  }
}
