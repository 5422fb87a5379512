import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

export interface KafkaLocalOptions {
  port?: number;
  controllerPort?: number;
  dataDir?: string;
}

/** One node of a cluster started with startCluster. */
export interface KafkaNode {
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  pid: number;
}

/**
 * The repo's local broker (scripts/kafka-local.mjs), driven through its CLI: the script is
 * an ES module shared with `npm start`, which Jest's CommonJS sandbox cannot load.
 */
export interface KafkaLocal {
  fetchKafka(): Promise<void>;
  startKafka(o?: KafkaLocalOptions): Promise<{ brokers: string; stop(): Promise<void> }>;
  stopKafka(o?: KafkaLocalOptions): Promise<void>;
  killKafka(o?: KafkaLocalOptions): Promise<void>;
  /** The broker's pid from its data directory (for SIGSTOP / SIGCONT). */
  pidOf(dataDir: string): number;
  /** A cluster of `nodes` brokers in `dataDir` (replication 3, min.insync.replicas 2). */
  startCluster(dataDir: string, nodes?: number): Promise<{ brokers: string; nodes: KafkaNode[] }>;
  /** Starts node `nodeId` of the cluster in `dataDir` again, after it was killed. */
  startNode(dataDir: string, nodeId: number): Promise<KafkaNode>;
  stopCluster(dataDir: string): Promise<void>;
}

function runKafkaCli(command: string, o: KafkaLocalOptions & { nodes?: number; node?: number } = {}): Promise<string> {
  const args = [join(REPO_ROOT, 'scripts/kafka-local.mjs'), command];
  if (o.port) args.push('--port', String(o.port));
  if (o.controllerPort) args.push('--controller-port', String(o.controllerPort));
  if (o.dataDir) args.push('--data-dir', o.dataDir);
  if (o.nodes) args.push('--nodes', String(o.nodes));
  if (o.node) args.push('--node', String(o.node));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka-local ${command} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export function kafkaLocal(): KafkaLocal {
  const local: KafkaLocal = {
    fetchKafka: async () => void (await runKafkaCli('fetch')),
    startKafka: async (o = {}) => {
      const out = await runKafkaCli('start', o);
      const brokers = /KAFKA_BROKERS=(\S+)/.exec(out)?.[1];
      if (!brokers) throw new Error(`kafka-local start printed no broker address: ${out}`);
      return { brokers, stop: () => local.stopKafka(o) };
    },
    stopKafka: async (o = {}) => void (await runKafkaCli('stop', o)),
    killKafka: async (o = {}) => void (await runKafkaCli('kill', o)),
    pidOf: (dataDir) => Number.parseInt(readFileSync(join(dataDir, 'kafka.pid'), 'utf8'), 10),
    startCluster: async (dataDir, nodes = 3) => {
      const out = await runKafkaCli('start-cluster', { dataDir, nodes });
      const brokers = /KAFKA_BROKERS=(\S+)/.exec(out)?.[1];
      const cluster = /KAFKA_CLUSTER=(.+)/.exec(out)?.[1];
      if (!brokers || !cluster) throw new Error(`kafka-local start-cluster printed no cluster: ${out}`);
      return { brokers, nodes: JSON.parse(cluster) as KafkaNode[] };
    },
    startNode: async (dataDir, nodeId) => {
      const out = await runKafkaCli('start-node', { dataDir, node: nodeId });
      const node = /KAFKA_NODE=(.+)/.exec(out)?.[1];
      if (!node) throw new Error(`kafka-local start-node printed no node: ${out}`);
      return JSON.parse(node) as KafkaNode;
    },
    stopCluster: async (dataDir) => void (await runKafkaCli('stop-cluster', { dataDir })),
  };
  return local;
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

/**
 * A database of a test's own on the test server (for a stack that runs its own
 * migrations, which must not race another stack's). Dropped by dropTestDatabase.
 */
export async function createTestDatabase(label: string): Promise<string> {
  const url = new URL(testEnvironment().databaseUrl);
  const name = `${url.pathname.slice(1)}_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`.slice(0, 63);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function builtServiceEntry(service: string): string {
  const entry = join(REPO_ROOT, 'dist/apps', service, 'src/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
  return entry;
}
