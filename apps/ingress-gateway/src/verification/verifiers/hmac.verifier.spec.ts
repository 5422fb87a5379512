import { createHmac } from 'node:crypto';
import { fixtureBytes } from '@hookline/testing';
import type { HmacVerificationOptions, VerifyInput } from '../verification.types';
import { HmacVerifier } from './hmac.verifier';

const BODY = fixtureBytes('typeform__form_response.json');
const NOW = new Date('2026-11-25T10:00:00Z');
const input = (headers: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput => ({
  rawBody: BODY,
  headers,
  url: 'https://hooks.example.com/hooks/trg_1/tok',
  secrets: ['current-secret'],
  toleranceSeconds: 300,
  now: NOW,
  ...over,
});
const options = (over: Partial<HmacVerificationOptions> = {}): HmacVerificationOptions => ({
  header: 'x-signature',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: '',
  timestampHeader: null,
  timestampSeparator: '.',
  ...over,
});

describe('HmacVerifier (the generic scheme)', () => {
  it('checks a Typeform-style signature: "sha256=" + base64, as configured', () => {
    const sut = new HmacVerifier('hmac', options({ header: 'typeform-signature', encoding: 'base64', prefix: 'sha256=' }));
    const signature = 'sha256=' + createHmac('sha256', 'current-secret').update(BODY).digest('base64');
    expect(sut.verify(input({ 'typeform-signature': signature }))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ 'typeform-signature': signature.slice(7) }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'typeform-signature does not start with "sha256="' });
    expect(sut.verify(input({ 'typeform-signature': signature }, { rawBody: Buffer.concat([BODY, Buffer.from('\n')]) }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('checks SHA-512 in hex, and a previous secret', () => {
    const sut = new HmacVerifier('hmac', options({ algorithm: 'sha512' }));
    const byOld = createHmac('sha512', 'old-secret').update(BODY).digest('hex');
    expect(sut.verify(input({ 'x-signature': byOld }, { secrets: ['current-secret', 'old-secret'] }))).toEqual({ ok: true, secretIndex: 1 });
    expect(sut.verify(input({ 'x-signature': byOld }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const sha256 = createHmac('sha256', 'current-secret').update(BODY).digest('hex');
    expect(sut.verify(input({ 'x-signature': sha256 }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  describe('with a signed timestamp (Cashfree-shaped: base64 of HMAC(timestamp + body), milliseconds)', () => {
    const sut = new HmacVerifier('hmac', options({ header: 'x-webhook-signature', encoding: 'base64', timestampHeader: 'x-webhook-timestamp', timestampSeparator: '' }));
    const sign = (timestamp: string, secret = 'current-secret', body = BODY) => createHmac('sha256', secret).update(timestamp + body.toString('utf8')).digest('base64');
    const ms = String(NOW.getTime());

    it('accepts a signature over timestamp and body', () => {
      expect(sut.verify(input({ 'x-webhook-signature': sign(ms), 'x-webhook-timestamp': ms }))).toEqual({ ok: true, secretIndex: 0 });
    });

    it('refuses a timestamp swapped after signing, and a missing timestamp header', () => {
      const later = String(NOW.getTime() + 1_000);
      expect(sut.verify(input({ 'x-webhook-signature': sign(ms), 'x-webhook-timestamp': later }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
      expect(sut.verify(input({ 'x-webhook-signature': sign(ms) }))).toEqual({ ok: false, code: 'SIGNATURE_MISSING', reason: 'no x-webhook-timestamp header' });
      expect(sut.verify(input({ 'x-webhook-signature': sign(ms), 'x-webhook-timestamp': 'yesterday' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    });

    it('refuses a genuine but stale signature, in seconds as in milliseconds', () => {
      const staleMs = String(NOW.getTime() - 301_000);
      expect(sut.verify(input({ 'x-webhook-signature': sign(staleMs), 'x-webhook-timestamp': staleMs }))).toMatchObject({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' });
      const staleSeconds = String(Math.floor(NOW.getTime() / 1000) - 3600);
      expect(sut.verify(input({ 'x-webhook-signature': sign(staleSeconds), 'x-webhook-timestamp': staleSeconds }))).toMatchObject({
        ok: false,
        code: 'TIMESTAMP_OUT_OF_TOLERANCE',
        reason: "the signed timestamp is 3600 s away from the gateway's clock; the tolerance is 300 s",
      });
    });
  });

  it('uses "." between timestamp and body unless told otherwise', () => {
    const sut = new HmacVerifier('hmac', options({ timestampHeader: 'x-timestamp' }));
    const t = String(Math.floor(NOW.getTime() / 1000));
    const signature = createHmac('sha256', 'current-secret').update(`${t}.`).update(BODY).digest('hex');
    expect(sut.verify(input({ 'x-signature': signature, 'x-timestamp': t }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a signature of the wrong length without comparing it', () => {
    const sut = new HmacVerifier('hmac', options());
    expect(sut.verify(input({ 'x-signature': 'abcd' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });
});
