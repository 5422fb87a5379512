import { VERIFICATION_SCHEMES } from './messages';
import { TOPICS, type Topic } from './topics';

/** JSON Schemas (2020-12) of every message, validated by ajv on produce and on consume. */
const isoDate = { type: 'string', format: 'date-time' } as const;
const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const nullableId = { type: ['string', 'null'], minLength: 1, maxLength: 200 } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const sha256Hex = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const headerName = { type: 'string', pattern: '^[a-z0-9!#$%&\'*+.^_`|~-]{1,100}$' } as const;

function envelope(type: string, required: string[], properties: Record<string, unknown>, idsRequired = false) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['eventId', 'type', 'version', 'occurredAt', 'workspaceId', 'triggerId', 'flowId', ...required],
    properties: {
      eventId: id,
      type: { const: type },
      version: { const: 1 },
      occurredAt: isoDate,
      workspaceId: id,
      triggerId: idsRequired ? id : nullableId,
      flowId: nullableId,
      ...properties,
    },
    additionalProperties: false,
  };
}

const source = {
  type: 'object',
  required: ['kind', 'eventId', 'receivedAt', 'deliveryId'],
  properties: {
    kind: { enum: ['webhook', 'api'] },
    eventId: id,
    receivedAt: isoDate,
    deliveryId: { type: ['string', 'null'], maxLength: 500 },
  },
  additionalProperties: false,
} as const;

const triggerStatus = { enum: ['listening', 'live', 'paused'] } as const;
const unknownCustomer = { enum: ['create', 'park', 'skip'] } as const;
const uniqueIdType = { enum: ['order_id', 'order_name', 'shopify_customer_id', 'phone', 'email', 'external_id'] } as const;

export const MESSAGE_SCHEMAS: Record<Topic, object> = {
  [TOPICS.WEBHOOK_RECEIVED]: envelope(
    'webhook.received',
    ['triggerStatus', 'receivedAt', 'method', 'contentType', 'body', 'bodyBytes', 'headers', 'query', 'deliveryId'],
    {
      flowId: id,
      triggerStatus,
      receivedAt: isoDate,
      method: { enum: ['POST', 'PUT'] },
      contentType: { type: 'string', maxLength: 200 },
      body: { type: 'string' },
      bodyBytes: { type: 'integer', minimum: 0 },
      headers: stringMap,
      query: stringMap,
      deliveryId: { type: ['string', 'null'], maxLength: 500 },
      // Optional: only a replay carries it (backward compatible for every reader and writer).
      replayedAt: isoDate,
    },
    true,
  ),
  [TOPICS.WEBHOOK_REJECTED]: envelope(
    'webhook.rejected',
    ['receivedAt', 'httpStatus', 'code', 'reason', 'contentType', 'bodyBytes', 'bodyPreview', 'deliveryId'],
    {
      receivedAt: isoDate,
      httpStatus: { type: 'integer', minimum: 400, maximum: 599 },
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
      reason: { type: 'string', maxLength: 2000 },
      contentType: { type: ['string', 'null'], maxLength: 200 },
      bodyBytes: { type: 'integer', minimum: 0 },
      bodyPreview: { type: ['string', 'null'], maxLength: 4096 },
      deliveryId: { type: ['string', 'null'], maxLength: 500 },
    },
    true,
  ),
  [TOPICS.TRIGGER_CONFIG]: envelope(
    'trigger.config',
    ['name', 'status', 'unknownCustomer', 'updatedAt', 'tokens', 'verification', 'limits'],
    {
      flowId: id,
      name: { type: 'string', maxLength: 200 },
      status: triggerStatus,
      unknownCustomer,
      updatedAt: isoDate,
      tokens: {
        type: 'object',
        required: ['hash', 'previousHash', 'previousValidUntil'],
        properties: { hash: sha256Hex, previousHash: { ...sha256Hex, type: ['string', 'null'] }, previousValidUntil: { ...isoDate, type: ['string', 'null'] } },
        additionalProperties: false,
      },
      verification: {
        type: 'object',
        required: ['scheme', 'toleranceSeconds', 'hmac', 'secrets'],
        properties: {
          scheme: { enum: VERIFICATION_SCHEMES },
          toleranceSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
          hmac: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['header', 'algorithm', 'encoding', 'prefix', 'timestampHeader', 'timestampSeparator'],
                properties: {
                  header: headerName,
                  algorithm: { enum: ['sha256', 'sha512'] },
                  encoding: { enum: ['hex', 'base64'] },
                  prefix: { type: 'string', maxLength: 50 },
                  timestampHeader: { oneOf: [{ type: 'null' }, headerName] },
                  timestampSeparator: { type: 'string', maxLength: 10 },
                },
                additionalProperties: false,
              },
            ],
          },
          // Ciphertext only: the plaintext of a secret never travels on Kafka.
          secrets: {
            type: 'array',
            maxItems: 2,
            items: {
              type: 'object',
              required: ['keyId', 'ciphertext'],
              properties: { keyId: { type: 'string', pattern: '^[0-9a-f]{16}$' }, ciphertext: { type: 'string', pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 4096 } },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      limits: {
        type: 'object',
        required: ['maxBodyBytes', 'ratePerSecond', 'burst'],
        properties: {
          maxBodyBytes: { type: 'integer', minimum: 1 },
          ratePerSecond: { type: ['number', 'null'], exclusiveMinimum: 0 },
          burst: { type: ['integer', 'null'], minimum: 1 },
        },
        additionalProperties: false,
      },
    },
    true,
  ),
  [TOPICS.TRIGGER_SCHEMA]: envelope(
    'trigger.schema',
    ['sampleCount', 'variables', 'updatedAt'],
    {
      sampleCount: { type: 'integer', minimum: 0 },
      updatedAt: isoDate,
      variables: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'types', 'presence', 'roles'],
          properties: {
            path: { type: 'string' },
            types: { type: 'array', items: { type: 'string' } },
            presence: { type: 'number', minimum: 0, maximum: 1 },
            example: {},
            formats: { type: 'array', items: { type: 'string' } },
            roles: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
      },
    },
    true,
  ),
  [TOPICS.TRIGGER_MAPPING]: envelope(
    'trigger.mapping',
    ['mappingVersion', 'paths', 'updatedAt'],
    {
      mappingVersion: { type: 'integer', minimum: 1 },
      paths: { type: 'array', maxItems: 5000, items: { type: 'string', maxLength: 1000 } },
      updatedAt: isoDate,
    },
    true,
  ),
  [TOPICS.TRIGGER_MAPPED]: envelope(
    'trigger.mapped',
    ['source', 'disposition', 'reason', 'mappingVersion', 'uniqueId', 'variables', 'variableSets', 'dedupeKey'],
    {
      flowId: id,
      source,
      disposition: { enum: ['trigger', 'skip'] },
      reason: { type: ['string', 'null'] },
      mappingVersion: { type: ['integer', 'null'], minimum: 1 },
      uniqueId: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['type', 'value'],
            properties: { type: uniqueIdType, value: { type: 'string', minLength: 1, maxLength: 500 } },
            additionalProperties: false,
          },
        ],
      },
      variables: { type: 'object' },
      variableSets: { type: 'object' },
      dedupeKey: { type: 'string', minLength: 1, maxLength: 600 },
    },
  ),
  [TOPICS.TRIGGER_FAILED]: envelope(
    'trigger.failed',
    ['stage', 'sourceEventId', 'sourceTopic', 'code', 'reason', 'errors', 'mappingVersion'],
    {
      stage: { enum: ['mapping', 'trigger', 'consume'] },
      sourceEventId: nullableId,
      sourceTopic: { type: ['string', 'null'] },
      code: { type: 'string' },
      reason: { type: 'string', maxLength: 4000 },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' } },
        },
      },
      mappingVersion: { type: ['integer', 'null'] },
    },
  ),
  [TOPICS.JOURNEY_TRIGGERED]: envelope(
    'journey.triggered',
    ['source', 'customer', 'variables', 'variableSets', 'mappingVersion'],
    {
      flowId: id,
      source,
      customer: {
        type: 'object',
        required: ['id', 'identifiers', 'created'],
        properties: { id, identifiers: stringMap, created: { type: 'boolean' } },
        additionalProperties: false,
      },
      variables: { type: 'object' },
      variableSets: { type: 'object' },
      mappingVersion: { type: ['integer', 'null'] },
    },
  ),
};
