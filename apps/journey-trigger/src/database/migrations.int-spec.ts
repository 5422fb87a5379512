// journey-trigger's migrations on the real Postgres, in a database of this file's own: applying,
// re-applying and undoing them here cannot disturb the schema other test files work in.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { testEnvironment } from '@hookline/testing';
import { journeyDataSource, JOURNEY_SCHEMA } from './data-source';

describe('journey-trigger migrations (real Postgres)', () => {
  let url: string;
  let sut: DataSource;

  const tablesIn = async (schema: string) =>
    ((await sut.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])) as Array<{ table_name: string }>).map((r) => r.table_name);
  const appliedNames = async () => ((await sut.query(`SELECT name FROM "${JOURNEY_SCHEMA}".migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name);
  /** Every column, index and constraint of the schema, one line each: what a migration round trip must reproduce. */
  const describeSchema = async () =>
    (
      (await sut.query(
        `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
           FROM information_schema.columns WHERE table_schema = $1
         UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = $1
         UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(c.oid)
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1
         ORDER BY 1`,
        [JOURNEY_SCHEMA],
      )) as Array<{ line: string }>
    ).map((r) => r.line);
  /** Relations (tables, indexes, sequences, views) and enum/domain types in the schema, except TypeORM's migrations table. */
  const leftovers = async () =>
    (
      (await sut.query(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname NOT LIKE 'migrations%'
           AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid AND t.relname = 'migrations')
         UNION ALL
         SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r')`,
        [JOURNEY_SCHEMA],
      )) as Array<{ name: string }>
    ).map((r) => r.name);

  beforeAll(async () => {
    const server = new URL(testEnvironment().databaseUrl);
    server.pathname = `${server.pathname}_journey_${randomBytes(4).toString('hex')}`;
    url = server.toString();
    await ensureDatabase(url);
    sut = journeyDataSource(url);
  });

  afterAll(async () => {
    if (sut?.isInitialized) await sut.destroy();
    const admin = new URL(url);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it('applies every migration, in order, into the "journey" schema only, and a second run applies nothing', async () => {
    const first = await migrate(sut, JOURNEY_SCHEMA);
    const second = await migrate(sut, JOURNEY_SCHEMA);

    expect(first).toEqual(sut.migrations.map((m) => m.name));
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
    expect(await appliedNames()).toEqual(first);
    expect((await tablesIn(JOURNEY_SCHEMA)).filter((t) => t !== 'migrations').length).toBeGreaterThan(0);
    expect(await tablesIn('public')).toEqual([]);
  });

  it('undoes every migration cleanly, leaving nothing behind, and applies them again to the very same schema', async () => {
    await migrate(sut, JOURNEY_SCHEMA);
    const before = await describeSchema();

    for (let i = 0; i < sut.migrations.length; i++) await sut.undoLastMigration({ transaction: 'each' });

    expect(await appliedNames()).toEqual([]);
    expect(await leftovers()).toEqual([]);
    expect(await migrate(sut, JOURNEY_SCHEMA)).toEqual(sut.migrations.map((m) => m.name));
    expect(await describeSchema()).toEqual(before);
  });
});
