import { Inject, Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS, type TriggerStatus, type WebhookReceivedV1, type WebhookRejectedV1 } from '@hookline/contracts';
import { BatchingProducer, ProduceFailedError } from '@hookline/kafka';
import { ApiException, isLogLevelEnabled } from '@hookline/http';
import { type Traceparent, traceIdOf, traceparentFor } from '@hookline/observability';
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
/** Why a request is refused and recorded (401, 413, 415, 400). */
interface Refusal {
  httpStatus: number;
  code: string;
  reason: string;
  /** Whether the start of the body is kept with the record (malformed bodies: yes; forged ones: never). */
  withPreview: boolean;
}
interface Refused {
  refusal: Refusal;
  trigger: EdgeTrigger;
  eventId: string;
  traceparent: Traceparent;
  receivedAt: string;
  deliveryId: string | null;
}
interface Accepted {
  refusal: null;
  eventId: string;
  traceparent: Traceparent;
  trigger: EdgeTrigger;
  message: WebhookReceivedV1;
}

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
  private readonly debug = isLogLevelEnabled('debug');

  constructor(
    private readonly triggers: TriggerCache,
    // Shared produce calls: concurrent requests' events go to the broker together (acks = all).
    private readonly producer: BatchingProducer,
    private readonly rateLimits: TokenBuckets,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Settles with the event id once the broker has the event, or rejects with the
   * ApiException to answer. The checks run synchronously, and the only promise on the way of
   * an accepted request is its produce call: this route is the product's hot path.
   */
  execute(command: ReceiveWebhookCommand): Promise<{ eventId: string }> {
    let verdict: Accepted | Refused;
    try {
      verdict = this.check(command);
    } catch (error) {
      return Promise.reject(error);
    }
    if (verdict.refusal) return this.reject(verdict, command);
    const { eventId, trigger, message, traceparent } = verdict;
    // The event's trace travels with it to every service (the traceparent header on each message it leads to).
    return this.producer.send(TOPICS.WEBHOOK_RECEIVED, { key: eventId, value: message, headers: { traceparent } }).then(
      () => {
        if (this.debug) this.logger.debug({ msg: `event ${eventId} accepted`, ...logFields(eventId, trigger, traceparent) });
        return { eventId };
      },
      (error: unknown) => {
        if (!(error instanceof ProduceFailedError)) throw error;
        this.logger.warn({ msg: `event ${eventId} for trigger ${trigger.id} not acknowledged by the broker: answering 503`, ...logFields(eventId, trigger, traceparent) });
        throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the event could not be stored; retry later', [], { 'Retry-After': '5' });
      },
    );
  }

  /** Every check of the edge, in order; throws what is answered without a record (404, 429, 503). */
  private check(command: ReceiveWebhookCommand): Accepted | Refused {
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
    // The provider's trace continued (a `traceparent` header), or a new one: one per request.
    const traceparent = traceparentFor(command.headers['traceparent']);
    const deliveryId = deliveryIdOf(command.headers);
    const contentType = command.contentType ?? 'application/json';
    const refused = (refusal: Refusal): Refused => ({ refusal, trigger, eventId, traceparent, receivedAt, deliveryId });

    if (command.body.length > trigger.limits.maxBodyBytes) {
      return refused({ httpStatus: 413, code: 'PAYLOAD_TOO_LARGE', reason: `body of ${command.body.length} bytes exceeds ${trigger.limits.maxBodyBytes}`, withPreview: false });
    }
    const forged = this.verifySignature(trigger, command);
    if (forged) return refused(forged);
    if (command.contentType && !SUPPORTED_TYPE.test(command.contentType)) {
      return refused({ httpStatus: 415, code: 'UNSUPPORTED_MEDIA_TYPE', reason: `content type ${command.contentType} is not JSON or form-urlencoded`, withPreview: false });
    }
    let text: string;
    try {
      // The verdict of parseBody at a fraction of its cost, and the body's text; consumers parse losslessly.
      text = checkBody(command.body, contentType);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      return refused({ httpStatus: error.code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400, code: error.code, reason: error.message, withPreview: true });
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
      body: text,
      bodyBytes: command.body.length,
      headers: allowListedHeaders(command.headers, trigger.signatureHeaders),
      query: command.query,
      deliveryId,
    };
    return { refusal: null, eventId, traceparent, trigger, message };
  }

  /**
   * Over the raw bytes, before the body is parsed: a request that is not the provider's is
   * refused with 401 and recorded without its body (it is not theirs to store).
   */
  private verifySignature(trigger: EdgeTrigger, command: ReceiveWebhookCommand): Refusal | null {
    if (trigger.scheme === 'none') return null;
    if (trigger.secrets === null) throw unavailable('VERIFICATION_UNAVAILABLE', "the trigger's signing secret cannot be read; retry later");
    const result = trigger.verifier.verify({
      rawBody: command.body,
      headers: command.headers,
      url: `${this.config.publicBaseUrl}${command.requestUrl ?? `/hooks/${encodeURIComponent(command.triggerId)}/${encodeURIComponent(command.token)}`}`,
      secrets: trigger.secrets,
      toleranceSeconds: trigger.toleranceSeconds,
      now: new Date(),
    });
    return result.ok ? null : { httpStatus: 401, code: result.code, reason: result.reason, withPreview: false };
  }

  /** Records the refusal on the rejected topic (best effort), then answers with the error. */
  private async reject({ refusal, trigger, eventId, traceparent, receivedAt, deliveryId }: Refused, command: ReceiveWebhookCommand): Promise<never> {
    const { httpStatus, code, reason, withPreview } = refusal;
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
      await this.producer.send(TOPICS.WEBHOOK_REJECTED, { key: trigger.id, value: record, headers: { traceparent } });
    } catch (error) {
      this.logger.warn({ msg: `could not record rejection ${eventId} of trigger ${trigger.id}: ${String(error)}`, ...logFields(eventId, trigger, traceparent) });
    }
    if (this.debug) this.logger.debug({ msg: `event ${eventId} refused: ${code}`, code, ...logFields(eventId, trigger, traceparent) });
    throw new ApiException(httpStatus, code as never, reason);
  }
}

/** What names an event on a log line (the webhook route runs outside any unit of work, so it says so itself). */
function logFields(eventId: string, trigger: EdgeTrigger, traceparent: Traceparent) {
  return { eventId, triggerId: trigger.id, workspaceId: trigger.workspaceId, trace_id: traceIdOf(traceparent) };
}
