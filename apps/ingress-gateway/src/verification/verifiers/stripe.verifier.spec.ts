import Stripe from 'stripe';
import { fixtureBytes } from '@hookline/testing';
import type { VerifyInput } from '../verification.types';
import { StripeVerifier } from './stripe.verifier';

// Signatures come from Stripe's own SDK (generateTestHeaderString), and its verifier agrees.
const BODY = fixtureBytes('stripe__payment_intent_succeeded.json');
const SECRET = 'whsec_current_5e2b0c7a1d';
const OLD_SECRET = 'whsec_previous_9f41aa03';
const NOW = new Date('2026-11-25T10:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

const signed = (secret: string, timestamp = T, payload = BODY) => Stripe.webhooks.generateTestHeaderString({ payload: payload.toString('utf8'), secret, timestamp });
const input = (headers: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput => ({
  rawBody: BODY,
  headers,
  url: 'https://hooks.example.com/hooks/trg_1/token',
  secrets: [SECRET],
  toleranceSeconds: 300,
  now: NOW,
  ...over,
});

describe('StripeVerifier', () => {
  const sut = new StripeVerifier();

  it('accepts what Stripe signed, as Stripe itself verifies it', () => {
    const header = signed(SECRET);
    expect(Stripe.webhooks.constructEvent(BODY, header, SECRET, 300, undefined, NOW.getTime()).id).toBe('evt_3PBWUkRxqlZt79sD18BH2Rbr');
    expect(sut.verify(input({ 'stripe-signature': header }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a tampered body and a wrong secret', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('"amount": 50000', '"amount": 5'));
    expect(tampered.equals(BODY)).toBe(false);
    expect(sut.verify(input({ 'stripe-signature': signed(SECRET) }, { rawBody: tampered }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input({ 'stripe-signature': signed('whsec_someone_else') }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('accepts the previous secret during a rotation, and says so', () => {
    expect(sut.verify(input({ 'stripe-signature': signed(OLD_SECRET) }, { secrets: [SECRET, OLD_SECRET] }))).toEqual({ ok: true, secretIndex: 1 });
    expect(sut.verify(input({ 'stripe-signature': signed(OLD_SECRET) }, { secrets: [SECRET] }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('accepts any of several v1 signatures, as Stripe sends while an endpoint secret rolls', () => {
    const other = signed('whsec_other').split(',')[1];
    expect(sut.verify(input({ 'stripe-signature': `${signed(SECRET)},${other}` }))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ 'stripe-signature': `t=${T},${other},v0=abc` }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('refuses a missing header as missing, and a header without t= or v1= as invalid', () => {
    expect(sut.verify(input({}))).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING', reason: 'no stripe-signature header' });
    expect(sut.verify(input({ 'stripe-signature': 'v1=abcd' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input({ 'stripe-signature': `t=${T}` }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('refuses a genuine signature outside the tolerance, in the past and in the future', () => {
    const stale = signed(SECRET, T - 301);
    expect(() => Stripe.webhooks.constructEvent(BODY, stale, SECRET, 300, undefined, NOW.getTime())).toThrow(/tolerance/);
    expect(sut.verify(input({ 'stripe-signature': stale }))).toMatchObject({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(sut.verify(input({ 'stripe-signature': signed(SECRET, T + 301) }))).toMatchObject({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(sut.verify(input({ 'stripe-signature': signed(SECRET, T - 299) }))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ 'stripe-signature': stale }, { toleranceSeconds: 600 }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('never puts a secret or the expected signature in its reason', () => {
    const result = sut.verify(input({ 'stripe-signature': signed('whsec_wrong') }, { secrets: [SECRET, OLD_SECRET] }));
    const expected = signed(SECRET).split('v1=')[1];
    expect(result).toMatchObject({ ok: false, reason: "stripe-signature does not match the request signed with any of the trigger's 2 secrets" });
    for (const secret of [SECRET, OLD_SECRET, expected]) expect(JSON.stringify(result)).not.toContain(secret);
  });
});
