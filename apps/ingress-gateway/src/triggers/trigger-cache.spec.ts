import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { TriggerConfigV1 } from '@hookline/contracts';
import { sha256 } from '../auth/secrets';
import { SecretBox } from '../verification/secret-box';
import { TriggerCache, tokenMatches } from './trigger-cache';

const box = new SecretBox(randomBytes(32));
const TOKEN = 'current-token';
const OLD_TOKEN = 'old-token';

function config(over: Partial<TriggerConfigV1> = {}, triggerId = 'trg_1'): TriggerConfigV1 {
  return {
    eventId: 'e1',
    type: 'trigger.config',
    version: 1,
    occurredAt: '2026-11-25T10:00:00.000Z',
    workspaceId: 'ws_1',
    triggerId,
    flowId: 'flow_1',
    name: 'Orders',
    status: 'live',
    unknownCustomer: 'create',
    updatedAt: '2026-11-25T10:00:00.000Z',
    tokens: { hash: sha256(TOKEN), previousHash: null, previousValidUntil: null },
    verification: { scheme: 'shopify', toleranceSeconds: 300, hmac: null, secrets: [box.seal('shpss_current', triggerId)] },
    limits: { maxBodyBytes: 1_048_576, ratePerSecond: null, burst: null },
    ...over,
  };
}

describe('TriggerCache', () => {
  let sut: TriggerCache;
  beforeEach(() => (sut = new TriggerCache(box, () => true)));

  it('holds what the edge needs, with the secrets opened', () => {
    sut.apply('trg_1', config());
    const held = sut.find('trg_1');
    expect(held).toMatchObject({ id: 'trg_1', workspaceId: 'ws_1', status: 'live', scheme: 'shopify', toleranceSeconds: 300, secrets: ['shpss_current'] });
    expect(held?.verifier.scheme).toBe('shopify');
  });

  it('keeps the newest config, whatever order the same changes arrive in', () => {
    sut.apply('trg_1', config({ status: 'paused', updatedAt: '2026-11-25T10:00:02.000Z' }));
    sut.apply('trg_1', config({ status: 'live', updatedAt: '2026-11-25T10:00:01.000Z' }));
    expect(sut.find('trg_1')?.status).toBe('paused');
    sut.apply('trg_1', config({ status: 'listening', updatedAt: '2026-11-25T10:00:02.000Z' }));
    expect(sut.find('trg_1')?.status).toBe('listening');
  });

  it('forgets a deleted trigger for good: a late or replayed config does not bring it back', () => {
    sut.apply('trg_1', config());
    sut.remove('trg_1');
    expect(sut.find('trg_1')).toBeUndefined();
    sut.apply('trg_1', config({ updatedAt: '2026-11-25T11:00:00.000Z' }));
    expect(sut.find('trg_1')).toBeUndefined();
    sut.apply('trg_2', config({}, 'trg_2'));
    sut.apply('trg_2', null);
    expect(sut.find('trg_2')).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('marks secrets it cannot open, without failing or saying what they are', () => {
    const foreign = new SecretBox(randomBytes(32));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      sut.apply('trg_1', config({ verification: { scheme: 'stripe', toleranceSeconds: 300, hmac: null, secrets: [foreign.seal('whsec_x_secret', 'trg_1')] } }));
      expect(sut.find('trg_1')?.secrets).toBeNull();
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^trigger trg_1: its signing secrets cannot be opened \(no configured encryption key has id [0-9a-f]{16}\)/));
      expect(JSON.stringify(logged.mock.calls)).not.toContain('whsec_x_secret');
    } finally {
      logged.mockRestore();
    }
  });

  it('marks a generic hmac trigger without its options as unusable rather than failing', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      sut.apply('trg_1', config({ verification: { scheme: 'hmac', toleranceSeconds: 300, hmac: null, secrets: [box.seal('s', 'trg_1')] } }));
      expect(sut.find('trg_1')?.secrets).toBeNull();
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('its verification settings are unusable'));
    } finally {
      logged.mockRestore();
    }
  });

  it('says whether it is loaded as its source says', () => {
    let loaded = false;
    const cache = new TriggerCache(box, () => loaded);
    expect(cache.isLoaded()).toBe(false);
    loaded = true;
    expect(cache.isLoaded()).toBe(true);
  });
});

describe('tokenMatches', () => {
  const cache = new TriggerCache(box, () => true);
  const until = Date.parse('2026-11-26T10:00:00.000Z');
  cache.apply('trg_1', config({ tokens: { hash: sha256(TOKEN), previousHash: sha256(OLD_TOKEN), previousValidUntil: new Date(until).toISOString() } }));
  const trigger = cache.find('trg_1')!;

  it('accepts the current token, and the previous one only until its grace ends', () => {
    expect(tokenMatches(trigger, TOKEN, until + 1)).toBe(true);
    expect(tokenMatches(trigger, OLD_TOKEN, until - 1)).toBe(true);
    expect(tokenMatches(trigger, OLD_TOKEN, until)).toBe(false);
  });

  it('refuses any other token, and absurdly long ones without hashing them', () => {
    expect(tokenMatches(trigger, 'guess', until - 1)).toBe(false);
    expect(tokenMatches(trigger, 'x'.repeat(201), until - 1)).toBe(false);
  });
});
