import { Webhook } from 'standardwebhooks';
import { fixtureBytes } from '@hookline/testing';
import type { VerifyInput } from '../verification.types';
import { isStandardWebhooksSecret, StandardWebhooksVerifier } from './standard-webhooks.verifier';

// Signatures come from the reference library (standardwebhooks), which also verifies them.
const BODY = fixtureBytes('shopify__orders_create.json');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const NOW = new Date('2026-11-25T10:00:00Z');
const MSG_ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

function headers(secret: string, at = NOW, payload = BODY): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': MSG_ID, 'webhook-timestamp': String(seconds), 'webhook-signature': new Webhook(secret).sign(MSG_ID, at, payload.toString('utf8')) };
}
const input = (h: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput => ({
  rawBody: BODY,
  headers: h,
  url: 'https://hooks.example.com/hooks/trg_1/token',
  secrets: [SECRET],
  toleranceSeconds: 300,
  now: NOW,
  ...over,
});
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('StandardWebhooksVerifier', () => {
  const sut = new StandardWebhooksVerifier();

  it('accepts what the reference library signed', () => {
    const h = headers(SECRET);
    jest.useFakeTimers({ now: NOW });
    try {
      expect(() => new Webhook(SECRET).verify(BODY.toString('utf8'), h)).not.toThrow();
    } finally {
      jest.useRealTimers();
    }
    expect(sut.verify(input(h))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a tampered body, a changed message id and a wrong secret', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('"total_price": "404.95"', '"total_price": "0.01"'));
    expect(tampered.equals(BODY)).toBe(false);
    expect(sut.verify(input(headers(SECRET), { rawBody: tampered }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input({ ...headers(SECRET), 'webhook-id': 'msg_other' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input(headers('whsec_' + Buffer.from('another secret entirely').toString('base64'))))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('accepts the previous secret during a rotation', () => {
    expect(sut.verify(input(headers(OLD_SECRET), { secrets: [SECRET, OLD_SECRET] }))).toEqual({ ok: true, secretIndex: 1 });
  });

  it('accepts a list of signatures when one of them is ours, and ignores other versions', () => {
    const h = headers(SECRET);
    const foreign = headers(OLD_SECRET)['webhook-signature'];
    expect(sut.verify(input({ ...h, 'webhook-signature': `v1a,AAAA ${foreign} ${h['webhook-signature']}` }))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ ...h, 'webhook-signature': h['webhook-signature'].replace('v1,', 'v2,') }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('names every missing header', () => {
    const { 'webhook-signature': _s, 'webhook-timestamp': _t, ...rest } = headers(SECRET);
    expect(sut.verify(input(rest))).toEqual({ ok: false, code: 'SIGNATURE_MISSING', reason: 'no webhook-timestamp, webhook-signature header' });
  });

  it('refuses a timestamp more than the tolerance away, either way, as the reference library does', () => {
    const stale = headers(SECRET, minutes(-6));
    expect(() => new Webhook(SECRET).verify(BODY.toString('utf8'), stale)).toThrow(/too old/i);
    expect(sut.verify(input(stale))).toMatchObject({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(sut.verify(input(headers(SECRET, minutes(6))))).toMatchObject({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(sut.verify(input(headers(SECRET, minutes(-4))))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ ...headers(SECRET), 'webhook-timestamp': '2026-11-25T10:00:00Z' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('knows which secrets it can use', () => {
    expect(isStandardWebhooksSecret(SECRET)).toBe(true);
    expect(isStandardWebhooksSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(true);
    expect(isStandardWebhooksSecret('whsec_not base64!')).toBe(false);
    expect(isStandardWebhooksSecret('whsec_')).toBe(false);
  });
});
