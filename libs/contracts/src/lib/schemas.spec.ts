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

  it('accepts a replayed webhook.received (optional replayedAt) and refuses a replayedAt that is not a date-time', () => {
    const msg = {
      ...base,
      type: 'webhook.received',
      triggerStatus: 'live',
      receivedAt: base.occurredAt,
      method: 'POST',
      contentType: 'application/json',
      body: '{}',
      bodyBytes: 2,
      headers: {},
      query: {},
      deliveryId: null,
    };
    expect(() => assertMessage(TOPICS.WEBHOOK_RECEIVED, { ...msg, replayedAt: '2026-11-25T11:00:00.000Z' })).not.toThrow();
    expect(() => assertMessage(TOPICS.WEBHOOK_RECEIVED, { ...msg, replayedAt: 'yesterday' })).toThrow(ContractViolationError);
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

  describe('trigger.config', () => {
    const config = {
      ...base,
      type: 'trigger.config',
      name: 'Shopify orders',
      status: 'live',
      unknownCustomer: 'create',
      updatedAt: base.occurredAt,
      tokens: { hash: 'a'.repeat(64), previousHash: 'b'.repeat(64), previousValidUntil: base.occurredAt },
      verification: { scheme: 'shopify', toleranceSeconds: 300, hmac: null, secrets: [{ keyId: '0123456789abcdef', ciphertext: 'AAAA/+==' }] },
      limits: { maxBodyBytes: 1_048_576, ratePerSecond: null, burst: null },
    };

    it('accepts what the edge needs: token hashes, the scheme with sealed secrets, limits', () => {
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, config)).not.toThrow();
      const hmac = { header: 'x-signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=', timestampHeader: 'x-timestamp', timestampSeparator: '.' };
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, { ...config, verification: { ...config.verification, scheme: 'hmac', hmac } })).not.toThrow();
    });

    it('refuses a secret in any form but its ciphertext, and a token that is not a hash', () => {
      const plain = { ...config, verification: { ...config.verification, secrets: [{ keyId: '0123456789abcdef', ciphertext: 'AAAA', plaintext: 'shpss_123' }] } };
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, plain)).toThrow(/additional properties/);
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, { ...config, verification: { ...config.verification, secret: 'shpss_123' } })).toThrow(ContractViolationError);
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, { ...config, tokens: { ...config.tokens, hash: 'the-token-itself' } })).toThrow(/\/tokens\/hash/);
    });

    it('refuses an unknown scheme and a message without the edge settings', () => {
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, { ...config, verification: { ...config.verification, scheme: 'md5' } })).toThrow(/\/verification\/scheme/);
      const { tokens: _tokens, ...withoutTokens } = config;
      expect(() => assertMessage(TOPICS.TRIGGER_CONFIG, withoutTokens)).toThrow(/tokens/);
    });
  });
});
