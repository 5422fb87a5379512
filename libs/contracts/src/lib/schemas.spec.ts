import { assertMessage, ContractViolationError } from '../index';
import { TOPICS, TOPIC_SPECS } from './topics';
import { MESSAGE_SCHEMAS } from './schemas';

const base = {
  eventId: '0190a5e2-0000-7000-8000-000000000001',
  version: 1,
  occurredAt: '2026-11-25T10:00:00.000Z',
  workspaceId: 'ws_1',
  triggerId: 'trg_1',
  flowId: 'flow_1',
};

describe('message contracts', () => {
  it('has a schema for every provisioned topic', () => {
    for (const spec of TOPIC_SPECS) expect(MESSAGE_SCHEMAS[spec.topic]).toBeDefined();
  });

  it('accepts a valid webhook.received message', () => {
    const msg = {
      ...base,
      type: 'webhook.received',
      triggerStatus: 'live',
      receivedAt: base.occurredAt,
      method: 'POST',
      contentType: 'application/json',
      body: '{"id":820982911946154508}',
      bodyBytes: 25,
      headers: { 'x-shopify-topic': 'orders/create' },
      query: {},
      deliveryId: 'abc',
    };
    expect(() => assertMessage(TOPICS.WEBHOOK_RECEIVED, msg)).not.toThrow();
  });

  it('lists every problem of an invalid message', () => {
    const sut = () =>
      assertMessage(TOPICS.JOURNEY_TRIGGERED, { ...base, type: 'journey.triggered', customer: { id: 1 }, extra: true });
    expect(sut).toThrow(ContractViolationError);
    try {
      sut();
    } catch (e) {
      const problems = (e as ContractViolationError).problems.join('\n');
      expect(problems).toMatch(/source/);
      expect(problems).toMatch(/additional properties/);
      expect(problems).toMatch(/\/customer/);
    }
  });

  it('refuses a mapped message whose unique id has an unknown type', () => {
    const msg = {
      ...base,
      type: 'trigger.mapped',
      source: { kind: 'webhook', eventId: 'e1', receivedAt: base.occurredAt, deliveryId: null },
      disposition: 'trigger',
      reason: null,
      mappingVersion: 1,
      uniqueId: { type: 'fax', value: '1' },
      variables: {},
      variableSets: {},
      dedupeKey: 'e1',
    };
    expect(() => assertMessage(TOPICS.TRIGGER_MAPPED, msg)).toThrow(ContractViolationError);
    expect(() =>
      assertMessage(TOPICS.TRIGGER_MAPPED, { ...msg, uniqueId: { type: 'email', value: 'a@b.co' } }),
    ).not.toThrow();
  });
});
