import { randomUUID } from 'node:crypto';
import { TOPICS, type TriggerFailedV1, type TriggerMappedV1 } from '@hookline/contracts';
import { fixtureText } from './fixtures';

/**
 * Valid messages for tests, each of a fresh workspace and trigger so tests sharing a broker
 * or database never see each other's. Override what a test is about.
 */
const order = fixtureText('shopify__orders_create.json');
/** The real Shopify order's id, as a decimal string: it does not fit a double. */
export const FIXTURE_ORDER_ID = /"id":\s*(\d+)/.exec(order)![1]!;
export const FIXTURE_ORDER_EMAIL = /"email":\s*"([^"]+)"/.exec(order)![1]!;

/** A mapped event as mapping would publish it for the fixture order. */
export function aMappedMessage(overrides: Partial<TriggerMappedV1> = {}): TriggerMappedV1 {
  const sourceEventId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'trigger.mapped',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId: `ws_${randomUUID()}`,
    triggerId: `trg_${randomUUID()}`,
    flowId: 'flow_order_created',
    source: { kind: 'webhook', eventId: sourceEventId, receivedAt: new Date().toISOString(), deliveryId: randomUUID() },
    disposition: 'trigger',
    reason: null,
    mappingVersion: 1,
    uniqueId: { type: 'email', value: FIXTURE_ORDER_EMAIL },
    variables: { orderId: FIXTURE_ORDER_ID, email: FIXTURE_ORDER_EMAIL },
    variableSets: {},
    dedupeKey: sourceEventId,
    ...overrides,
  };
}

/** A dead-letter record, as a consumer would write it. */
export function aFailedRecord(overrides: Partial<TriggerFailedV1> = {}): TriggerFailedV1 {
  return {
    eventId: randomUUID(),
    type: 'trigger.failed',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId: `ws_${randomUUID()}`,
    triggerId: `trg_${randomUUID()}`,
    flowId: 'flow_1',
    stage: 'mapping',
    sourceEventId: randomUUID(),
    sourceTopic: TOPICS.WEBHOOK_RECEIVED,
    code: 'MAPPING_FAILED',
    reason: `order id ${FIXTURE_ORDER_ID} has no customer`,
    errors: [{ code: 'PATH_MISSING', message: 'body.customer.email is missing', path: 'body.customer.email' }],
    mappingVersion: 3,
    ...overrides,
  };
}
