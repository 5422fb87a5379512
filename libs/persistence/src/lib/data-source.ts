import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';

/**
 * TypeORM's lines through the service's logger (JSON), and never a query's parameters: they
 * hold payload bodies, identifiers and hashes. The query text is parameterised, so it is kept.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ msg: `query failed: ${error instanceof Error ? error.message : error}`, query: query.slice(0, 500) });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: `slow query: ${time} ms`, query: query.slice(0, 500) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

/**
 * Each service owns one Postgres schema and reaches it through one TypeORM data source.
 * Schema changes only through migrations: `synchronize` stays off everywhere but in tests
 * that ask for it explicitly.
 */
export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own Postgres schema (bounded context), e.g. "gateway". */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new DatabaseLogger(),
    applicationName: options.applicationName ?? `hookline-${options.schema}`,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  };
  return new DataSource(config);
}

/** Creates the database named in the URL when it is missing (development and tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(database)) throw new Error(`refusing to create a database named ${JSON.stringify(database)}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } catch (error) {
        // Created meanwhile by another service starting at the same moment: 42P04 when it
        // committed first, 23505 (pg_database_datname_index) when both were creating it.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** Creates the service's schema and applies its pending migrations; returns their names. */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
