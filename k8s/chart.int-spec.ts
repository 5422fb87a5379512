// CI's proof of the Helm chart without a cluster: `helm lint --strict` and `helm template`
// (helm-java, in one JVM) for the default values, a production-like values file and the
// kubectl manifests' values; every rendered object validated strictly against the Kubernetes
// API schemas; the chart's own rules (security, probes, spreading, disruption budgets, network
// policies, the one base URL); each service's environment loaded with its own config loader;
// and values that must be refused at install.
// Integration project: it starts a JVM (about 3 s).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CHART, helm, type HelmJob, type HelmResult, objectsOf, REPO_ROOT, runNode } from './testing/helm';
import { type KubeObject, schemaProblems } from './testing/kube-schemas';
import { CALLS, deploymentProblems, loadServiceConfig, PORT_VARIABLE, SERVICE_NAMES, type ServiceName } from './testing/service-configs';

// helm-java's own default is v1.20.0 (a helm binary's is its client-go version), below the chart's kubeVersion.
const KUBE = '1.32.0';
const NS = 'hookline';
const PRODUCTION = join(CHART, 'ci', 'production-values.yaml');
const KUBECTL = join(CHART, 'ci', 'kubectl-values.yaml');

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are walked as plain data */
type Obj = KubeObject & { spec?: any; data?: Record<string, string> };

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** Secrets an operator creates beforehand, with the names and keys the docs give. */
const EXISTING = {
  'hookline-auth': { 'admin-token': randomBytes(24).toString('base64url'), 'internal-token': randomBytes(24).toString('base64url'), 'encryption-key': randomBytes(32).toString('base64') },
  'hookline-database': { 'database-url': 'postgres://hookline:pw@db.internal:5432/hookline' },
};
const KEPT = { 'admin-token': 'kept-admin-token-0123456789', 'internal-token': 'kept-internal-token-0123456789', 'encryption-key': randomBytes(32).toString('base64') };

const template = (extra: Partial<Extract<HelmJob, { command: 'template' }>> = {}): HelmJob => ({ command: 'template', chart: CHART, name: 'hookline', namespace: NS, kubeVersion: KUBE, ...extra });

const GOOD = {
  lintDefault: { command: 'lint', chart: CHART } as HelmJob,
  lintProduction: { command: 'lint', chart: CHART, values: [PRODUCTION] } as HelmJob,
  defaults: template(),
  production: template({ values: [PRODUCTION] }),
  kubectl: template({ values: [KUBECTL] }),
  // The hooks (generated Secret, migration Job) as plain objects: helm-java prints no hooks.
  hooksAsObjects: template({ set: { helmHooks: false } }),
  // A release whose Secret exists already (the stand-in cluster holds it, in namespace "kept").
  kept: template({ namespace: 'kept', set: { helmHooks: false } }),
};
/** Values Helm must refuse, and a part of the message it must give. */
const BAD: Record<string, { set: Record<string, string | number | boolean>; message: RegExp }> = {
  'brokers without a port': { set: { 'kafka.brokers': 'kafka' }, message: /\/kafka\/brokers/ },
  'a misspelt key': { set: { 'mapping.replicas': 3 }, message: /additional properties 'replicas' not allowed/ },
  'an encryption key that is not 32 bytes': { set: { 'auth.encryptionKey': 'c2hvcnQ=' }, message: /\/auth\/encryptionKey/ },
  'a short admin token': { set: { 'auth.adminToken': 'short' }, message: /\/auth\/adminToken/ },
  'a bad topic prefix': { set: { 'kafka.topicPrefix': 'a/b' }, message: /\/kafka\/topicPrefix/ },
  'no database at all': { set: { 'database.url': '' }, message: /\/database/ },
  'an Ingress without a host': { set: { 'ingress.enabled': true, 'ingress.hostname': '' }, message: /\/ingress/ },
  'a privileged container port': { set: { 'ingressGateway.containerPort': 80 }, message: /\/ingressGateway\/containerPort/ },
  'a log level the services do not know': { set: { logLevel: 'trace' }, message: /\/logLevel/ },
  'a grace period shorter than the gateway drain': { set: { 'ingressGateway.terminationGracePeriodSeconds': 10 }, message: /terminationGracePeriodSeconds \(10 s\) must be at least/ },
  'autoscaling below its minimum': { set: { 'mapping.autoscaling.enabled': true, 'mapping.autoscaling.minReplicas': 4, 'mapping.autoscaling.maxReplicas': 2 }, message: /minReplicas \(4\) is above maxReplicas \(2\)/ },
};

let results: Record<string, HelmResult>;
let manifestsCheck: { code: number | null; stderr: string };
const rendered: Record<string, Obj[]> = {};

beforeAll(async () => {
  const names = Object.keys(GOOD);
  const keptSecret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hookline', namespace: 'kept' }, data: Object.fromEntries(Object.entries(KEPT).map(([k, v]) => [k, base64(v)])) } as KubeObject;
  const jobs = [...Object.values(GOOD), ...Object.values(BAD).map(({ set }) => template({ set })), { command: 'lint', chart: CHART, values: [join(CHART, 'ci', 'kubectl-values.yaml')] } as HelmJob];
  // Resolve the jars once (a fresh clone: mvn, about 10 s), then both JVMs at once: the
  // committed manifests' check renders on its own.
  const fetched = await runNode([join(REPO_ROOT, 'scripts', 'helm.mjs'), 'fetch']);
  if (fetched.code !== 0) throw new Error(`could not fetch helm-java:\n${fetched.stderr}`);
  const [answers, check] = await Promise.all([helm(jobs, [keptSecret]), runNode([join(REPO_ROOT, 'scripts', 'helm.mjs'), 'manifests', '--check'])]);
  results = Object.fromEntries([...names, ...Object.keys(BAD).map((b) => `bad: ${b}`), 'lintKubectl'].map((n, i) => [n, answers[i]]));
  manifestsCheck = check;
  for (const name of ['defaults', 'production', 'kubectl', 'hooksAsObjects', 'kept']) {
    if (results[name].ok) rendered[name] = objectsOf(results[name].output) as Obj[];
  }
}, 120_000);

const renderedHooks = () => rendered.hooksAsObjects;
const RENDERS = ['defaults', 'production', 'kubectl', 'hooksAsObjects'] as const;
const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
const component = (o: Obj) => o.metadata.labels?.['app.kubernetes.io/component'];
const podSpec = (o: Obj): any => (o.kind === 'Job' || o.kind === 'Deployment' ? o.spec.template.spec : undefined);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('helm lint --strict', () => {
  it.each(['lintDefault', 'lintProduction', 'lintKubectl'])('%s passes with no warning', (name) => {
    expect(results[name]).toMatchObject({ ok: true });
    expect(results[name].output).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe('helm template', () => {
  it.each(RENDERS)('renders %s', (name) => {
    expect(results[name]).toMatchObject({ ok: true });
    expect(rendered[name].length).toBeGreaterThan(10);
  });

  it.each(RENDERS)('%s: every object is valid against the Kubernetes API schemas, with no unknown field', (name) => {
    expect(rendered[name].flatMap((o) => schemaProblems(o))).toEqual([]);
  });

  it('finds an unknown field, a wrong type and a missing required field (the validator can fail)', () => {
    const deployment = structuredClone(ofKind(rendered.defaults, 'Deployment')[0]);
    deployment.spec.template.spec.containers[0].readinessprobe = deployment.spec.template.spec.containers[0].readinessProbe;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '3000';
    delete deployment.spec.selector;
    const problems = schemaProblems(deployment).join('\n');
    expect(problems).toMatch(/containerPort must be integer|must have required property 'selector'/);
    const typo = structuredClone(ofKind(rendered.defaults, 'Service')[0]);
    (typo.spec as Record<string, unknown>).selectr = typo.spec.selector;
    expect(schemaProblems(typo)).toEqual([`Service/${typo.metadata.name}: unknown field spec.selectr`]);
  });

  it.each(RENDERS)('%s: labels every object the Bitnami way, in the release namespace', (name) => {
    for (const o of rendered[name]) {
      expect([o.kind, o.metadata.labels]).toEqual([o.kind, expect.objectContaining({
        'app.kubernetes.io/name': 'hookline', 'app.kubernetes.io/instance': 'hookline', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/part-of': 'hookline', 'app.kubernetes.io/version': '0.1.0', 'helm.sh/chart': 'hookline-0.1.0',
      })]);
      expect(o.metadata.namespace).toBe(NS);
    }
  });

  it('renders the hooks only as hooks, and as plain objects with helmHooks=false', () => {
    // helm-java prints a release's manifest without its hooks: absent here means "a hook".
    expect(ofKind(rendered.defaults, 'Job')).toEqual([]);
    expect(ofKind(rendered.defaults, 'Secret')).toEqual([]);
    expect(ofKind(rendered.hooksAsObjects, 'Job')).toHaveLength(1);
    expect(ofKind(rendered.hooksAsObjects, 'Secret')).toHaveLength(1);
    for (const o of [...ofKind(rendered.hooksAsObjects, 'Job'), ...ofKind(rendered.hooksAsObjects, 'Secret')]) {
      expect(Object.keys(o.metadata.annotations ?? {}).filter((a) => a.startsWith('helm.sh/hook'))).toEqual([]);
    }
    // Kept on uninstall: the encryption key opens the secrets stored in Postgres.
    expect(ofKind(rendered.hooksAsObjects, 'Secret')[0].metadata.annotations).toMatchObject({ 'helm.sh/resource-policy': 'keep' });
  });
});

describe('the services', () => {
  it.each(RENDERS)('%s: a Deployment per service, running its own entry point as a non-root user on a read-only filesystem', (name) => {
    const deployments = ofKind(rendered[name], 'Deployment');
    expect(deployments.map(component).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const d of deployments) {
      const pod = podSpec(d);
      const [container] = pod.containers;
      expect(pod.containers).toHaveLength(1);
      expect(container.command).toEqual(['node', `dist/apps/${component(d)}/src/main.js`]);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tmp', emptyDir: expect.any(Object) }));
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      expect(pod.automountServiceAccountToken).toBe(false);
    }
  });

  it.each(RENDERS)('%s: probes /health/live and /health/ready (the gateway: /health/ready/self) on the port the service listens on, and drains before it stops', (name) => {
    for (const d of ofKind(rendered[name], 'Deployment')) {
      const service = component(d) as ServiceName;
      const [container] = podSpec(d).containers;
      const port = container.ports.find((p: any) => p.name === 'http').containerPort;
      expect(container.env.find((e: any) => e.name === PORT_VARIABLE[service]).value).toBe(String(port));
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      // The gateway's own readiness: its /health/ready would follow the services behind it.
      expect(container.readinessProbe.httpGet).toEqual({ path: service === 'ingress-gateway' ? '/health/ready/self' : '/health/ready', port: 'http' });
      const sleep = Number(container.lifecycle.preStop.exec.command[1]);
      expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
      expect(sleep).toBeGreaterThan(0);
      const drainMs = Number(container.env.find((e: any) => e.name === 'SHUTDOWN_GRACE_MS')?.value ?? 0);
      expect(podSpec(d).terminationGracePeriodSeconds * 1000).toBeGreaterThan(sleep * 1000 + drainMs);
    }
  });

  it.each(RENDERS)('%s: spreads each service over zones and nodes', (name) => {
    for (const d of ofKind(rendered[name], 'Deployment')) {
      const constraints = podSpec(d).topologySpreadConstraints as any[];
      expect(constraints.length).toBeGreaterThan(0);
      for (const c of constraints) expect(matches(c.labelSelector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      expect(constraints.map((c) => c.topologyKey)).toContain('topology.kubernetes.io/zone');
    }
  });

  it.each(RENDERS)('%s: a Service and a PodDisruptionBudget per Deployment, selecting its pods only', (name) => {
    const objects = rendered[name];
    for (const d of ofKind(objects, 'Deployment')) {
      const labels = d.spec.template.metadata.labels;
      expect(matches(d.spec.selector.matchLabels, labels)).toBe(true);
      const others = ofKind(objects, 'Deployment').filter((x) => x !== d);
      for (const kind of ['Service', 'PodDisruptionBudget']) {
        const selecting = ofKind(objects, kind).filter((o) => matches(o.spec.selector.matchLabels ?? o.spec.selector, labels));
        expect([component(d), kind, selecting.length]).toEqual([component(d), kind, 1]);
        const selector = selecting[0].spec.selector.matchLabels ?? selecting[0].spec.selector;
        expect(others.filter((x) => matches(selector, x.spec.template.metadata.labels))).toEqual([]);
      }
      const service = ofKind(objects, 'Service').find((s) => matches(s.spec.selector, labels));
      expect(service?.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    }
  });

  it('autoscales in production (autoscaling/v2 on the Deployment, which then sets no replicas), and consumers stay within 6 partitions', () => {
    const objects = rendered.production;
    const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
    expect(hpas.map(component).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const hpa of hpas) {
      const target = ofKind(objects, 'Deployment').find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name);
      expect(target).toBeDefined();
      expect(target?.spec.replicas).toBeUndefined();
      expect(hpa.spec.metrics.length).toBeGreaterThan(0);
      if (component(hpa) !== 'ingress-gateway') expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(6);
    }
    expect(ofKind(rendered.defaults, 'HorizontalPodAutoscaler')).toEqual([]);
  });
});

describe('configuration', () => {
  /** The value an env entry resolves to, from the rendered Secrets or the ones an operator creates. */
  function resolveEnv(objects: Obj[], env: any[], where: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of env) {
      if ('value' in e) {
        out[e.name] = String(e.value);
        continue;
      }
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) throw new Error(`${where}: ${e.name} has neither a value nor a secretKeyRef`);
      // The default render's Secret is a hook, which helm-java does not print: take it from
      // the same values rendered with helmHooks=false.
      const rendered = [...ofKind(objects, 'Secret'), ...ofKind(renderedHooks(), 'Secret')].find((s) => s.metadata.name === ref.name);
      const value = rendered?.data?.[ref.key] !== undefined ? Buffer.from(rendered.data[ref.key], 'base64').toString('utf8') : (EXISTING as Record<string, Record<string, string>>)[ref.name]?.[ref.key];
      if (value === undefined && !ref.optional) throw new Error(`${where}: ${e.name} reads Secret ${ref.name} key ${ref.key}, which nothing provides`);
      if (value !== undefined) out[e.name] = value;
    }
    return out;
  }

  const containers = (objects: Obj[]) =>
    [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].flatMap((o) =>
      [...(podSpec(o).initContainers ?? []), ...podSpec(o).containers].map((c: any) => ({
        where: `${o.kind}/${o.metadata.name} container ${c.name}`,
        service: (SERVICE_NAMES as readonly string[]).find((s) => c.command.includes(`dist/apps/${s}/src/main.js`)) as ServiceName,
        env: resolveEnv(objects, c.env, `${o.kind}/${o.metadata.name}`),
        migrate: c.command.includes('migrate'),
      })),
    );

  it.each(RENDERS)('%s: every service and migration gets an environment its own config loader accepts, pointing at no localhost', (name) => {
    const problems: string[] = [];
    for (const c of containers(rendered[name])) {
      expect(c.service).toBeDefined();
      problems.push(...(c.migrate ? [] : deploymentProblems(c.service, c.env, c.where)));
      if (c.migrate) loadServiceConfig(c.service, c.env); // migrate validates the whole configuration
    }
    expect(problems).toEqual([]);
  });

  it.each(RENDERS)('%s: one internal token and one topic prefix for all four services', (name) => {
    const configs = containers(rendered[name]).map((c) => loadServiceConfig(c.service, c.env));
    expect(new Set(configs.map((c) => c.internalToken)).size).toBe(1);
    expect(new Set(configs.map((c) => c.topicPrefix)).size).toBe(1);
  });

  it.each(RENDERS)('%s: the URLs a service calls reach the Service, pods and port of the service they name', (name) => {
    const objects = rendered[name];
    for (const c of containers(objects).filter((x) => !x.migrate)) {
      const config = loadServiceConfig(c.service, c.env);
      for (const [variable, target] of Object.entries(CALLS[c.service]) as [string, ServiceName][]) {
        const url = new URL(config.urls[variable]);
        const [serviceName, namespace] = url.hostname.split('.');
        const service = ofKind(objects, 'Service').find((s) => s.metadata.name === serviceName && s.metadata.namespace === namespace);
        expect([c.where, variable, service?.metadata.name]).toEqual([c.where, variable, `hookline-${target}`]);
        const servicePort = service?.spec.ports.find((p: any) => p.port === Number(url.port));
        expect(servicePort).toBeDefined();
        const pods = ofKind(objects, 'Deployment').find((d) => matches(service?.spec.selector, d.spec.template.metadata.labels));
        expect(component(pods as Obj)).toBe(target);
        const listening = loadServiceConfig(target, containers(objects).find((x) => x.service === target && !x.migrate)?.env ?? {}).port;
        expect(podSpec(pods as Obj).containers[0].ports.find((p: any) => p.name === servicePort.targetPort).containerPort).toBe(listening);
      }
    }
  });

  it('production: the gateway builds trigger URLs from the public base URL', () => {
    const gateway = containers(rendered.production).find((c) => c.service === 'ingress-gateway' && !c.migrate);
    expect(gateway?.env.PUBLIC_BASE_URL).toBe('https://hooks.example.com');
  });

  it('generates the tokens and a valid encryption key when no Secret is named, and keeps the ones a release already has', () => {
    const [secret] = ofKind(rendered.hooksAsObjects, 'Secret');
    const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(data['admin-token']).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(data['internal-token']).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(data['admin-token']).not.toBe(data['internal-token']);
    expect(Buffer.from(data['encryption-key'], 'base64')).toHaveLength(32);
    expect(data['database-url']).toBe('postgres://postgres@postgresql:5432/hookline');
    const [kept] = ofKind(rendered.kept, 'Secret');
    const keptData = Object.fromEntries(Object.entries(kept.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(keptData).toMatchObject(KEPT);
  });

  it('production and kubectl: reads every secret from the Secrets named, with the documented keys, and renders none', () => {
    for (const name of ['production', 'kubectl']) {
      expect(ofKind(rendered[name], 'Secret')).toEqual([]);
      const refs = [...ofKind(rendered[name], 'Deployment'), ...ofKind(rendered[name], 'Job')]
        .flatMap((o) => [...(podSpec(o).initContainers ?? []), ...podSpec(o).containers])
        .flatMap((c: any) => c.env.map((e: any) => e.valueFrom?.secretKeyRef).filter(Boolean))
        .map((r: any) => `${r.name}/${r.key}${r.optional ? '?' : ''}`);
      expect([...new Set(refs)].sort()).toEqual(['hookline-auth/admin-token', 'hookline-auth/encryption-key', 'hookline-auth/encryption-previous-keys?', 'hookline-auth/internal-token', 'hookline-database/database-url']);
    }
  });
});

describe('the migration Job', () => {
  it('runs every service\'s migrate in turn, each from its own image, the gateway last', () => {
    const [job] = ofKind(rendered.hooksAsObjects, 'Job');
    const pod = podSpec(job);
    const order = [...pod.initContainers, ...pod.containers].map((c: any) => c.command.join(' '));
    expect(order).toEqual(['schema-discovery', 'mapping', 'journey-trigger', 'ingress-gateway'].map((s) => `node dist/apps/${s}/src/main.js migrate`));
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toBe(`hookline/${c.name.replace(/^migrate-/, '')}:0.1.0`);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
    expect(pod.restartPolicy).toBe('Never');
  });
});

describe('networking', () => {
  it('routes the public paths, and only them, to the gateway (which forwards the rest with the internal token)', () => {
    const [ingress] = ofKind(rendered.production, 'Ingress');
    const gateway = ofKind(rendered.production, 'Service').find((s) => s.metadata.name === 'hookline-ingress-gateway');
    const paths = ingress.spec.rules[0].http.paths as any[];
    expect(paths.map((p) => p.path)).toEqual(expect.arrayContaining(['/hooks', '/v1', '/console']));
    expect(paths.map((p) => p.path).filter((p) => /^\/(metrics|health)/.test(p) || p === '/')).toEqual([]);
    for (const p of paths) expect(p.backend.service).toEqual({ name: gateway?.metadata.name, port: { name: 'http' } });
    expect(ingress.spec.rules[0].host).toBe('hooks.example.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['hooks.example.com'], secretName: 'hookline-tls' }]);
    expect(ofKind(rendered.defaults, 'Ingress')).toEqual([]);
  });

  it.each(['defaults', 'production'] as const)('%s: lets only the gateway be reached from outside, each internal service only from its callers', (name) => {
    const objects = rendered[name];
    const policies = ofKind(objects, 'NetworkPolicy');
    const deployments = ofKind(objects, 'Deployment');
    const policyOf = (service: string) => {
      const labels = deployments.find((d) => component(d) === service)?.spec.template.metadata.labels;
      const selecting = policies.filter((p) => matches(p.spec.podSelector.matchLabels, labels));
      expect([service, selecting.length]).toEqual([service, 1]);
      return selecting[0];
    };
    const callersOf = (target: ServiceName) => SERVICE_NAMES.filter((s) => Object.values(CALLS[s]).includes(target));
    for (const service of SERVICE_NAMES) {
      const policy = policyOf(service);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const metrics = name === 'production' ? 1 : 0; // metricsFrom: one more rule for Prometheus
      const rules = policy.spec.ingress as any[];
      expect(rules).toHaveLength(1 + metrics);
      if (service === 'ingress-gateway') {
        if (name === 'production') expect(rules[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
        else expect(rules[0].from).toBeUndefined(); // the public edge: anyone
      } else {
        const from = (rules[0].from as any[]).map((peer) => deployments.filter((d) => matches(peer.podSelector.matchLabels, d.spec.template.metadata.labels)).map(component)).flat();
        expect(from.sort()).toEqual(callersOf(service).sort());
        for (const peer of rules[0].from) expect(peer.namespaceSelector).toBeUndefined();
      }
      // Out: DNS, Kafka's port, Postgres's port, and the services it calls.
      const egressPorts = (policy.spec.egress as any[]).flatMap((r) => r.ports.map((p: any) => p.port));
      expect(egressPorts).toEqual(expect.arrayContaining([53, 9092, 5432]));
      for (const target of Object.values(CALLS[service]) as ServiceName[]) {
        const port = podSpec(deployments.find((d) => component(d) === target) as Obj).containers[0].ports[0].containerPort;
        expect(egressPorts).toContain(port);
      }
    }
  });

  it('scrapes /metrics of every service with an optional ServiceMonitor', () => {
    expect(ofKind(rendered.defaults, 'ServiceMonitor')).toEqual([]);
    const [monitor] = ofKind(rendered.production, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics', interval: '15s' })]);
    const scraped = ofKind(rendered.production, 'Service').filter((s) =>
      matches(monitor.spec.selector.matchLabels, s.metadata.labels) &&
      monitor.spec.selector.matchExpressions.every((e: any) => e.values.includes(s.metadata.labels?.[e.key])));
    expect(scraped.map(component).sort()).toEqual([...SERVICE_NAMES].sort());
  });
});

describe('bad values', () => {
  it.each(Object.entries(BAD))('refuses %s', (name, { message }) => {
    const result = results[`bad: ${name}`];
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(message);
  });
});

describe('k8s/manifests', () => {
  it('is what the chart renders today (npm run k8s:manifests)', () => {
    expect([manifestsCheck.code, manifestsCheck.stderr.trim()]).toEqual([0, '[helm] k8s/manifests is up to date']);
  });
});
