import { Inject, Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS, type TriggerStatus, type WebhookReceivedV1, type WebhookRejectedV1 } from '@hookline/contracts';
import { BatchingProducer, ProduceFailedError } from '@hookline/kafka';
import { ApiException } from '@hookline/http';
import { checkBody, PayloadError } from '@hookline/payload';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { type EdgeTrigger, TriggerCache, tokenMatches } from '../../triggers/trigger-cache';
import { allowListedHeaders, deliveryIdOf } from '../request-headers';
import { TokenBuckets } from '../token-buckets';

export interface ReceiveWebhookCommand {
  triggerId: string;
  token: string;
  method: 'POST' | 'PUT';
  contentType: string | undefined;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  /** The path and query as received (`/hooks/…?…`): schemes that sign the URL (Twilio) need it verbatim. */
  requestUrl?: string;
  /** Told the trigger's status once the URL is known to be valid (metrics). */
  onTrigger?: (status: TriggerStatus) => void;
}

const SUPPORTED_TYPE = /^(application\/(json|[\w.+-]*\+json|x-www-form-urlencoded)|text\/json)\b/i;
const PREVIEW_BYTES = 2_048;
// One answer for an unknown trigger, a wrong token and a deleted trigger: no oracle.
const notFound = () => new ApiException(404, 'NOT_FOUND', 'not found');
const unavailable = (code: 'NOT_READY' | 'VERIFICATION_UNAVAILABLE', message: string) => new ApiException(503, code, message, [], { 'Retry-After': '5' });

/**
 * The public webhook route: check the URL's token and the request's signature, refuse what
 * cannot be a webhook body (recording why), and answer 202 only after the broker has
 * acknowledged the event. The trigger comes from this replica's cache: Postgres is never
 * queried here.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly triggers: TriggerCache,
    // Shared produce calls: concurrent requests' events go to the broker together (acks = all).
    private readonly producer: BatchingProducer,
    private readonly rateLimits: TokenBuckets,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(command: ReceiveWebhookCommand): Promise<{ eventId: string }> {
    // Until the cache holds every trigger, a 404 could be a lie that makes a provider give up.
    if (!this.triggers.isLoaded()) throw unavailable('NOT_READY', 'the gateway is starting; retry later');
    const trigger = this.triggers.find(command.triggerId);
    if (!trigger || !tokenMatches(trigger, command.token, Date.now())) throw notFound();
    command.onTrigger?.(trigger.status);
    // Before any other work: a flood costs a map lookup, and is counted, not recorded.
    const retryAfter = this.rateLimits.take(trigger.id, trigger.limits);
    if (retryAfter > 0) throw new ApiException(429, 'RATE_LIMITED', `trigger ${trigger.id} is over its rate limit of ${trigger.limits.ratePerSecond}/s`, [], { 'Retry-After': String(retryAfter) });

    const receivedAt = new Date().toISOString();
    const eventId = uuidv7();
    const deliveryId = deliveryIdOf(command.headers);
    const contentType = command.contentType ?? 'application/json';

    if (command.body.length > trigger.limits.maxBodyBytes) {
      await this.reject(trigger, eventId, receivedAt, command, deliveryId, 413, 'PAYLOAD_TOO_LARGE', `body of ${command.body.length} bytes exceeds ${trigger.limits.maxBodyBytes}`, false);
    }
    await this.verifySignature(trigger, eventId, receivedAt, command, deliveryId);
    if (command.contentType && !SUPPORTED_TYPE.test(command.contentType)) {
      await this.reject(trigger, eventId, receivedAt, command, deliveryId, 415, 'UNSUPPORTED_MEDIA_TYPE', `content type ${command.contentType} is not JSON or form-urlencoded`, false);
    }
    try {
      // The verdict of parseBody at a fraction of its cost; consumers parse losslessly.
      checkBody(command.body, contentType);
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
      headers: allowListedHeaders(command.headers, trigger.signatureHeaders),
      query: command.query,
      deliveryId,
    };
    try {
      await this.producer.send(TOPICS.WEBHOOK_RECEIVED, { key: eventId, value: message });
    } catch (error) {
      if (error instanceof ProduceFailedError) {
        this.logger.warn(`event ${eventId} for trigger ${trigger.id} not acknowledged by the broker: answering 503`);
        throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the event could not be stored; retry later', [], { 'Retry-After': '5' });
      }
      throw error;
    }
    return { eventId };
  }

  /**
   * Over the raw bytes, before the body is parsed: a request that is not the provider's is
   * refused with 401 and recorded without its body (it is not theirs to store).
   */
  private async verifySignature(trigger: EdgeTrigger, eventId: string, receivedAt: string, command: ReceiveWebhookCommand, deliveryId: string | null): Promise<void> {
    if (trigger.scheme === 'none') return;
    if (trigger.secrets === null) throw unavailable('VERIFICATION_UNAVAILABLE', "the trigger's signing secret cannot be read; retry later");
    const result = trigger.verifier.verify({
      rawBody: command.body,
      headers: command.headers,
      url: `${this.config.publicBaseUrl}${command.requestUrl ?? `/hooks/${encodeURIComponent(command.triggerId)}/${encodeURIComponent(command.token)}`}`,
      secrets: trigger.secrets,
      toleranceSeconds: trigger.toleranceSeconds,
      now: new Date(),
    });
    if (!result.ok) await this.reject(trigger, eventId, receivedAt, command, deliveryId, 401, result.code, result.reason, false);
  }

  /** Records the refusal on the rejected topic (best effort), then answers with the error. */
  private async reject(
    trigger: EdgeTrigger,
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
      await this.producer.send(TOPICS.WEBHOOK_REJECTED, { key: trigger.id, value: record });
    } catch (error) {
      this.logger.warn(`could not record rejection ${eventId} of trigger ${trigger.id}: ${String(error)}`);
    }
    throw new ApiException(httpStatus, code as never, reason);
  }
}
