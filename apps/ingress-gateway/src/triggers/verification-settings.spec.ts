import { randomBytes } from 'node:crypto';
import type { SealedSecret } from '@hookline/contracts';
import { ApiException } from '@hookline/http';
import { SecretBox } from '../verification/secret-box';
import { resolveVerification, type VerificationSettings, verificationView } from './verification-settings';

const box = new SecretBox(randomBytes(32));
const seal = (secret: string) => box.seal(secret, 'trg_1');
const open = (sealed: SealedSecret[]) => sealed.map((s) => box.open(s, 'trg_1'));
const detailsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiException) return { status: error.getStatus(), details: error.details };
    throw error;
  }
  throw new Error('expected a 422');
};

describe('resolveVerification', () => {
  it('creates a scheme with its secret sealed, and a default tolerance of 5 minutes', () => {
    const sut = resolveVerification(null, { scheme: 'shopify', secret: 'shpss_a' }, seal);
    expect(sut.scheme).toBe('shopify');
    expect(sut.options).toEqual({ toleranceSeconds: 300 });
    expect(open(sut.secrets)).toEqual(['shpss_a']);
    expect(JSON.stringify(sut)).not.toContain('shpss_a');
  });

  it('creates `none` without secrets', () => {
    expect(resolveVerification(null, { scheme: 'none' }, seal)).toEqual({ scheme: 'none', options: {}, secrets: [] });
  });

  it('fills the generic hmac options with defaults and lower-cases header names', () => {
    const sut = resolveVerification(null, { scheme: 'hmac', secret: 's', header: 'X-Acme-Signature', timestampHeader: 'X-Acme-Time' }, seal);
    expect(sut.options.hmac).toEqual({ header: 'x-acme-signature', algorithm: 'sha256', encoding: 'hex', prefix: '', timestampHeader: 'x-acme-time', timestampSeparator: '.' });
  });

  it('lists every problem at once', () => {
    const { status, details } = detailsOf(() => resolveVerification(null, { scheme: 'hmac', algorithm: 'sha512' }, seal));
    expect(status).toBe(422);
    expect(details).toEqual([
      { pointer: '/verification/header', message: 'is required for the hmac scheme' },
      { pointer: '/verification/secret', message: 'is required for the scheme hmac' },
    ]);
    expect(detailsOf(() => resolveVerification(null, { scheme: 'stripe', header: 'x-sig', secret: 's' }, seal)).details).toEqual([{ pointer: '/verification/header', message: 'applies to the hmac scheme only' }]);
    expect(detailsOf(() => resolveVerification(null, { scheme: 'none', secret: 's' }, seal)).details).toEqual([{ pointer: '/verification/secret', message: 'does not apply to the scheme none' }]);
    expect(detailsOf(() => resolveVerification(null, { scheme: 'standard-webhooks', secret: 'whsec_not base64' }, seal)).details).toEqual([
      { pointer: '/verification/secret', message: 'must be base64, optionally after whsec_ (as the provider shows it)' },
    ]);
  });

  describe('on patch', () => {
    const current: VerificationSettings = { scheme: 'stripe', options: { toleranceSeconds: 600 }, secrets: [seal('whsec_current')] };

    it('keeps the secret and the tolerance when they are not sent', () => {
      const sut = resolveVerification(current, { toleranceSeconds: 120 }, seal);
      expect(open(sut.secrets)).toEqual(['whsec_current']);
      expect(sut.options.toleranceSeconds).toBe(120);
      expect(resolveVerification(current, { scheme: 'stripe' }, seal).options.toleranceSeconds).toBe(600);
    });

    it('rotates: a new secret with the old one as previous, then the previous dropped', () => {
      const rotating = resolveVerification(current, { secret: 'whsec_next', previousSecret: 'whsec_current' }, seal);
      expect(open(rotating.secrets)).toEqual(['whsec_next', 'whsec_current']);
      expect(verificationView(rotating)).toEqual({ scheme: 'stripe', toleranceSeconds: 600, hasPreviousSecret: true });
      expect(open(resolveVerification(rotating, { toleranceSeconds: 300 }, seal).secrets)).toEqual(['whsec_next', 'whsec_current']);
      expect(open(resolveVerification(rotating, { previousSecret: null }, seal).secrets)).toEqual(['whsec_next']);
      expect(open(resolveVerification(rotating, { secret: 'whsec_third' }, seal).secrets)).toEqual(['whsec_third']);
    });

    it('needs a secret when the scheme changes, and forgets the secrets when it becomes none', () => {
      expect(detailsOf(() => resolveVerification(current, { scheme: 'github' }, seal)).details).toEqual([{ pointer: '/verification/secret', message: 'is required when the scheme changes to github' }]);
      expect(resolveVerification(current, { scheme: 'none' }, seal)).toEqual({ scheme: 'none', options: {}, secrets: [] });
    });
  });
});

describe('verificationView', () => {
  it('shows the settings, never a secret', () => {
    const settings = resolveVerification(null, { scheme: 'hmac', secret: 'top-secret', header: 'x-sig', prefix: 'sha256=' }, seal);
    const view = verificationView(settings);
    expect(view).toEqual({ scheme: 'hmac', toleranceSeconds: 300, hasPreviousSecret: false, header: 'x-sig', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', timestampHeader: null, timestampSeparator: '.' });
    expect(JSON.stringify(view)).not.toContain('top-secret');
    expect(verificationView({ scheme: 'none', options: {}, secrets: [] })).toEqual({ scheme: 'none' });
  });
});
