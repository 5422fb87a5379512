// The webhook route runs on bare node:http, outside Nest (edge/edge-server.ts), so no
// controller describes it: this does, for the gateway's OpenAPI document.
import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_BODY_SCHEMA } from '@hookline/http';

type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;

const error = (description: string, retryAfter = false) => ({
  description,
  ...(retryAfter ? { headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
  content: { 'application/json': { schema: ERROR_BODY_SCHEMA } },
});

function operation(method: 'POST' | 'PUT'): Operation {
  return {
    operationId: `Webhooks_receive${method === 'PUT' ? 'Put' : ''}`,
    tags: ['webhooks'],
    summary: `Receive a webhook (${method})`,
    description:
      "The public URL a third party posts to: it names the trigger and carries its token (no API key). The body is read as raw bytes (gzip, deflate and br are decompressed), checked against the trigger's verification scheme, its limits and content type, and answered 202 only after the broker has acknowledged the event (acks = all). A refusal other than 404 and 429 is recorded in the trigger's event log with its reason. A `traceparent` header (W3C Trace Context) is continued; without one a new trace starts here.",
    security: [],
    parameters: [
      { name: 'triggerId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: "the URL's secret token (256 random bits)" },
      { name: 'traceparent', in: 'header', required: false, schema: { type: 'string' }, description: 'W3C trace context to continue' },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: {} },
        'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: true } },
      },
    },
    responses: {
      '202': {
        description: 'accepted: the event is on the broker',
        content: { 'application/json': { schema: { type: 'object', required: ['eventId'], properties: { eventId: { type: 'string', description: 'UUIDv7; the id in the event log' } } } } },
      },
      '400': error('malformed JSON, nesting too deep, a forbidden key (`__proto__`), an empty body, or a body that does not decompress (recorded)'),
      '401': error('signature missing or wrong, or timestamp outside the tolerance (recorded, without the body)'),
      '404': error('unknown trigger, wrong token or deleted trigger: one answer for all three (not recorded)'),
      '408': error('the client did not send its headers or its body in time'),
      '413': error("body over the trigger's limit (recorded, size only) or over 10 MiB (not recorded)"),
      '415': error('content type not JSON or form-urlencoded, or an unsupported Content-Encoding (recorded)'),
      '429': error("over the trigger's rate limit (counted, not recorded)", true),
      '503': error('BROKER_UNAVAILABLE (nothing acknowledged), NOT_READY (the trigger cache is loading) or VERIFICATION_UNAVAILABLE', true),
    },
  };
}

export const WEBHOOK_PATHS: OpenAPIObject['paths'] = {
  '/hooks/{triggerId}/{token}': { post: operation('POST'), put: operation('PUT') },
};
