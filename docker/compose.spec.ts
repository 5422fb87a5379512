// Static checks of docker/compose.yaml (no Docker engine here, so it never runs in CI): the
// images are pinned, Kafka runs in KRaft mode, start-up order waits on health and on the
// migrations, and each service gets an environment that its own config loader accepts and
// that points at the other containers, not at itself. The secrets come from
// docker/compose-secrets.mjs, which these tests run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CALLS, deploymentProblems, loadServiceConfig, PORT_VARIABLE, SERVICE_NAMES, type ServiceName } from '../k8s/testing/service-configs';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string | number | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  volumes?: string[];
  user?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(join(__dirname, 'compose.yaml'), 'utf8'), { merge: true }) as Compose;
const services = compose.services;

/** `${VAR:-default}` and `${VAR}` as Compose resolves them with nothing set in the shell. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

/** The secrets compose-secrets.mjs generates, by running it into a scratch directory. */
function generatedSecrets(dir: string): Record<string, string> {
  execFileSync(process.execPath, [join(__dirname, 'compose-secrets.mjs'), dir], { stdio: 'pipe' });
  const text = readFileSync(join(dir, 'secrets.env'), 'utf8');
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

/** What the container's process sees: compose's environment, then the sourced secrets file. */
function environmentOf(name: string, secrets: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''))]));
  const command = [services[name].command ?? []].flat().join(' ');
  return command.includes('. /state/secrets.env') ? { ...env, ...secrets } : env;
}

describe('docker/compose.yaml', () => {
  let scratch: string;
  let secrets: Record<string, string>;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'hookline-compose-'));
    secrets = generatedSecrets(scratch);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('pins every image it pulls by exact version', () => {
    const pulled = Object.values(services).filter((s) => !s.build).map((s) => s.image ?? '');
    expect(pulled.length).toBeGreaterThan(0);
    for (const image of pulled) expect(image).toMatch(/^[a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$/);
  });

  it('runs the official Apache Kafka 4.1 image in KRaft mode without topic auto-creation', () => {
    const kafka = services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:4\.1\.\d+$/);
    const env = kafka.environment ?? {};
    expect(String(env.KAFKA_PROCESS_ROLES)).toBe('broker,controller');
    expect(Object.keys(env).filter((k) => /ZOOKEEPER/.test(k))).toEqual([]);
    expect(String(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    expect(String(env.KAFKA_CLUSTER_ID ?? env.CLUSTER_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(kafka.healthcheck?.test?.join(' ')).toContain('--bootstrap-server localhost:9092');
  });

  it('builds each service from docker/Dockerfile with its APP, and execs node so it stays PID 1', () => {
    for (const name of SERVICE_NAMES) {
      const s = services[name];
      expect(s.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', args: { APP: name } });
      const command = [s.command ?? []].flat();
      expect(command.slice(0, 2)).toEqual(['sh', '-c']);
      // The shell only sources the secrets, then replaces itself with node.
      expect(command[2]).toMatch(new RegExp(`&& exec node dist/apps/${name}/src/main\\.js$`));
      expect(s.healthcheck?.disable).not.toBe(true);
    }
  });

  it('starts each service after Kafka and Postgres are healthy and the migrations are done', () => {
    for (const name of SERVICE_NAMES) {
      expect(services[name].depends_on).toMatchObject({
        kafka: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services['ingress-gateway'].depends_on).toMatchObject({
      'schema-discovery': { condition: 'service_healthy' },
      mapping: { condition: 'service_healthy' },
      'journey-trigger': { condition: 'service_healthy' },
    });
    for (const [name, s] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect([name, target, target in services]).toEqual([name, target, true]);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect([target, services[target].healthcheck?.disable ?? false]).toEqual([target, false]);
      }
    }
  });

  it('migrates every service, once the secrets exist and Postgres is up', () => {
    const migrate = services.migrate;
    const script = [migrate.command ?? []].flat().join(' ');
    expect(script).toContain('for app in ingress-gateway schema-discovery mapping journey-trigger');
    expect(script).toContain('node dist/apps/$$app/src/main.js migrate || exit 1');
    expect(migrate.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, secrets: { condition: 'service_completed_successfully' } });
    // `migrate` validates each service's whole configuration before it touches the database.
    for (const name of SERVICE_NAMES) {
      const config = loadServiceConfig(name, environmentOf('migrate', secrets));
      expect(new URL(config.databaseUrl).hostname).toBe('postgres');
    }
  });

  it('gives every service a configuration its own loader accepts, pointing at the other containers', () => {
    const problems: string[] = [];
    for (const name of SERVICE_NAMES) {
      const env = environmentOf(name, secrets);
      problems.push(...deploymentProblems(name, env, 'compose.yaml'));
      const config = loadServiceConfig(name, env);
      // Hosts are compose services listening on that port.
      for (const broker of config.kafkaBrokers.split(',')) {
        const [host, port] = broker.split(':');
        expect(host in services && String(services[host].environment?.KAFKA_LISTENERS).includes(`://:${port}`)).toBe(true);
      }
      expect(new URL(config.databaseUrl).hostname).toBe('postgres');
      for (const [variable, target] of Object.entries(CALLS[name]) as [string, ServiceName][]) {
        const url = new URL(config.urls[variable]);
        expect([name, variable, url.hostname]).toEqual([name, variable, target]);
        expect(Number(url.port)).toBe(loadServiceConfig(target, environmentOf(target, secrets)).port);
        expect(environmentOf(target, secrets)[PORT_VARIABLE[target]]).toBe(url.port);
      }
    }
    expect(problems).toEqual([]);
    // One internal token for all four: the gateway's forwarded calls carry it.
    expect(new Set(SERVICE_NAMES.map((n) => loadServiceConfig(n, environmentOf(n, secrets)).internalToken)).size).toBe(1);
  });

  it('publishes the gateway on localhost only, and declares every named volume it mounts', () => {
    expect(services['ingress-gateway'].ports).toEqual(['127.0.0.1:${PUBLIC_PORT:-3000}:3000']);
    for (const s of Object.values(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.')) expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });
});

describe('docker/compose-secrets.mjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates valid secrets once, readable by their owner only, and keeps them on later runs', () => {
    const first = generatedSecrets(dir);
    expect(Object.keys(first).sort()).toEqual(['HOOKLINE_ADMIN_TOKEN', 'HOOKLINE_ENCRYPTION_KEY', 'HOOKLINE_INTERNAL_TOKEN']);
    expect(Buffer.from(first.HOOKLINE_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(first.HOOKLINE_ADMIN_TOKEN).not.toBe(first.HOOKLINE_INTERNAL_TOKEN);
    expect(statSync(join(dir, 'secrets.env')).mode & 0o777).toBe(0o600);
    expect(generatedSecrets(dir)).toEqual(first);
    const other = mkdtempSync(join(tmpdir(), 'hookline-secrets-'));
    try {
      expect(generatedSecrets(other).HOOKLINE_ENCRYPTION_KEY).not.toBe(first.HOOKLINE_ENCRYPTION_KEY);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('lets a value set in its environment win', () => {
    execFileSync(process.execPath, [join(__dirname, 'compose-secrets.mjs'), dir], { env: { ...process.env, HOOKLINE_ADMIN_TOKEN: 'pinned-admin-token-123' }, stdio: 'pipe' });
    expect(readFileSync(join(dir, 'secrets.env'), 'utf8')).toContain('HOOKLINE_ADMIN_TOKEN=pinned-admin-token-123\n');
  });
});
