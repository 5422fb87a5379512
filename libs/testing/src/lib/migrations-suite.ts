// A service's migrations on the real Postgres, in a database of the test file's own:
// applying, re-applying and undoing them there cannot disturb the schema other test files
// work in. Every service's migrations.int-spec.ts runs these same checks.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from './environment';

/** The service's own migrate step (@hookline/persistence's `migrate`), passed in so testing does not depend on persistence. */
export type MigrateFn = (dataSource: DataSource, schema: string) => Promise<string[]>;

/** information_schema's name for each column type our entities use. */
const POSTGRES_TYPE: Record<string, string> = { text: 'text', integer: 'integer', jsonb: 'jsonb', timestamptz: 'timestamp with time zone' };

export function describeServiceMigrations(service: string, schema: string, dataSourceFor: (url: string) => DataSource, migrate: MigrateFn, options: { checkEntities: boolean }): void {
  describe(`${service} migrations (real Postgres)`, () => {
    let url: string;
    let sut: DataSource;

    const tablesIn = async (inSchema: string) =>
      ((await sut.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [inSchema])) as Array<{ table_name: string }>).map((r) => r.table_name);
    const appliedNames = async () => ((await sut.query(`SELECT name FROM "${schema}".migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name);
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
          [schema],
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
          [schema],
        )) as Array<{ name: string }>
      ).map((r) => r.name);

    beforeAll(async () => {
      url = await createTestDatabase(`${schema}_migrations_${randomBytes(4).toString('hex')}`);
      sut = dataSourceFor(url);
    });

    afterAll(async () => {
      if (sut?.isInitialized) await sut.destroy();
      if (url) await dropTestDatabase(url);
    });

    it(`applies every migration, in order, into the "${schema}" schema only, and a second run applies nothing`, async () => {
      const first = await migrate(sut, schema);
      const second = await migrate(sut, schema);

      expect(first).toEqual(sut.migrations.map((m) => m.name));
      expect(first.length).toBeGreaterThan(0);
      expect(second).toEqual([]);
      expect(await appliedNames()).toEqual(first);
      expect((await tablesIn(schema)).filter((t) => t !== 'migrations').length).toBeGreaterThan(0);
      expect(await tablesIn('public')).toEqual([]);
    });

    // journey-trigger works in plain SQL and maps no entities: it has nothing to compare.
    if (options.checkEntities) it('has every column its entities map, with the same type and nullability', async () => {
      await migrate(sut, schema);
      const rows = (await sut.query('SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1', [schema])) as Array<{
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
      await migrate(sut, schema);
      const before = await describeSchema();

      for (let i = 0; i < sut.migrations.length; i++) await sut.undoLastMigration({ transaction: 'each' });

      expect(await appliedNames()).toEqual([]);
      expect(await leftovers()).toEqual([]);
      expect(await migrate(sut, schema)).toEqual(sut.migrations.map((m) => m.name));
      expect(await describeSchema()).toEqual(before);
    });
  });
}
