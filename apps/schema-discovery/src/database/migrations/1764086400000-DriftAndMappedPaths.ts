import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DriftAndMappedPaths1764086400000 implements MigrationInterface {
  name = 'DriftAndMappedPaths1764086400000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (trigger, kind, path): when it was first and last seen, and how often.
    await q.query(`CREATE TABLE discovery.drift (
      trigger_id text NOT NULL,
      workspace_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('field_added', 'field_removed', 'type_changed')),
      path text NOT NULL,
      types_before jsonb NOT NULL,
      types_after jsonb NOT NULL,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      occurrences integer NOT NULL DEFAULT 1,
      first_event_id text NOT NULL,
      PRIMARY KEY (trigger_id, kind, path)
    )`);
    // The paths the trigger's current mapping reads (from the compacted trigger-mapping topic).
    await q.query(`CREATE TABLE discovery.mapped_paths (
      trigger_id text PRIMARY KEY,
      workspace_id text NOT NULL,
      mapping_version integer NOT NULL,
      paths jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE discovery.mapped_paths');
    await q.query('DROP TABLE discovery.drift');
  }
}
