import { createHmac, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { TOPICS, type TriggerConfigV1 } from '@hookline/contracts';
import type { BatchingProducer } from '@hookline/kafka';
import { ApiException } from '@hookline/http';
import { fixtureBytes } from '@hookline/testing';
import { sha256 } from '../../auth/secrets';
import type { GatewayConfig } from '../../config/gateway.config';
import { TriggerCache } from '../../triggers/trigger-cache';
import { SecretBox } from '../../verification/secret-box';
import { TokenBuckets } from '../token-buckets';
import { type ReceiveWebhookCommand, ReceiveWebhookUseCase } from './receive-webhook.use-case';

// The webhook route from the trigger cache alone: the use-case has no database to ask.
const BODY = fixtureBytes('shopify__orders_create.json');
const SECRET = 'shpss_0f3c9e';
const TOKEN = 'tok_current';
const box = new SecretBox(randomBytes(32));
const shopifySignature = (secret: string, body = BODY) => createHmac('sha256', secret).update(body).digest('base64');

function config(over: Partial<TriggerConfigV1> = {}): TriggerConfigV1 {
  return {
    eventId: 'e1',
    type: 'trigger.config',
    version: 1,
    occurredAt: new Date().toISOString(),
    workspaceId: 'ws_1',
    triggerId: 'trg_1',
    flowId: 'flow_1',
    name: 'Orders',
    status: 'live',
    unknownCustomer: 'create',
    updatedAt: new Date().toISOString(),
    tokens: { hash: sha256(TOKEN), previousHash: sha256('tok_old'), previousValidUntil: new Date(Date.now() + 60_000).toISOString() },
    verification: { scheme: 'shopify', toleranceSeconds: 300, hmac: null, secrets: [box.seal(SECRET, 'trg_1')] },
    limits: { maxBodyBytes: 1_048_576, ratePerSecond: null, burst: null },
    ...over,
  };
}

describe('ReceiveWebhookUseCase', () => {
  let sent: Array<{ topic: string; value: Record<string, unknown> }>;
  let loaded: boolean;
  let cache: TriggerCache;
  let sut: ReceiveWebhookUseCase;

  beforeEach(() => {
    sent = [];
    loaded = true;
    cache = new TriggerCache(box, () => loaded);
    cache.apply('trg_1', config());
    const producer = { send: async (topic: string, m: { value: Record<string, unknown> }) => void sent.push({ topic, value: m.value }) } as unknown as BatchingProducer;
    sut = new ReceiveWebhookUseCase(cache, producer, new TokenBuckets(), { publicBaseUrl: 'https://hooks.example.com' } as GatewayConfig);
  });

  const command = (over: Partial<ReceiveWebhookCommand> = {}): ReceiveWebhookCommand => ({
    triggerId: 'trg_1',
    token: TOKEN,
    method: 'POST',
    contentType: 'application/json',
    body: BODY,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': shopifySignature(SECRET), 'x-shopify-topic': 'orders/create' },
    query: {},
    ...over,
  });
  const failure = async (c: ReceiveWebhookCommand) => {
    try {
      await sut.execute(c);
    } catch (error) {
      if (error instanceof ApiException) return { status: error.getStatus(), body: error.getResponse(), headers: error.headers };
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('accepts a signed request, without the signature header on the event', async () => {
    const result = await sut.execute(command());
    expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.map((s) => s.topic)).toEqual([TOPICS.WEBHOOK_RECEIVED]);
    expect(sent[0].value).toMatchObject({ triggerId: 'trg_1', triggerStatus: 'live', headers: { 'x-shopify-topic': 'orders/create' } });
    expect(JSON.stringify(sent[0].value)).not.toContain(shopifySignature(SECRET));
  });

  it('refuses a bad signature with 401, recorded as rejected without the body, and never accepted', async () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('404.95', '0.01'));
    const refused = await failure(command({ body: tampered }));
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
    expect(sent.map((s) => s.topic)).toEqual([TOPICS.WEBHOOK_REJECTED]);
    expect(sent[0].value).toMatchObject({ httpStatus: 401, code: 'SIGNATURE_INVALID', bodyPreview: null, bodyBytes: tampered.length });
    expect(JSON.stringify(sent)).not.toContain(SECRET);
  });

  it('refuses a request without the signature as SIGNATURE_MISSING', async () => {
    expect(await failure(command({ headers: { 'content-type': 'application/json' } }))).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_MISSING' } } });
  });

  it('verifies before parsing: an unsigned malformed body is a 401, not a 400', async () => {
    expect(await failure(command({ body: Buffer.from('{"id": 1,'), headers: {} }))).toMatchObject({ status: 401 });
  });

  it('accepts the URL before the last rotation during its grace, and answers 404 for any other token', async () => {
    await expect(sut.execute(command({ token: 'tok_old' }))).resolves.toMatchObject({ eventId: expect.any(String) });
    expect(await failure(command({ token: 'tok_guess' }))).toMatchObject({ status: 404 });
    expect(await failure(command({ triggerId: 'trg_unknown' }))).toMatchObject({ status: 404 });
    cache.apply('trg_1', config({ updatedAt: new Date(Date.now() + 1_000).toISOString(), tokens: { hash: sha256(TOKEN), previousHash: sha256('tok_old'), previousValidUntil: new Date(Date.now() - 1).toISOString() } }));
    expect(await failure(command({ token: 'tok_old' }))).toMatchObject({ status: 404 });
  });

  it('answers a deleted trigger with the same 404 as an unknown one', async () => {
    const unknown = await failure(command({ triggerId: 'trg_unknown' }));
    cache.remove('trg_1');
    expect(await failure(command())).toEqual(unknown);
  });

  it('answers 503 while the cache is loading, and for secrets it cannot open, never 404 or 202', async () => {
    loaded = false;
    expect(await failure(command())).toMatchObject({ status: 503, body: { error: { code: 'NOT_READY' } }, headers: { 'Retry-After': '5' } });
    loaded = true;
    const other = new SecretBox(randomBytes(32));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    cache.apply('trg_1', config({ updatedAt: new Date(Date.now() + 1_000).toISOString(), verification: { scheme: 'shopify', toleranceSeconds: 300, hmac: null, secrets: [other.seal(SECRET, 'trg_1')] } }));
    logged.mockRestore();
    expect(await failure(command())).toMatchObject({ status: 503, body: { error: { code: 'VERIFICATION_UNAVAILABLE' } } });
    expect(sent).toEqual([]);
  });

  it('lets an unsigned request through for the scheme none', async () => {
    cache.apply('trg_1', config({ updatedAt: new Date(Date.now() + 1_000).toISOString(), verification: { scheme: 'none', toleranceSeconds: 300, hmac: null, secrets: [] } }));
    await expect(sut.execute(command({ headers: {} }))).resolves.toMatchObject({ eventId: expect.any(String) });
  });

  it('gives Twilio the public URL as the provider called it', async () => {
    const form = Buffer.from('CallSid=CA1&From=%2B14158675309');
    const url = 'https://hooks.example.com/hooks/trg_1/tok_current?x=1';
    const signature = createHmac('sha1', 'twilio-token').update(`${url}CallSidCA1From+14158675309`).digest('base64');
    cache.apply('trg_1', config({ updatedAt: new Date(Date.now() + 1_000).toISOString(), verification: { scheme: 'twilio', toleranceSeconds: 300, hmac: null, secrets: [box.seal('twilio-token', 'trg_1')] } }));
    const twilio = command({ body: form, contentType: 'application/x-www-form-urlencoded', headers: { 'x-twilio-signature': signature }, requestUrl: '/hooks/trg_1/tok_current?x=1' });
    await expect(sut.execute(twilio)).resolves.toMatchObject({ eventId: expect.any(String) });
    expect(await failure({ ...twilio, requestUrl: '/hooks/trg_1/tok_current?x=2' })).toMatchObject({ status: 401 });
  });
});
