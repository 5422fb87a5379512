// ensureDatabase and migrate() on the real Postgres server, each test in a database of its
// own (so undoing migrations here cannot touch the schemas other test files work in).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { testEnvironment } from '@hookline/testing';
import { createServiceDataSource, ensureDatabase, migrate } from './data-source';

const { databaseUrl } = testEnvironment();
const SCHEMA = 'persistence_spec';

/** A URL on the test server for a database that does not exist yet, named after the run's database. */
function scratchDatabaseUrl(label: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${url.pathname.slice(1)}_${label}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

async function onServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);
const databaseExists = (url: string) => onServer(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName(url)])).rowCount === 1);
const dropDatabase = (url: string) => onServer((c) => c.query(`DROP DATABASE IF EXISTS "${databaseName(url)}" WITH (FORCE)`));

class CreateWidgets1700000000001 implements MigrationInterface {
  name = 'CreateWidgets1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${SCHEMA}.widgets (id text PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.widgets`);
  }
}

class CreateGadgets1700000000002 implements MigrationInterface {
  name = 'CreateGadgets1700000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${SCHEMA}.gadgets (id text PRIMARY KEY, widget_id text NOT NULL REFERENCES ${SCHEMA}.widgets(id))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.gadgets`);
  }
}

/** Creates a table, then fails: with a transaction per migration, neither the table nor the record may remain. */
class BrokenHalfway1700000000003 implements MigrationInterface {
  name = 'BrokenHalfway1700000000003';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${SCHEMA}.half_done (id text PRIMARY KEY)`);
    await q.query(`ALTER TABLE ${SCHEMA}.no_such_table ADD COLUMN x int`);
  }
  async down(): Promise<void> {
    // never applied
  }
}

describe('ensureDatabase (real Postgres)', () => {
  const created: string[] = [];

  afterAll(async () => {
    for (const url of created) await dropDatabase(url);
  });

  it('creates a database that is missing, and a second call changes nothing', async () => {
    const url = scratchDatabaseUrl('ensure');
    created.push(url);
    expect(await databaseExists(url)).toBe(false);

    await ensureDatabase(url);
    await ensureDatabase(url);

    expect(await databaseExists(url)).toBe(true);
    const client = new Client({ connectionString: url });
    await client.connect();
    const [{ current_database }] = (await client.query('SELECT current_database()')).rows as Array<{ current_database: string }>;
    await client.end();
    expect(current_database).toBe(databaseName(url));
  });

  it('lets several services create the same database at the same moment', async () => {
    const url = scratchDatabaseUrl('race');
    created.push(url);

    await Promise.all([1, 2, 3, 4].map(() => ensureDatabase(url)));

    expect(await databaseExists(url)).toBe(true);
  });

  it('refuses a database name that would need quoting, and creates nothing', async () => {
    // Harmless if the check ever went missing: a dotted name, dropped after like the others.
    const url = scratchDatabaseUrl('dotted.name');
    created.push(url);

    await expect(ensureDatabase(url)).rejects.toThrow(/refusing to create a database/);
    expect(await databaseExists(url)).toBe(false);
  });
});

describe('migrate (real Postgres)', () => {
  let url: string;
  let sut: DataSource;
  const tablesIn = async (schema: string) =>
    ((await sut.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema])) as Array<{ table_name: string }>).map((r) => r.table_name);

  beforeAll(async () => {
    url = scratchDatabaseUrl('migrate');
    await ensureDatabase(url);
  });

  afterEach(async () => {
    if (sut?.isInitialized) await sut.destroy();
  });

  afterAll(async () => {
    await dropDatabase(url);
  });

  const dataSource = (migrations: Array<new () => MigrationInterface>) => createServiceDataSource({ url, schema: SCHEMA, entities: [], migrations, poolSize: 2 });

  it('creates the schema, applies the pending migrations in order into it, and then applies nothing', async () => {
    sut = dataSource([CreateWidgets1700000000001, CreateGadgets1700000000002]);

    const first = await migrate(sut, SCHEMA);
    const second = await migrate(sut, SCHEMA);

    expect(first).toEqual(['CreateWidgets1700000000001', 'CreateGadgets1700000000002']);
    expect(second).toEqual([]);
    // The migrations table lives in the service's schema, not in public.
    expect(await tablesIn(SCHEMA)).toEqual(['gadgets', 'migrations', 'widgets']);
    expect(await tablesIn('public')).toEqual([]);
  });

  it('undoes the last migration only, and applies it again on the next run', async () => {
    sut = dataSource([CreateWidgets1700000000001, CreateGadgets1700000000002]);
    await migrate(sut, SCHEMA);

    await sut.undoLastMigration({ transaction: 'each' });

    expect(await tablesIn(SCHEMA)).toEqual(['migrations', 'widgets']);
    expect(((await sut.query(`SELECT name FROM ${SCHEMA}.migrations`)) as Array<{ name: string }>).map((r) => r.name)).toEqual(['CreateWidgets1700000000001']);
    expect(await migrate(sut, SCHEMA)).toEqual(['CreateGadgets1700000000002']);
  });

  it('rolls back a migration that fails halfway, keeping the ones before it', async () => {
    sut = dataSource([CreateWidgets1700000000001, CreateGadgets1700000000002, BrokenHalfway1700000000003]);
    // TypeORM logs the failing query to the console: expected here, so kept out of the output.
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    await expect(migrate(sut, SCHEMA)).rejects.toThrow(/no_such_table/).finally(() => quiet.mockRestore());

    expect(await tablesIn(SCHEMA)).toEqual(['gadgets', 'migrations', 'widgets']);
    expect(((await sut.query(`SELECT name FROM ${SCHEMA}.migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name)).toEqual([
      'CreateWidgets1700000000001',
      'CreateGadgets1700000000002',
    ]);
  });
});
