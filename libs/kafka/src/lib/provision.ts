import { Kafka, logLevel } from 'kafkajs';
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
    if (missing.length === 0) return [];
    const cluster = await admin.describeCluster();
    const replicationFactor = Math.min(3, cluster.brokers.length);
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
    return missing.map((s) => physicalTopic(topicPrefix, s.topic));
  } catch (error) {
    // Another service may have created the same topics at the same moment.
    if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return [];
    throw error;
  } finally {
    await admin.disconnect();
  }
}
