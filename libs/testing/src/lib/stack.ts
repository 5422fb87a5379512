import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { builtServiceEntry, REPO_ROOT } from './environment';
import { waitFor } from './wait';

/** The four services, started from the build as real processes, for end-to-end tests. */
export const SERVICES = ['ingress-gateway', 'schema-discovery', 'mapping', 'journey-trigger'] as const;
export type ServiceName = (typeof SERVICES)[number];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Stack {
  baseUrl: string;
  /** Every topic and consumer group of this stack carries this prefix, so stacks sharing a broker never see each other's events. */
  topicPrefix: string;
  /** The physical name of a canonical topic in this stack. */
  topic(name: string): string;
  adminToken: string;
  env: Record<string, string>;
  logs: Record<ServiceName, string[]>;
  /** Sends a signal to one service and resolves when its process has exited (shutdown tests). */
  signal(service: ServiceName, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the service has exited by itself (a fault injected with HOOKLINE_FAULT_KILL_AFTER_EFFECTS). */
  exited(service: ServiceName): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts a service again after it exited (extraEnv for this run only) and resolves when it is ready. */
  restart(service: ServiceName, extraEnv?: Record<string, string>): Promise<void>;
  /** Another instance of a service in the same consumer groups, on a port of its own: a rebalance. */
  startExtra(service: ServiceName): Promise<ExtraInstance>;
  /** The process id of each running service (benchmarks read their CPU time). */
  pid(service: ServiceName): number | undefined;
  stop(): Promise<void>;
}

export interface ExtraInstance {
  /** SIGTERM: the instance leaves its groups as a scaled-down replica does. */
  stop(): Promise<void>;
}

/** The variable that sets each service's port (the gateway's is PORT). */
const PORT_VARIABLE: Record<ServiceName, string> = {
  'ingress-gateway': 'PORT',
  'schema-discovery': 'SCHEMA_DISCOVERY_PORT',
  mapping: 'MAPPING_PORT',
  'journey-trigger': 'JOURNEY_TRIGGER_PORT',
};

/**
 * What "ready again" means after a restart: the gateway's own readiness (`/ready/self`, the
 * chart's probe), not its view of the whole system, which also waits on every consumer
 * answering its own probe within 1.5 s while they work off a backlog.
 */
const READY_PATH: Record<ServiceName, string> = {
  'ingress-gateway': '/health/ready/self',
  'schema-discovery': '/health/ready',
  mapping: '/health/ready',
  'journey-trigger': '/health/ready',
};

export interface StackOptions {
  kafkaBrokers: string;
  databaseUrl: string;
  services?: readonly ServiceName[];
  extraEnv?: Record<string, string>;
}

// HOOKLINE_TEST_NODE_ARGS: node flags for every service a stack starts, e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`.
const NODE_ARGS = (process.env.HOOKLINE_TEST_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Lines kept per service (the newest); a test that reads all of a run's logs stays below it. */
export const MAX_LOG_LINES = 50_000;

function startProcess(service: ServiceName, env: Record<string, string>, logs: string[]): ChildProcess {
  const child = spawn(process.execPath, [...NODE_ARGS, builtServiceEntry(service)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    // Bounded: a long fault run at warn level must not grow the test process without end.
    if (logs.length > MAX_LOG_LINES) logs.splice(0, logs.length - MAX_LOG_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function deleteTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Runs migrations, starts the services, and waits for the gateway's /health/ready. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const services = options.services ?? SERVICES;
  const [gatewayPort, discoveryPort, mappingPort, journeyPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const adminToken = randomBytes(24).toString('base64url');
  const topicPrefix = `t${randomBytes(5).toString('hex')}.`;
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    HOOKLINE_ADMIN_TOKEN: adminToken,
    HOOKLINE_INTERNAL_TOKEN: randomBytes(24).toString('base64url'),
    HOOKLINE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PUBLIC_BASE_URL: baseUrl,
    PORT: String(gatewayPort),
    SCHEMA_DISCOVERY_PORT: String(discoveryPort),
    MAPPING_PORT: String(mappingPort),
    JOURNEY_TRIGGER_PORT: String(journeyPort),
    SCHEMA_DISCOVERY_URL: `http://127.0.0.1:${discoveryPort}`,
    MAPPING_URL: `http://127.0.0.1:${mappingPort}`,
    JOURNEY_TRIGGER_URL: `http://127.0.0.1:${journeyPort}`,
    LOG_LEVEL: 'warn',
    ...options.extraEnv,
  };
  const logs = Object.fromEntries(SERVICES.map((s) => [s, [] as string[]])) as Record<ServiceName, string[]>;
  // Migrations first, as `npm start` and the Helm hook run them; each service has a schema of
  // its own, so here they run side by side.
  await Promise.all(services.map((service) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [builtServiceEntry(service), 'migrate'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${service} migrate exited ${code}: ${out}`))));
    }),
  ));
  const children = new Map<ServiceName, ChildProcess>(services.map((s) => [s, startProcess(s, env, logs[s])]));
  const extras = new Set<ChildProcess>();
  const exitOf = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve({ code: child.exitCode, signal: child.signalCode }) : child.once('exit', (code, sig) => resolve({ code, signal: sig })),
    );
  const childOf = (service: ServiceName): ChildProcess => {
    const child = children.get(service);
    if (!child) throw new Error(`${service} is not part of this stack`);
    return child;
  };
  // A restart under load on two busy cores can take a while; when it does not come, the error
  // tells why: the last readiness answer (which dependency is down) and the service's last lines.
  const ready = async (service: ServiceName, port: string, what: string) => {
    let last = 'no answer';
    try {
      await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}${READY_PATH[service]}`).catch(() => undefined);
          if (res) last = `${res.status} ${await res.text().catch(() => '')}`;
          return res?.status === 200;
        },
        120_000,
        what,
      );
    } catch (error) {
      throw new Error(`${String(error)}; last ${READY_PATH[service]}: ${last.slice(0, 500)}\n--- ${service}\n${logs[service].slice(-30).join('\n')}`);
    }
  };
  const stack: Stack = {
    baseUrl,
    topicPrefix,
    topic: (name) => `${topicPrefix}${name}`,
    adminToken,
    env,
    logs,
    signal: async (service, signal) => {
      const child = childOf(service);
      const exited = exitOf(child);
      child.kill(signal);
      return exited;
    },
    exited: (service) => exitOf(childOf(service)),
    pid: (service) => children.get(service)?.pid,
    restart: async (service, extraEnv = {}) => {
      const old = childOf(service);
      if (old.exitCode === null && old.signalCode === null) throw new Error(`${service} is still running`);
      children.set(service, startProcess(service, { ...env, ...extraEnv }, logs[service]));
      await ready(service, env[PORT_VARIABLE[service]]!, `${service} ready again`);
    },
    startExtra: async (service) => {
      const port = String(await freePort());
      const child = startProcess(service, { ...env, [PORT_VARIABLE[service]]: port }, logs[service]);
      extras.add(child);
      await ready(service, port, `a second ${service} ready`);
      return {
        stop: async () => {
          await stopProcess(child);
          extras.delete(child);
        },
      };
    },
    stop: async () => {
      await Promise.all([...children.values(), ...extras].map(stopProcess));
      await deleteTopics(options.kafkaBrokers, topicPrefix).catch(() => undefined);
    },
  };
  try {
    await waitFor(
      async () => {
        for (const child of children.values()) if (child.exitCode !== null) throw new Error(`a service exited with ${child.exitCode}`);
        const res = await fetch(`${baseUrl}/health/ready`);
        return res.status === 200;
      },
      90_000,
      'the stack to be ready',
    );
  } catch (error) {
    await stack.stop();
    const tail = services.map((s) => `--- ${s}\n${logs[s].slice(-30).join('\n')}`).join('\n');
    throw new Error(`${String(error)}\n${tail}`);
  }
  return stack;
}
