// A real single-node Kafka 4.1 broker (KRaft, broker + controller in one JVM) run from the
// Maven Central jars, for machines without Docker: the local stack, the tests and CI.
// How and why: KAFKA-LOCAL.md in the design notes.
//
// Layout of a data directory (one per broker, so several can run at once on other ports):
//   server.properties  written on every start from the options
//   cluster-id         kept and reused: a format with another id fails (Invalid cluster.id)
//   kafka.pid          the broker's pid; stop/kill use only this, never a process name
//   kafka.log          the JVM's stdout/stderr (log4j2 console at WARN)
//   logs/              log.dirs (KRaft metadata + topic partitions)
//
// No npm dependencies except kafkajs (optional), used to check that metadata requests work.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
const POM = path.join(REPO_ROOT, 'scripts', 'kafka', 'pom.xml');
const LOG4J_CONFIG = path.join(REPO_ROOT, 'scripts', 'kafka', 'log4j2.properties');
const DEFAULT_HOME = path.join(REPO_ROOT, '.kafka');
const MARKER = '.complete';

const log = (msg) => process.stderr.write(`[kafka-local] ${msg}\n`);

/**
 * Resolve the broker's jars into `<home>/lib` (skipped when already complete).
 * mvn copies into a temporary directory that gets the marker file and is then renamed to
 * `lib`: a copy cut short is never mistaken for a complete one, and two processes that fetch
 * at the same time do not mix their files (the loser of the rename drops its copy).
 */
export async function fetchKafka({ home = DEFAULT_HOME } = {}) {
  const lib = path.join(home, 'lib');
  if (fs.existsSync(path.join(lib, MARKER))) return lib;
  fs.rmSync(lib, { recursive: true, force: true }); // a lib without marker: an old partial copy
  fs.mkdirSync(home, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(home, 'lib.tmp-'));
  const started = Date.now();
  log(`resolving Kafka jars from Maven Central into ${lib} ...`);
  try {
    // Output shown only on failure: Debian's mvn 3.8 prints bare ANSI resets even with -B -q.
    await run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies',
      `-DoutputDirectory=${tmp}`, '-DincludeScope=runtime']);
    const jars = fs.readdirSync(tmp).filter((f) => f.endsWith('.jar'));
    if (!jars.some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) throw new Error(`mvn left no kafka_2.13 jar in ${tmp}`);
    fs.writeFileSync(path.join(tmp, MARKER), `${jars.length} jars\n`);
    try {
      fs.renameSync(tmp, lib);
    } catch (err) {
      if (!fs.existsSync(path.join(lib, MARKER))) throw err; // else another process won the race
    }
    log(`${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return lib;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Start a broker (fetching the jars first if needed) and wait until it serves metadata.
 * Reuses a broker of a previous run that is still alive on the data directory's pid file.
 * @returns {Promise<{ brokers: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startKafka({
  port = 9092,
  controllerPort = port + 1,
  dataDir = defaultDataDir(port),
  heapMb = 512,
  logFile = path.join(dataDir, 'kafka.log'),
  home = DEFAULT_HOME,
  timeoutMs = 60_000,
  cluster,
  wait = true,
} = {}) {
  const brokers = `127.0.0.1:${port}`;
  const files = paths(dataDir);
  const handle = (pid) => ({ brokers, pid, stop: async () => { await stopKafka({ port, dataDir }); } });

  const running = readLivePid(files);
  if (running) {
    log(`broker already running (pid ${running}), waiting until it answers on ${brokers}`);
    await waitReady({ port, pid: running, logFile, timeoutMs });
    return handle(running);
  }
  // Not ours but the port is taken: fail clearly instead of a broker dying on bind.
  for (const p of [port, controllerPort]) {
    if (await isPortOpen(p)) throw new Error(`port ${p} is already in use by another process`);
  }

  const lib = await fetchKafka({ home });
  fs.mkdirSync(files.logDirs, { recursive: true });
  fs.writeFileSync(files.props, serverProperties({ port, controllerPort, logDirs: files.logDirs, cluster }));
  const classpath = path.join(lib, '*');
  const jvm = ['-Xms256m', `-Xmx${heapMb}m`, '-XX:+UseG1GC', '-cp', classpath,
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`];

  // Format once; meta.properties present means done (saves a JVM start on every restart).
  // A node of a cluster joins the static quorum of `controller.quorum.voters` (no --standalone).
  if (!fs.existsSync(path.join(files.logDirs, 'meta.properties'))) {
    log(`formatting ${files.logDirs}`);
    if (cluster) fs.writeFileSync(files.clusterId, `${cluster.clusterId}\n`);
    await run('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId(files),
      '-c', files.props, ...(cluster ? [] : ['--standalone']), '--ignore-formatted']);
  }

  // Detached: own process group, so Ctrl-C on a terminal that ran `start` leaves it running,
  // and the starting process may exit while the broker goes on.
  const out = fs.openSync(logFile, 'a'); // appended to: earlier runs' logs stay readable
  const logFrom = fs.fstatSync(out).size; // a failure shows only this run's part
  const child = spawn('java', [...jvm, 'kafka.Kafka', files.props], {
    detached: true, stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  child.unref();
  fs.writeFileSync(files.pid, `${child.pid}\n`);
  log(`started broker pid ${child.pid} on ${brokers} (controller ${controllerPort}), log ${logFile}`);

  if (!wait) return handle(child.pid);
  try {
    await waitReady({ port, pid: child.pid, logFile, logFrom, timeoutMs });
  } catch (err) {
    await killKafka({ port, dataDir });
    throw err;
  }
  return handle(child.pid);
}

/**
 * A cluster of `nodes` brokers (each also a controller of one static quorum), replication
 * `nodes` and min.insync.replicas 2 by default: for the failover test that decides which
 * client may produce (KAFKA-LOCAL.md). Node i lives in `<dataDir>/node-<i>`; `cluster.json`
 * there lists every node's ports, so a test can kill one and start it again with startKafka.
 * @returns {Promise<{ brokers: string, nodes: Array<{ nodeId: number, port: number, controllerPort: number, dataDir: string, pid: number }>, stop: () => Promise<void> }>}
 */
export async function startKafkaCluster({ nodes = 3, ports, dataDir, heapMb = 384, home = DEFAULT_HOME, timeoutMs = 90_000 } = {}) {
  if (!dataDir) throw new Error('startKafkaCluster needs a dataDir');
  fs.mkdirSync(dataDir, { recursive: true });
  const plan = path.join(dataDir, 'cluster.json');
  let layout;
  if (fs.existsSync(plan)) {
    layout = JSON.parse(fs.readFileSync(plan, 'utf8'));
  } else {
    const free = ports ?? (await freePorts(nodes * 2));
    layout = {
      clusterId: newClusterId(),
      nodes: Array.from({ length: nodes }, (_, i) => ({ nodeId: i + 1, port: free[i * 2], controllerPort: free[i * 2 + 1], dataDir: path.join(dataDir, `node-${i + 1}`) })),
    };
    fs.writeFileSync(plan, JSON.stringify(layout, null, 2));
  }
  const voters = layout.nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',');
  const options = (n) => ({ port: n.port, controllerPort: n.controllerPort, dataDir: n.dataDir, heapMb, home, timeoutMs,
    cluster: { nodeId: n.nodeId, voters, clusterId: layout.clusterId, replication: Math.min(3, layout.nodes.length) } });
  await fetchKafka({ home });
  // All at once: no node can serve metadata before the quorum has a majority.
  const started = await Promise.all(layout.nodes.map((n) => startKafka({ ...options(n), wait: false })));
  try {
    await Promise.all(layout.nodes.map((n, i) => waitReady({ port: n.port, pid: started[i].pid, logFile: path.join(n.dataDir, 'kafka.log'), timeoutMs })));
  } catch (err) {
    await Promise.all(layout.nodes.map((n) => killKafka({ port: n.port, dataDir: n.dataDir })));
    throw err;
  }
  const info = layout.nodes.map((n, i) => ({ ...n, pid: started[i].pid }));
  return {
    brokers: info.map((n) => `127.0.0.1:${n.port}`).join(','),
    nodes: info,
    /** The options that start node `nodeId` again (after a kill) with startKafka. */
    nodeOptions: (nodeId) => options(layout.nodes.find((n) => n.nodeId === nodeId)),
    stop: async () => { await Promise.all(layout.nodes.map((n) => stopKafka({ port: n.port, dataDir: n.dataDir }))); },
  };
}

async function freePorts(count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Stop the broker of that data directory: SIGTERM, wait up to `timeoutMs`, then SIGKILL. */
export async function stopKafka({ port = 9092, dataDir = defaultDataDir(port), timeoutMs = 20_000 } = {}) {
  const files = paths(dataDir);
  const pid = readLivePid(files);
  if (pid) {
    signal(pid, 'SIGTERM'); // controlled shutdown: flushes and closes the logs cleanly
    if (!(await waitExit(pid, timeoutMs))) {
      log(`pid ${pid} still alive after ${timeoutMs} ms, sending SIGKILL`);
      signal(pid, 'SIGKILL');
      await waitExit(pid, 5_000);
    }
  }
  fs.rmSync(files.pid, { force: true });
  return pid;
}

/** SIGKILL the broker of that data directory at once (a crash, for fault tests). */
export async function killKafka({ port = 9092, dataDir = defaultDataDir(port) } = {}) {
  const files = paths(dataDir);
  const pid = readLivePid(files);
  if (pid) {
    signal(pid, 'SIGKILL');
    await waitExit(pid, 5_000);
  }
  fs.rmSync(files.pid, { force: true });
  return pid;
}

/** `{ pid, running, listening }` of the broker of that data directory. */
export async function kafkaStatus({ port = 9092, dataDir = defaultDataDir(port) } = {}) {
  const pid = readLivePid(paths(dataDir));
  return { pid, running: Boolean(pid), listening: pid ? await isPortOpen(port) : false };
}

/** Does something accept TCP connections on host:port? */
export function isPortOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open) => { socket.destroy(); resolve(open); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function defaultDataDir(port) {
  return path.join(DEFAULT_HOME, `data-${port}`);
}

// ---------------------------------------------------------------------------------------

function paths(dataDir) {
  const dir = path.resolve(dataDir); // log.dirs must be absolute
  return {
    dir,
    props: path.join(dir, 'server.properties'),
    clusterId: path.join(dir, 'cluster-id'),
    pid: path.join(dir, 'kafka.pid'),
    logDirs: path.join(dir, 'logs'),
  };
}

function serverProperties({ port, controllerPort, logDirs, cluster }) {
  const quorum = cluster
    ? `node.id=${cluster.nodeId}\ncontroller.quorum.voters=${cluster.voters}`
    : `node.id=1\ncontroller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`;
  const replication = cluster?.replication ?? 1;
  const minIsr = Math.min(2, replication);
  return `# Written by scripts/lib/kafka-local.mjs on every start; edits are overwritten.
process.roles=broker,controller
${quorum}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
# --standalone formatting reads the controller's advertised listener: keep CONTROLLER here.
advertised.listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${logDirs}
num.partitions=3
default.replication.factor=${replication}
min.insync.replicas=${minIsr}
offsets.topic.replication.factor=${replication}
transaction.state.log.replication.factor=${replication}
transaction.state.log.min.isr=${minIsr}
share.coordinator.state.topic.replication.factor=${replication}
share.coordinator.state.topic.min.isr=${minIsr}
group.initial.rebalance.delay.ms=0
# Topics are created by the services' provisioning; a typo must not create one.
auto.create.topics.enable=false
# After a kill -9 the restarted broker cannot register until the controller has expired the
# dead incarnation's session (default 9 s, so a restart took ~13 s). Shorter for fault tests;
# the heartbeat stays in-process, so only a multi-second stall could fence the live broker.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
`;
}

/** The data directory's cluster id: from its file, else from an already formatted log dir, else new. */
function clusterId(files) {
  if (fs.existsSync(files.clusterId)) return fs.readFileSync(files.clusterId, 'utf8').trim();
  const meta = path.join(files.logDirs, 'meta.properties');
  const fromMeta = fs.existsSync(meta) && /^cluster\.id=(.+)$/m.exec(fs.readFileSync(meta, 'utf8'));
  const id = fromMeta ? fromMeta[1].trim() : newClusterId();
  fs.writeFileSync(files.clusterId, `${id}\n`);
  return id;
}

// Kafka's Uuid.randomUuid() in Node (saves a JVM start for `StorageTool random-uuid`):
// 16 random bytes, base64url without padding, never starting with '-' (it would read as a flag).
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The pid in the pid file if that process is alive and is this data directory's broker. */
function readLivePid(files) {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(files.pid, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!pid || !isAlive(pid)) return undefined;
  // Guard against a recycled pid: the command line must name this broker's properties file.
  // (Only where /proc exists; elsewhere the pid file is trusted.)
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!cmdline.includes('kafka.Kafka') || !cmdline.includes(files.props)) return undefined;
  } catch (err) {
    if (err.code !== 'ENOENT' || fs.existsSync('/proc/self')) return undefined;
  }
  return pid;
}

/** kill(2), except that a process which exited meanwhile is not an error. */
function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers kill(0): it is gone for us.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** Wait until the port answers and a metadata request lists a broker; throw with the log tail. */
async function waitReady({ port, pid, logFile, logFrom = 0, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  const kafkajs = await import('kafkajs').catch(() => undefined);
  if (!kafkajs) log('kafkajs not installed: readiness is checked on the TCP port only');
  for (;;) {
    if (!isAlive(pid)) throw new Error(`Kafka broker (pid ${pid}) exited during startup:\n${tail(logFile, logFrom)}`);
    if (await isPortOpen(port)) {
      if (!kafkajs || (await metadataOk(kafkajs, port))) return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Kafka broker (pid ${pid}) not ready on port ${port} after ${timeoutMs} ms:\n${tail(logFile, logFrom)}`);
    }
    await sleep(250);
  }
}

async function metadataOk({ Kafka, logLevel }, port) {
  const admin = new Kafka({
    clientId: 'kafka-local-readiness',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster(); // a Metadata request
    return brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function tail(file, from = 0, lines = 40) {
  try {
    return fs.readFileSync(file).subarray(from).toString('utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Run a command to completion; its output is kept and shown only in the error if it fails. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const s of [child.stdout, child.stderr]) s.on('data', (d) => { output += d; });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${output.slice(-4000)}`));
    });
  });
}
