import { createHmac } from 'node:crypto';
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import Razorpay from 'razorpay';
import { fixtureBytes } from '@hookline/testing';
import type { VerificationScheme, VerifyInput } from './verification.types';
import { verifierFor } from './verifier-for';

const NOW = new Date('2026-11-25T10:00:00Z');
const input = (rawBody: Buffer, headers: Record<string, string>, secrets: string[]): VerifyInput => ({ rawBody, headers, url: 'https://hooks.example.com/hooks/trg_1/tok', secrets, toleranceSeconds: 300, now: NOW });
const tamper = (body: Buffer) => Buffer.concat([body.subarray(0, body.length - 2), Buffer.from(' }')]);

/**
 * The providers whose signature is an HMAC-SHA256 of the raw body in one header. GitHub's
 * signatures come from its own library (@octokit/webhooks-methods) and Razorpay's are
 * checked by its SDK; Shopify and WooCommerce publish no signing library, so theirs are
 * computed from their documented recipe.
 */
interface Case {
  scheme: VerificationScheme;
  header: string;
  body: Buffer;
  sign: (secret: string, body: Buffer) => Promise<string> | string;
  /** The provider's own verifier, where it publishes one: it must agree with the signature used. */
  official?: (secret: string, body: Buffer, signature: string) => Promise<boolean> | boolean;
}

const CASES: Case[] = [
  {
    scheme: 'github',
    header: 'x-hub-signature-256',
    body: fixtureBytes('github__push.json'),
    sign: (secret, body) => githubSign(secret, body.toString('utf8')),
    official: (secret, body, signature) => githubVerify(secret, body.toString('utf8'), signature),
  },
  {
    scheme: 'razorpay',
    header: 'x-razorpay-signature',
    body: fixtureBytes('razorpay__order_paid.json'),
    sign: (secret, body) => createHmac('sha256', secret).update(body).digest('hex'),
    official: (secret, body, signature) => Razorpay.validateWebhookSignature(body.toString('utf8'), signature, secret),
  },
  { scheme: 'shopify', header: 'x-shopify-hmac-sha256', body: fixtureBytes('shopify__orders_create.json'), sign: (secret, body) => createHmac('sha256', secret).update(body).digest('base64') },
  { scheme: 'woocommerce', header: 'x-wc-webhook-signature', body: fixtureBytes('woocommerce__order_created.json'), sign: (secret, body) => createHmac('sha256', secret).update(body).digest('base64') },
];

describe.each(CASES)('$scheme', ({ scheme, header, body, sign, official }) => {
  const sut = verifierFor(scheme, null);
  const secret = `${scheme}-secret-1f0e9a`;
  const previous = `${scheme}-secret-old-77c2`;

  it('accepts the provider signature over the raw bytes', async () => {
    const signature = await sign(secret, body);
    if (official) expect(await official(secret, body, signature)).toBe(true);
    expect(sut.verify(input(body, { [header]: signature }, [secret]))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a tampered body, even one that parses to the same JSON', async () => {
    const signature = await sign(secret, body);
    expect(sut.verify(input(tamper(body), { [header]: signature }, [secret]))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(sut.verify(input(reserialised, { [header]: signature }, [secret]))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('refuses a signature made with another secret', async () => {
    const signature = await sign('not-the-secret', body);
    expect(sut.verify(input(body, { [header]: signature }, [secret, previous]))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('accepts the previous secret while both are configured', async () => {
    const signature = await sign(previous, body);
    expect(sut.verify(input(body, { [header]: signature }, [secret, previous]))).toEqual({ ok: true, secretIndex: 1 });
    expect(sut.verify(input(body, { [header]: signature }, [secret]))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('refuses a request without the header as missing, and garbage in it as invalid', () => {
    expect(sut.verify(input(body, {}, [secret]))).toEqual({ ok: false, code: 'SIGNATURE_MISSING', reason: `no ${header} header` });
    expect(sut.verify(input(body, { [header]: '   ' }, [secret]))).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING' });
    expect(sut.verify(input(body, { [header]: 'sha256=not a signature!' }, [secret]))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('never puts the secret or the expected signature in its reason', async () => {
    const expected = await sign(secret, body);
    const result = sut.verify(input(tamper(body), { [header]: expected }, [secret]));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(expected.replace('sha256=', ''));
  });
});

describe('verifierFor', () => {
  it('lets everything through for `none`: the URL token is the only credential', () => {
    expect(verifierFor('none', null).verify(input(Buffer.from('{}'), {}, []))).toEqual({ ok: true, secretIndex: null });
  });

  it('needs the options of the generic hmac scheme', () => {
    expect(() => verifierFor('hmac', null)).toThrow(/options/);
  });

  it('reads GitHub signatures with an upper-case prefix or hex', async () => {
    const body = fixtureBytes('github__push.json');
    const signature = await githubSign('s3cret', body.toString('utf8'));
    const sut = verifierFor('github', null);
    expect(sut.verify(input(body, { 'x-hub-signature-256': signature.toUpperCase() }, ['s3cret']))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input(body, { 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') }, ['s3cret']))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'x-hub-signature-256 does not start with "sha256="' });
  });
});
