/**
 * The fault suite (issue 6): the whole pipeline under a provider's load (300 webhooks/s,
 * new and repeated delivery ids, every non-202 retried with its delivery id), while parts of
 * it are broken on purpose. After each scenario the checker (pipeline-checker.ts) proves:
 * every 202 reached exactly one outcome, no delivery started two journeys, no 202 was given
 * for a write the broker did not take, no partition is stuck. One line a scenario is printed.
 *
 * This file kills a broker and a Postgres, so it runs on a broker and a Postgres cluster of
 * its own (free ports, temporary directories); the machine's shared ones are never touched.
 * The leader failover on a three-node cluster is cluster-failover.faults-spec.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@hookline/contracts';
import { freePort, kafkaLocal, type LocalPostgres, SERVICES, type ServiceName, type Stack, startLocalPostgres, startStack } from '@hookline/testing';
import { DELIVERY_HEADER, liveOrdersTrigger, orderBody as body } from './live-trigger';
import { describeScenario, PipelineChecker } from './pipeline-checker';
import { ALLOWED_ANSWERS, runScenario, type ScenarioLedger, sleep } from './scenario';
import { WebhookLoad } from './webhook-load';


describe('the pipeline under faults', () => {
  const local = kafkaLocal();
  let kafkaDir: string;
  let broker: { port: number; controllerPort: number; dataDir: string };
  let postgres: LocalPostgres;
  let stack: Stack;
  let checker: PipelineChecker;
  let hookUrl: string;
  const ledger: ScenarioLedger = { accepted: new Map() };

  beforeAll(async () => {
    kafkaDir = mkdtempSync(join(tmpdir(), 'hookline-faults-kafka-'));
    broker = { port: await freePort(), controllerPort: await freePort(), dataDir: kafkaDir };
    await local.fetchKafka();
    const { brokers } = await local.startKafka(broker);
    postgres = await startLocalPostgres();
    const databaseUrl = postgres.url.replace(/\/postgres$/, '/hookline');
    stack = await startStack({
      kafkaBrokers: brokers,
      databaseUrl,
      extraEnv: { LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200', PRODUCE_TIMEOUT_MS: '2000' },
    });
    checker = new PipelineChecker(brokers, stack.topicPrefix, databaseUrl);
    hookUrl = await liveOrdersTrigger(stack);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await local.killKafka(broker).catch(() => undefined);
    await postgres?.destroy();
    if (kafkaDir) rmSync(kafkaDir, { recursive: true, force: true });
  }, 120_000);

  const scenario = (name: string, fault: (load: WebhookLoad) => Promise<void>) => runScenario(name, { url: hookUrl, checker, ledger }, fault);

  it('keeps every promise under load with nothing broken (the baseline)', async () => {
    await scenario('no fault', () => sleep(6_000));
  });

  it('1. the broker is killed (kill -9) and restarted', async () => {
    await scenario('broker killed and restarted', async () => {
      await local.killKafka(broker);
      await sleep(5_000);
      await local.startKafka(broker);
      await sleep(5_000);
    });
  });

  it('2. the broker is stalled (SIGSTOP for 10 s, then SIGCONT)', async () => {
    await scenario('broker stalled 10 s', async () => {
      const pid = local.pidOf(broker.dataDir);
      process.kill(pid, 'SIGSTOP');
      await sleep(10_000);
      process.kill(pid, 'SIGCONT');
      await sleep(5_000);
    });
  });

  it('3. the gateway is killed and restarted', async () => {
    await scenario('gateway killed and restarted', async () => {
      await stack.signal('ingress-gateway', 'SIGKILL');
      await sleep(2_000);
      await stack.restart('ingress-gateway');
      await sleep(3_000);
    });
  });

  it.each<[ServiceName, string]>([
    ['schema-discovery', TOPICS.WEBHOOK_RECEIVED],
    ['mapping', TOPICS.WEBHOOK_RECEIVED],
    ['journey-trigger', TOPICS.TRIGGER_MAPPED],
  ])('4. %s is killed between its effect and its offset commit', async (service, topic) => {
    // Restarted with the fault armed: it kills itself (SIGKILL) right after its 400th effect on the topic.
    await stack.signal(service, 'SIGTERM');
    await stack.restart(service, { HOOKLINE_FAULT_KILL_AFTER_EFFECTS: `${topic}:400` });
    await scenario(`${service} killed after an effect, before its commit`, async () => {
      const exit = await Promise.race([stack.exited(service), sleep(30_000).then(() => undefined)]);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      await stack.restart(service);
      await sleep(3_000);
    });
    expect(stack.logs[service].some((line) => line.includes('fault injection: killing'))).toBe(true);
  });

  it('5. a second instance of each consumer service joins and leaves (rebalances)', async () => {
    await scenario('second instances join and leave', async () => {
      const extras = await Promise.all((['schema-discovery', 'mapping', 'journey-trigger'] as const).map((s) => stack.startExtra(s)));
      await sleep(6_000);
      await Promise.all(extras.map((e) => e.stop()));
      await sleep(3_000);
    });
  });

  it('6. Postgres is stopped hard and restarted', async () => {
    const pids = SERVICES.map((service) => [service, stack.pid(service)] as const);
    const alive = (pid: number | undefined) => {
      try {
        return pid !== undefined && process.kill(pid, 0);
      } catch {
        return false;
      }
    };
    await scenario('Postgres crashed and restarted', async () => {
      await postgres.crash();
      await sleep(5_000);
      await postgres.start();
      await sleep(6_000);
      // Waited out in place: every service is still the process it was (none died of the outage).
      expect(pids.filter(([, pid]) => !alive(pid)).map(([service]) => service)).toEqual([]);
    });
  });

  it('7. 1,000 concurrent copies of one delivery start one journey', async () => {
    const load = new WebhookLoad({ url: hookUrl, rate: 0, body, label: 'burst', deliveryHeader: DELIVERY_HEADER });
    const { deliveryId, answers } = await load.burst(1_000);
    const summary = await load.stop();
    for (const [eventId, d] of load.accepted) ledger.accepted.set(eventId, d);
    const verdict = await checker.settle(ledger.accepted);
    // eslint-disable-next-line no-console
    console.log(describeScenario('1,000 concurrent copies of one delivery', summary, verdict, ledger.previous));
    ledger.previous = verdict;
    expect(Object.keys(answers).filter((status) => !ALLOWED_ANSWERS.has(status))).toEqual([]);
    expect(load.accepted.size).toBeGreaterThan(900);
    expect(verdict.missing).toEqual([]);
    expect(verdict.duplicated).toEqual([]);
    expect(verdict.stuck).toEqual([]);
    const journeys = await checker.journeysOf(`${DELIVERY_HEADER}:${deliveryId}`);
    expect(journeys).toHaveLength(1);
  });

  it('8. a poison message on each consumed topic is dead-lettered and its partition moves on', async () => {
    const poisoned = [TOPICS.WEBHOOK_RECEIVED, TOPICS.WEBHOOK_REJECTED, TOPICS.TRIGGER_CONFIG, TOPICS.TRIGGER_SCHEMA, TOPICS.TRIGGER_MAPPING, TOPICS.TRIGGER_MAPPED, TOPICS.TRIGGER_FAILED];
    const failedBefore = (await checker.deadLetters()).length;
    let poison = 0;
    await scenario('poison on every consumed topic', async () => {
      const kafka = new Kafka({ clientId: 'faults-poison', brokers: stack.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      const producer = kafka.producer();
      await Promise.all([admin.connect(), producer.connect()]);
      try {
        for (const topic of poisoned) {
          const physical = stack.topic(topic);
          // On every partition: bytes that are not JSON, and JSON that breaks the contract.
          for (const { partition } of await admin.fetchTopicOffsets(physical)) {
            await producer.send({ topic: physical, messages: [{ partition, key: `poison-${partition}`, value: Buffer.from([0xff, 0x00, 0x7b]) }, { partition, key: `poison-${partition}`, value: '{"type":"nonsense"}' }] });
            poison += 2;
          }
        }
      } finally {
        await Promise.all([admin.disconnect(), producer.disconnect()]);
      }
      await sleep(6_000);
    });
    const deadLetters = (await checker.deadLetters()).slice(failedBefore);
    for (const topic of poisoned) {
      const codes = deadLetters.filter((d) => d.sourceTopic === topic).map((d) => d.code);
      expect(codes.filter((c) => c === 'UNDECODABLE_MESSAGE' || c === 'CONTRACT_VIOLATION').length).toBeGreaterThanOrEqual(1);
    }
    expect(deadLetters.length).toBeGreaterThanOrEqual(poison);
  });
});
