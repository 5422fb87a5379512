import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS, type WebhookReceivedV1, type WebhookRejectedV1 } from '@hookline/contracts';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { ApiException } from '@hookline/http';
import { parseBody, PayloadError } from '@hookline/payload';
import { sameHash, sha256 } from '../../auth/secrets';
import type { TriggerEntity } from '../../triggers/trigger.entity';
import { TriggersRepository } from '../../triggers/triggers.repository';
import { allowListedHeaders, deliveryIdOf } from '../request-headers';

export interface ReceiveWebhookCommand {
  triggerId: string;
  token: string;
  method: 'POST' | 'PUT';
  contentType: string | undefined;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
}

const SUPPORTED_TYPE = /^(application\/(json|[\w.+-]*\+json|x-www-form-urlencoded)|text\/json)\b/i;
const PREVIEW_BYTES = 2_048;
// One answer for an unknown trigger, a wrong token and a deleted trigger: no oracle.
const notFound = () => new ApiException(404, 'NOT_FOUND', 'not found');

/**
 * The public webhook route: check the URL's token, refuse what cannot be a webhook body
 * (recording why), and answer 202 only after the broker has acknowledged the event.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly triggers: TriggersRepository,
    private readonly producer: EventProducer,
  ) {}

  async execute(command: ReceiveWebhookCommand): Promise<{ eventId: string }> {
    const trigger = await this.triggers.findActive(command.triggerId);
    if (!trigger || command.token.length > 200 || !sameHash(sha256(command.token), trigger.tokenHash)) throw notFound();

    const receivedAt = new Date().toISOString();
    const eventId = uuidv7();
    const deliveryId = deliveryIdOf(command.headers);
    const contentType = command.contentType ?? 'application/json';

    if (command.body.length > trigger.limits.maxBodyBytes) {
      await this.reject(trigger, eventId, receivedAt, command, deliveryId, 413, 'PAYLOAD_TOO_LARGE', `body of ${command.body.length} bytes exceeds ${trigger.limits.maxBodyBytes}`, false);
    }
    if (command.contentType && !SUPPORTED_TYPE.test(command.contentType)) {
      await this.reject(trigger, eventId, receivedAt, command, deliveryId, 415, 'UNSUPPORTED_MEDIA_TYPE', `content type ${command.contentType} is not JSON or form-urlencoded`, false);
    }
    try {
      parseBody(command.body, contentType);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      const status = error.code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400;
      await this.reject(trigger, eventId, receivedAt, command, deliveryId, status, error.code, error.message, true);
    }

    const message: WebhookReceivedV1 = {
      eventId,
      type: 'webhook.received',
      version: 1,
      occurredAt: receivedAt,
      workspaceId: trigger.workspaceId,
      triggerId: trigger.id,
      flowId: trigger.flowId,
      triggerStatus: trigger.status,
      receivedAt,
      method: command.method,
      contentType,
      body: command.body.toString('utf8'),
      bodyBytes: command.body.length,
      headers: allowListedHeaders(command.headers),
      query: command.query,
      deliveryId,
    };
    try {
      await this.producer.send(TOPICS.WEBHOOK_RECEIVED, [{ key: eventId, value: message }]);
    } catch (error) {
      if (error instanceof ProduceFailedError) {
        this.logger.warn(`event ${eventId} for trigger ${trigger.id} not acknowledged by the broker: answering 503`);
        throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the event could not be stored; retry later', [], { 'Retry-After': '5' });
      }
      throw error;
    }
    return { eventId };
  }

  /** Records the refusal on the rejected topic (best effort), then answers with the error. */
  private async reject(
    trigger: TriggerEntity,
    eventId: string,
    receivedAt: string,
    command: ReceiveWebhookCommand,
    deliveryId: string | null,
    httpStatus: number,
    code: string,
    reason: string,
    withPreview: boolean,
  ): Promise<never> {
    const record: WebhookRejectedV1 = {
      eventId,
      type: 'webhook.rejected',
      version: 1,
      occurredAt: receivedAt,
      workspaceId: trigger.workspaceId,
      triggerId: trigger.id,
      flowId: trigger.flowId,
      receivedAt,
      httpStatus,
      code,
      reason: reason.slice(0, 2000),
      contentType: command.contentType?.slice(0, 200) ?? null,
      bodyBytes: command.body.length,
      bodyPreview: withPreview ? command.body.subarray(0, PREVIEW_BYTES).toString('utf8') : null,
      deliveryId,
    };
    try {
      await this.producer.send(TOPICS.WEBHOOK_REJECTED, [{ key: trigger.id, value: record }]);
    } catch (error) {
      this.logger.warn(`could not record rejection ${eventId} of trigger ${trigger.id}: ${String(error)}`);
    }
    throw new ApiException(httpStatus, code as never, reason);
  }
}
