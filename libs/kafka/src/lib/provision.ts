import { type Admin, Kafka, logLevel } from 'kafkajs';
import { TOPIC_SPECS, type TopicSpec } from '@hookline/contracts';
import { physicalTopic } from './topic-names';

/**
 * Creates the topics Hookline needs when they are missing (auto-creation is off on our
 * brokers). Idempotent: every service runs it at boot, so any one of them can start first.
 * Replication follows the cluster's size, up to 3.
 */
export async function provisionTopics(brokers: string[], topicPrefix = '', specs: readonly TopicSpec[] = TOPIC_SPECS): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'hookline-provisioner', brokers, logLevel: logLevel.NOTHING, retry: { retries: 5 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(physicalTopic(topicPrefix, s.topic)));
    let created: string[] = [];
    if (missing.length > 0) {
      const cluster = await admin.describeCluster();
      const replicationFactor = Math.min(3, cluster.brokers.length);
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: physicalTopic(topicPrefix, s.topic),
            numPartitions: s.partitions,
            replicationFactor,
            configEntries: [
              { name: 'cleanup.policy', value: s.compacted ? 'compact' : 'delete' },
              ...(replicationFactor > 1 ? [{ name: 'min.insync.replicas', value: '2' }] : []),
            ],
          })),
        });
        created = missing.map((s) => physicalTopic(topicPrefix, s.topic));
      } catch (error) {
        // Another service may have created the same topics at the same moment.
        if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
      }
    }
    // Topics that another service is creating at this moment are listed (and "already exist")
    // before their partitions have leaders: whoever created them, return only once they serve.
    await waitUntilServed(kafka, admin, specs.map((s) => physicalTopic(topicPrefix, s.topic)));
    return created;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of `topics` has a leader answering ListOffsets (which only a
 * leader answers). kafkajs does not refresh its cached leaders after a failed ListOffsets, so
 * each retry asks through a fresh admin client.
 */
async function waitUntilServed(kafka: Kafka, admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = topics;
  let client = admin;
  try {
    for (;;) {
      const results = await Promise.allSettled(pending.map((topic) => client.fetchTopicOffsets(topic)));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ topic: pending[i], reason: r.reason as unknown }] : []));
      if (failed.length === 0) return;
      if (Date.now() >= deadline) {
        const reason = failed[0].reason instanceof Error ? failed[0].reason.message : String(failed[0].reason);
        throw new Error(`topics not served by a leader after ${timeoutMs} ms: ${failed.map((f) => f.topic).join(', ')} (${reason})`);
      }
      pending = failed.map((f) => f.topic);
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (client !== admin) await client.disconnect();
      client = kafka.admin();
      await client.connect();
    }
  } finally {
    if (client !== admin) await client.disconnect();
  }
}
