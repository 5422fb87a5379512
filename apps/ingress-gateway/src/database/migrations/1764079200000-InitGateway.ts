import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitGateway1764079200000 implements MigrationInterface {
  name = 'InitGateway1764079200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE gateway.workspaces (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE gateway.api_keys (
      id text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES gateway.workspaces(id) ON DELETE CASCADE,
      key_hash text NOT NULL UNIQUE,
      key_prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await q.query(`CREATE TABLE gateway.triggers (
      id text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES gateway.workspaces(id) ON DELETE CASCADE,
      flow_id text NOT NULL,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('listening', 'live', 'paused')),
      token_hash text NOT NULL,
      verification_scheme text NOT NULL DEFAULT 'none',
      unknown_customer text NOT NULL DEFAULT 'create' CHECK (unknown_customer IN ('create', 'park', 'skip')),
      limits jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted_at timestamptz
    )`);
    await q.query(`CREATE INDEX triggers_workspace_page ON gateway.triggers (workspace_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE gateway.triggers');
    await q.query('DROP TABLE gateway.api_keys');
    await q.query('DROP TABLE gateway.workspaces');
  }
}
