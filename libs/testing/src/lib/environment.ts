import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * Where the tests find their broker and database. The environment decides: KAFKA_BROKERS
 * and DATABASE_URL when set (CI, a developer's own cluster); otherwise the harness starts a
 * broker of its own from the repo's Kafka jars (scripts/lib/kafka-local.mjs). Each test run
 * gets a database of its own on the Postgres server, dropped at the end.
 */
export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface TestEnvironment {
  kafkaBrokers: string;
  databaseUrl: string;
}

const TEST_BROKER_PORT = 19092;

interface KafkaLocal {
  fetchKafka(o?: object): Promise<void>;
  startKafka(o?: { port?: number; controllerPort?: number; dataDir?: string }): Promise<{ brokers: string; pid: number; stop(): Promise<void> }>;
  stopKafka(o?: { port?: number; dataDir?: string }): Promise<void>;
  killKafka?(o?: { port?: number; dataDir?: string }): Promise<void>;
}

export function kafkaLocal(): KafkaLocal {
  // The script is an ES module shared with `npm start`; Node ≥ 20.19 can require it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(REPO_ROOT, 'scripts/lib/kafka-local.mjs')) as KafkaLocal;
}

export async function setUpTestEnvironment(): Promise<TestEnvironment> {
  if (!process.env.KAFKA_BROKERS) {
    const local = kafkaLocal();
    await local.fetchKafka();
    const broker = await local.startKafka({ port: TEST_BROKER_PORT, dataDir: join(REPO_ROOT, `.kafka/test-${TEST_BROKER_PORT}`) });
    process.env.KAFKA_BROKERS = broker.brokers;
    process.env.HOOKLINE_TEST_STARTED_BROKER = String(TEST_BROKER_PORT);
  }
  if (!process.env.HOOKLINE_TEST_DATABASE_URL) {
    const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = new URL(server);
    const name = `hookline_test_${process.pid}_${Date.now().toString(36)}`;
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    url.pathname = `/${name}`;
    process.env.HOOKLINE_TEST_DATABASE_URL = url.toString();
  }
  return testEnvironment();
}

export function testEnvironment(): TestEnvironment {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const databaseUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (!kafkaBrokers || !databaseUrl) {
    throw new Error('the test environment is not set up: run tests through `npm test` or jest with the integration/e2e projects');
  }
  return { kafkaBrokers, databaseUrl };
}

export async function tearDownTestEnvironment(): Promise<void> {
  const dbUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (dbUrl && process.env.HOOKLINE_TEST_KEEP_DATABASE !== '1') {
    const url = new URL(dbUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
    delete process.env.HOOKLINE_TEST_DATABASE_URL;
  }
  if (process.env.HOOKLINE_TEST_STARTED_BROKER) {
    const port = Number(process.env.HOOKLINE_TEST_STARTED_BROKER);
    await kafkaLocal().stopKafka({ port, dataDir: join(REPO_ROOT, `.kafka/test-${port}`) });
    delete process.env.HOOKLINE_TEST_STARTED_BROKER;
    delete process.env.KAFKA_BROKERS;
  }
}

export function builtServiceEntry(service: string): string {
  const entry = join(REPO_ROOT, 'dist/apps', service, 'src/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
  return entry;
}
