// schema-discovery's migrations on the real Postgres, in a database of this file's own: applying,
// re-applying and undoing them here cannot disturb the schema other test files work in.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ensureDatabase, migrate } from '@hookline/persistence';
import { testEnvironment } from '@hookline/testing';
import { discoveryDataSource, DISCOVERY_SCHEMA } from './data-source';

/** information_schema's name for each column type our entities use. */
const POSTGRES_TYPE: Record<string, string> = { text: 'text', integer: 'integer', jsonb: 'jsonb', timestamptz: 'timestamp with time zone' };

describe('schema-discovery migrations (real Postgres)', () => {
  let url: string;
  let sut: DataSource;

  const tablesIn = async (schema: string) =>
    ((await sut.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])) as Array<{ table_name: string }>).map((r) => r.table_name);
  const appliedNames = async () => ((await sut.query(`SELECT name FROM "${DISCOVERY_SCHEMA}".migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name);
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
        [DISCOVERY_SCHEMA],
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
        [DISCOVERY_SCHEMA],
      )) as Array<{ name: string }>
    ).map((r) => r.name);

  beforeAll(async () => {
    const server = new URL(testEnvironment().databaseUrl);
    server.pathname = `${server.pathname}_discovery_${randomBytes(4).toString('hex')}`;
    url = server.toString();
    await ensureDatabase(url);
    sut = discoveryDataSource(url);
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

  it('applies every migration, in order, into the "discovery" schema only, and a second run applies nothing', async () => {
    const first = await migrate(sut, DISCOVERY_SCHEMA);
    const second = await migrate(sut, DISCOVERY_SCHEMA);

    expect(first).toEqual(sut.migrations.map((m) => m.name));
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
    expect(await appliedNames()).toEqual(first);
    expect((await tablesIn(DISCOVERY_SCHEMA)).filter((t) => t !== 'migrations').length).toBeGreaterThan(0);
    expect(await tablesIn('public')).toEqual([]);
  });

  it('has every column its entities map, with the same type and nullability', async () => {
    await migrate(sut, DISCOVERY_SCHEMA);
    const rows = (await sut.query('SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1', [DISCOVERY_SCHEMA])) as Array<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: 'YES' | 'NO';
    }>;
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, { type: r.data_type, nullable: r.is_nullable === 'YES' }]));

    const mapped = sut.entityMetadatas.flatMap((entity) =>
      entity.columns.map((c) => ({ column: `${entity.tableName}.${c.databaseName}`, type: POSTGRES_TYPE[String(c.type)] ?? String(c.type), nullable: c.isNullable })),
    );

    expect(mapped.length).toBeGreaterThan(0);
    expect(mapped.map((m) => ({ column: m.column, ...actual.get(m.column) }))).toEqual(mapped);
  });

  it('undoes every migration cleanly, leaving nothing behind, and applies them again to the very same schema', async () => {
    await migrate(sut, DISCOVERY_SCHEMA);
    const before = await describeSchema();

    for (let i = 0; i < sut.migrations.length; i++) await sut.undoLastMigration({ transaction: 'each' });

    expect(await appliedNames()).toEqual([]);
    expect(await leftovers()).toEqual([]);
    expect(await migrate(sut, DISCOVERY_SCHEMA)).toEqual(sut.migrations.map((m) => m.name));
    expect(await describeSchema()).toEqual(before);
  });
});
