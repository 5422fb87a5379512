// Helm without a helm binary or a cluster: helm-java (Helm 3.21 as a native library, from
// Maven Central) driven by scripts/helm/Helm.java, for CI's chart checks and for rendering
// k8s/manifests. The jars are resolved with mvn into .helm/lib (git-ignored), like the
// Kafka broker's (scripts/lib/kafka-local.mjs).
//
// Two gaps of helm-java's `template`, and what this module does about them:
// - It renders like `helm install --dry-run` and so answers the chart's `lookup` calls from a
//   cluster (plain `helm template` returns "nothing found" without one). runHelm serves it a
//   stand-in Kubernetes API on 127.0.0.1 that knows only the objects it is given (none by
//   default: "not found", as `helm template` sees it).
// - It prints the release's manifest but not its hooks. The chart renders its hooks (the
//   migration Job, the generated Secret) as plain objects with helmHooks=false, which is
//   how the checks and the kubectl manifests see them.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
const POM = path.join(REPO_ROOT, 'scripts', 'helm', 'pom.xml');
const RUNNER = path.join(REPO_ROOT, 'scripts', 'helm', 'Helm.java');
const DEFAULT_HOME = path.join(REPO_ROOT, '.helm');
const MARKER = '.complete';

const log = (msg) => process.stderr.write(`[helm-local] ${msg}\n`);

/**
 * Resolve helm-java's jars into `<home>/lib` (skipped when already complete). Same scheme as
 * fetchKafka: mvn copies into a temporary directory, which gets a marker and is renamed.
 */
export async function fetchHelm({ home = DEFAULT_HOME } = {}) {
  const lib = path.join(home, 'lib');
  if (fs.existsSync(path.join(lib, MARKER))) return lib;
  fs.rmSync(lib, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(home, 'lib.tmp-'));
  const started = Date.now();
  log(`resolving helm-java from Maven Central into ${lib} ...`);
  try {
    await run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`, '-DincludeScope=runtime']);
    const jars = fs.readdirSync(tmp).filter((f) => f.endsWith('.jar'));
    if (!jars.some((f) => /^helm-java-.*\.jar$/.test(f))) throw new Error(`mvn left no helm-java jar in ${tmp}`);
    fs.writeFileSync(path.join(tmp, MARKER), `${jars.length} jars\n`);
    try {
      fs.renameSync(tmp, lib);
    } catch (err) {
      if (!fs.existsSync(path.join(lib, MARKER))) throw err;
    }
    log(`${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return lib;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Run Helm jobs in one JVM. A job is
 *   { command: 'lint', chart, values?: [files] }   (always --strict)
 *   { command: 'template', chart, name?, namespace?, values?: [files], set?: {k: v}, kubeVersion? }
 *   { command: 'version' }
 * `objects` are what the stand-in cluster holds for `lookup` (Kubernetes objects).
 * Returns one `{ ok, output }` per job, in order.
 */
export async function runHelm(jobs, { objects = [], home = DEFAULT_HOME } = {}) {
  const lib = await fetchHelm({ home });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-helm-'));
  const api = await standInApi(objects);
  try {
    const kubeconfig = path.join(scratch, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigFor(api.url));
    const lines = jobs.map((job, i) => jobLine(job, path.join(scratch, `lint-${i}`)).join('\t'));
    const { code, stdout, stderr } = await run('java', ['-cp', path.join(lib, '*'), RUNNER, 'batch'], {
      input: lines.join('\n') + '\n',
      env: { ...process.env, KUBECONFIG: kubeconfig, HELM_CACHE_HOME: path.join(scratch, 'cache'), HELM_CONFIG_HOME: path.join(scratch, 'config'), HELM_DATA_HOME: path.join(scratch, 'data') },
      allowFailure: true,
    });
    const results = parseBatch(stdout);
    if (results.length !== jobs.length) {
      throw new Error(`helm-java answered ${results.length} of ${jobs.length} jobs (exit ${code})\n${stderr.slice(-4000)}`);
    }
    return results;
  } finally {
    await api.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Helm's merge of values files: maps merge key by key, anything else replaces, null deletes. */
export function mergeValues(base, override) {
  if (!isMap(base) || !isMap(override)) return override;
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = key in out ? mergeValues(out[key], value) : value;
  }
  return out;
}

/** Split a rendered multi-document YAML stream into objects (empty documents dropped). */
export function parseManifests(text) {
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((o) => o !== null && o !== undefined);
}

// ---------------------------------------------------------------------------------------

function jobLine(job, lintDir) {
  switch (job.command) {
    case 'version':
      return ['version'];
    case 'lint': {
      // helm-java's lint reads only the chart's own values.yaml: lint a copy that holds the merge.
      if (!job.values?.length) return ['lint', job.chart];
      fs.cpSync(job.chart, lintDir, { recursive: true });
      let values = YAML.parse(fs.readFileSync(path.join(job.chart, 'values.yaml'), 'utf8')) ?? {};
      for (const file of job.values) values = mergeValues(values, YAML.parse(fs.readFileSync(file, 'utf8')) ?? {});
      fs.writeFileSync(path.join(lintDir, 'values.yaml'), YAML.stringify(values));
      return ['lint', lintDir];
    }
    case 'template': {
      const args = ['template', job.chart, '--name', job.name ?? 'hookline', '--namespace', job.namespace ?? 'default'];
      for (const file of job.values ?? []) args.push('--values', path.resolve(file));
      for (const [key, value] of Object.entries(job.set ?? {})) args.push('--set', `${key}=${value}`);
      if (job.kubeVersion) args.push('--kube-version', job.kubeVersion);
      if (args.some((a) => a.includes('\t') || a.includes('\n'))) throw new Error('job arguments may not hold tabs or newlines');
      return args;
    }
    default:
      throw new Error(`unknown helm job: ${job.command}`);
  }
}

function parseBatch(stdout) {
  const results = [];
  let at = 0;
  while (at < stdout.length) {
    const nl = stdout.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = /^@@helm (\d+) (ok|failed) (\d+)$/.exec(stdout.subarray(at, nl).toString('utf8'));
    if (!header) throw new Error(`unexpected helm-java output: ${stdout.subarray(at, Math.min(nl, at + 200)).toString('utf8')}`);
    const length = Number(header[3]);
    results.push({ ok: header[2] === 'ok', output: stdout.subarray(nl + 1, nl + 1 + length).toString('utf8') });
    at = nl + 1 + length;
  }
  return results;
}

/**
 * The least of a Kubernetes API that Helm's `lookup` needs: discovery of the core group and
 * GET of single namespaced objects, answered from `objects`; everything else is "not found".
 */
function standInApi(objects) {
  const plural = (kind) => `${kind.toLowerCase()}s`;
  const byPath = new Map(objects.map((o) => [`/api/v1/namespaces/${o.metadata.namespace}/${plural(o.kind)}/${o.metadata.name}`, o]));
  const kinds = [...new Set(['Secret', 'ConfigMap', ...objects.map((o) => o.kind)])];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/api/v1') {
      return send(200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1',
        resources: kinds.map((kind) => ({ name: plural(kind), singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list'] })),
      });
    }
    const found = req.method === 'GET' ? byPath.get(url.pathname) : undefined;
    if (found) return send(200, found);
    return send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `${url.pathname} not found`, code: 404 });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function kubeconfigFor(server) {
  return YAML.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'stand-in',
    clusters: [{ name: 'stand-in', cluster: { server } }],
    contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'stand-in', namespace: 'default' } }],
    users: [{ name: 'stand-in', user: {} }],
  });
}

function isMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Run a command to completion, collecting its output; rejects on a non-zero exit unless allowFailure. */
function run(cmd, args, { input, env, allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => { err += d; });
    child.once('error', reject);
    child.once('exit', (code) => {
      const stdout = Buffer.concat(out);
      if (code === 0 || allowFailure) resolve({ code, stdout, stderr: err });
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${err.slice(-4000)}${stdout.toString('utf8').slice(-4000)}`));
    });
    child.stdin.end(input ?? '');
  });
}

// --- the committed kubectl manifests ------------------------------------------------------

export const CHART_DIR = path.join(REPO_ROOT, 'k8s', 'charts', 'hookline');
export const MANIFESTS_DIR = path.join(REPO_ROOT, 'k8s', 'manifests');
/** What k8s/manifests is rendered with: the chart's defaults plus these values. */
export const MANIFEST_VALUES = path.join(CHART_DIR, 'ci', 'kubectl-values.yaml');
export const MANIFEST_RELEASE = { name: 'hookline', namespace: 'hookline', kubeVersion: '1.32.0' };

/**
 * Render k8s/manifests: `{ '<file>': '<text>' }`. The migration Job goes in a file of its own,
 * to apply (and wait for) before the services.
 */
export async function renderManifests() {
  const [result] = await runHelm([{ command: 'template', chart: CHART_DIR, values: [MANIFEST_VALUES], ...MANIFEST_RELEASE }]);
  if (!result.ok) throw new Error(`helm template failed:\n${result.output}`);
  // Helm's own text, split at its document markers (re-serialising would restyle it).
  const docs = result.output.split(/^---\n/m).filter((chunk) => YAML.parse(chunk) !== null);
  const isMigration = (doc) => YAML.parse(doc).kind === 'Job';
  const header = (what) => [
    `# ${what}`,
    '# Rendered from k8s/charts/hookline with its default values plus',
    '# k8s/charts/hookline/ci/kubectl-values.yaml (release "hookline", namespace "hookline").',
    '# Do not edit: change the chart and run `npm run k8s:manifests`. See k8s/manifests/README.md.',
    '',
  ].join('\n');
  const text = (list) => list.map((d) => `---\n${d.endsWith('\n') ? d : `${d}\n`}`).join('');
  return {
    'migrate-job.yaml': header('The migration Job: apply it, and wait for it to complete, before hookline.yaml.') + text(docs.filter(isMigration)),
    'hookline.yaml': header('The Hookline services.') + text(docs.filter((d) => !isMigration(d))),
  };
}

/** Paths of k8s/manifests files that differ from a fresh render (missing ones included). */
export async function staleManifests() {
  const rendered = await renderManifests();
  return Object.entries(rendered)
    .filter(([file, text]) => {
      const full = path.join(MANIFESTS_DIR, file);
      return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== text;
    })
    .map(([file]) => path.join('k8s', 'manifests', file));
}
