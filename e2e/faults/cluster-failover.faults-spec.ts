/**
 * Fault scenario 9: on a three-node cluster of the test's own (replication 3,
 * min.insync.replicas 2), the leader of a busy partition is killed with kill -9 under load.
 * This is where kafkajs's producer acknowledged writes it lost (KAFKA-LOCAL.md: 13 to 67 per
 * run). The checks prove no producer of ours does, at the edge (every 202 is on the received
 * topic) or inside the pipeline (mapping's writes: every 202 reaches an outcome; the outbox
 * relay's: every journey marked triggered is on the output topic).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@hookline/contracts';
import { createTestDatabase, dropTestDatabase, kafkaLocal, type KafkaNode, type Stack, startStack } from '@hookline/testing';
import { liveOrdersTrigger } from './live-trigger';
import { PipelineChecker } from './pipeline-checker';
import { runScenario, type ScenarioLedger, sleep } from './scenario';

describe('the pipeline on a three-node cluster when a partition leader dies', () => {
  const local = kafkaLocal();
  let clusterDir: string;
  let brokers: string;
  let nodes: KafkaNode[];
  let databaseUrl: string;
  let stack: Stack;
  let checker: PipelineChecker;
  let hookUrl: string;
  const ledger: ScenarioLedger = { accepted: new Map() };

  beforeAll(async () => {
    clusterDir = mkdtempSync(join(tmpdir(), 'hookline-faults-cluster-'));
    await local.fetchKafka();
    ({ brokers, nodes } = await local.startCluster(clusterDir, 3));
    databaseUrl = await createTestDatabase('faults_cluster');
    stack = await startStack({ kafkaBrokers: brokers, databaseUrl, extraEnv: { LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200', PRODUCE_TIMEOUT_MS: '3000' } });
    checker = new PipelineChecker(brokers, stack.topicPrefix, databaseUrl);
    hookUrl = await liveOrdersTrigger(stack);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    if (clusterDir) await local.stopCluster(clusterDir).catch(() => undefined);
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
  }, 120_000);

  /** Which node leads each partition of `topics` now, as "topic[partition]" per node id. */
  async function leaders(topics: string[]): Promise<Map<number, string[]>> {
    const admin = new Kafka({ clientId: 'faults-leaders', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const led = new Map<number, string[]>();
      for (const t of (await admin.fetchTopicMetadata({ topics: topics.map((name) => stack.topic(name)) })).topics) {
        for (const p of t.partitions) led.set(p.leader, [...(led.get(p.leader) ?? []), `${t.name.slice(stack.topicPrefix.length)}[${p.partitionId}]`]);
      }
      return led;
    } finally {
      await admin.disconnect();
    }
  }

  it('9. the leader of a busy partition is killed (kill -9): no producer of ours acknowledges a write it lost', async () => {
    let killed: KafkaNode | undefined;
    let ledByKilled: string[] = [];
    await runScenario('partition leader killed on a 3-node cluster', { url: hookUrl, checker, ledger }, async () => {
      await sleep(3_000);
      const led = await leaders([TOPICS.WEBHOOK_RECEIVED, TOPICS.TRIGGER_MAPPED, TOPICS.JOURNEY_TRIGGERED]);
      const received0 = [...led].find(([, partitions]) => partitions.includes(`${TOPICS.WEBHOOK_RECEIVED}[0]`));
      killed = nodes.find((n) => n.nodeId === received0?.[0]);
      expect(killed).toBeDefined();
      ledByKilled = led.get(killed!.nodeId) ?? [];
      process.kill(local.pidOf(killed!.dataDir), 'SIGKILL');
      await sleep(10_000);
      await local.startNode(clusterDir, killed!.nodeId);
      await sleep(5_000);
    });
    // eslint-disable-next-line no-console
    console.log(`[faults] node ${killed?.nodeId} led ${ledByKilled.join(', ')} when it was killed`);
    // The edge's topic, and the pipeline's, lost their leader: every producer of ours was in the failover.
    expect(ledByKilled).toContain(`${TOPICS.WEBHOOK_RECEIVED}[0]`);
  });
});
