import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TOPICS, type TriggerConfigV1 } from '@hookline/contracts';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { ApiException } from '@hookline/http';
import type { TriggerEntity } from './trigger.entity';

/** Signature timestamps further than this from the gateway's clock are refused, unless the trigger says otherwise. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * A trigger's current configuration, as every consumer of the config topic (and the
 * gateway's own cache) sees it: hashes and sealed secrets, never a token or a secret.
 */
export function triggerConfigOf(t: TriggerEntity): TriggerConfigV1 {
  return {
    eventId: randomUUID(),
    type: 'trigger.config',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId: t.workspaceId,
    triggerId: t.id,
    flowId: t.flowId,
    name: t.name,
    status: t.status,
    unknownCustomer: t.unknownCustomer,
    updatedAt: t.updatedAt.toISOString(),
    tokens: { hash: t.tokenHash, previousHash: t.previousTokenHash, previousValidUntil: t.previousTokenValidUntil?.toISOString() ?? null },
    verification: {
      scheme: t.verificationScheme,
      toleranceSeconds: t.verificationOptions.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
      hmac: t.verificationScheme === 'hmac' ? (t.verificationOptions.hmac ?? null) : null,
      secrets: t.verificationScheme === 'none' ? [] : t.signingSecrets,
    },
    limits: { maxBodyBytes: t.limits.maxBodyBytes, ratePerSecond: t.limits.ratePerSecond ?? null, burst: t.limits.burst ?? null },
  };
}

/** Publishes a trigger's current configuration on the compacted config topic (tombstone on delete). */
@Injectable()
export class TriggerConfigPublisher {
  constructor(private readonly producer: EventProducer) {}

  /** Resolves with the message the broker acknowledged. */
  async publish(t: TriggerEntity): Promise<TriggerConfigV1> {
    const value = triggerConfigOf(t);
    await this.send(t.id, value);
    return value;
  }

  async publishDeleted(triggerId: string): Promise<void> {
    await this.send(triggerId, null);
  }

  /** A change the broker did not take is rolled back and answered 503: the caller may retry. */
  private async send(triggerId: string, value: TriggerConfigV1 | null): Promise<void> {
    try {
      await this.producer.send(TOPICS.TRIGGER_CONFIG, [{ key: triggerId, value }]);
    } catch (error) {
      if (error instanceof ProduceFailedError) throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the change could not be published; retry later', [], { 'Retry-After': '5' });
      throw error;
    }
  }
}
