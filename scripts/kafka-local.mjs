#!/usr/bin/env node
// A local single-node Kafka broker from the Maven Central jars (no Docker). See scripts/lib/kafka-local.mjs.
//
//   node scripts/kafka-local.mjs fetch|start|stop|kill|status [--port N] [--controller-port N] [--data-dir D] [--heap-mb N]
//   node scripts/kafka-local.mjs start-cluster|stop-cluster --data-dir D [--nodes N] [--heap-mb N]
//   node scripts/kafka-local.mjs start-node --data-dir D --node I      (node I of the cluster in D, after a kill)
//
// `start` prints KAFKA_BROKERS=127.0.0.1:<port> on stdout once the broker serves metadata and leaves
// it running in the background; everything else goes to stderr, so `eval "$(... start)"` works.
// `start-cluster` also prints KAFKA_CLUSTER=<json> (each node's id, ports, data directory, pid).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchKafka, kafkaStatus, killKafka, startKafka, startKafkaCluster, stopKafka } from './lib/kafka-local.mjs';

const USAGE = 'usage: node scripts/kafka-local.mjs fetch|start|stop|kill|status '
  + '[--port N] [--controller-port N] [--data-dir D] [--heap-mb N]\n'
  + '       node scripts/kafka-local.mjs start-cluster|stop-cluster --data-dir D [--nodes N] [--heap-mb N]\n'
  + '       node scripts/kafka-local.mjs start-node --data-dir D --node I';

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'heap-mb': { type: 'string' },
      nodes: { type: 'string' },
      node: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const int = (name) => {
    if (values[name] === undefined) return undefined;
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  // Only pass what was given, so the module's defaults (controller = port + 1, etc.) apply.
  const opts = Object.fromEntries(Object.entries({
    port: int('port'),
    controllerPort: int('controller-port'),
    dataDir: values['data-dir'],
    heapMb: int('heap-mb'),
    nodes: int('nodes'),
    node: int('node'),
  }).filter(([, v]) => v !== undefined));
  return { command: values.help ? 'help' : positionals[0], opts };
}

async function main() {
  const { command, opts } = options();
  const port = opts.port ?? 9092;
  switch (command) {
    case 'fetch':
      await fetchKafka();
      break;
    case 'start': {
      const { brokers } = await startKafka(opts);
      process.stdout.write(`KAFKA_BROKERS=${brokers}\n`);
      break;
    }
    case 'stop':
    case 'kill': {
      const pid = await (command === 'stop' ? stopKafka : killKafka)(opts);
      console.error(pid ? `[kafka-local] ${command === 'stop' ? 'stopped' : 'killed'} pid ${pid}` : '[kafka-local] not running');
      break;
    }
    case 'start-cluster': {
      const { nodes, heapMb, dataDir } = opts;
      const cluster = await startKafkaCluster({ nodes, heapMb, dataDir });
      process.stdout.write(`KAFKA_BROKERS=${cluster.brokers}\nKAFKA_CLUSTER=${JSON.stringify(cluster.nodes)}\n`);
      break;
    }
    case 'stop-cluster':
    case 'start-node': {
      if (!opts.dataDir) throw new Error(`${command} needs --data-dir`);
      const layout = JSON.parse(readFileSync(join(opts.dataDir, 'cluster.json'), 'utf8'));
      if (command === 'stop-cluster') {
        await Promise.all(layout.nodes.map((n) => stopKafka({ port: n.port, dataDir: n.dataDir })));
        break;
      }
      // The cluster is up (but for this node): startKafkaCluster reuses its layout and the live nodes.
      const cluster = await startKafkaCluster({ dataDir: opts.dataDir, heapMb: opts.heapMb });
      const node = cluster.nodes.find((n) => n.nodeId === opts.node);
      if (!node) throw new Error(`no node ${opts.node} in ${opts.dataDir}`);
      process.stdout.write(`KAFKA_NODE=${JSON.stringify(node)}\n`);
      break;
    }
    case 'status': {
      const { pid, running, listening } = await kafkaStatus(opts);
      console.log(running ? `running pid ${pid} on 127.0.0.1:${port}${listening ? '' : ' (port not answering)'}` : 'stopped');
      process.exitCode = running ? 0 : 3; // like `service status`: non-zero when stopped
      break;
    }
    default:
      console.error(USAGE);
      process.exitCode = command === 'help' ? 0 : 2;
  }
}

main().catch((err) => {
  console.error(`[kafka-local] ${err.message}`);
  process.exitCode = 1;
});
