import type { HmacVerificationOptions, SealedSecret, VerificationInput, VerificationScheme } from '@hookline/contracts';
import { validationFailed } from '@hookline/http';
import { isStandardWebhooksSecret } from '../verification/verifiers/standard-webhooks.verifier';
import type { VerificationOptions } from './trigger.entity';
import { DEFAULT_TOLERANCE_SECONDS } from './trigger-config.publisher';


export interface VerificationSettings {
  scheme: VerificationScheme;
  options: VerificationOptions;
  secrets: SealedSecret[];
}

const HEADER = { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$" };
// No leading or trailing white space, no line breaks: those are copy-and-paste accidents.
const SECRET = { type: 'string', minLength: 1, maxLength: 1000, pattern: '^\\S(?:.*\\S)?$' };

/** The JSON Schema of `verification` (create requires a scheme; patch does not). */
export function verificationSchema(schemeRequired: boolean): object {
  return {
    type: 'object',
    ...(schemeRequired ? { required: ['scheme'] } : { minProperties: 1 }),
    properties: {
      scheme: { enum: ['none', 'standard-webhooks', 'shopify', 'stripe', 'github', 'razorpay', 'woocommerce', 'twilio', 'hmac'] },
      secret: SECRET,
      previousSecret: { oneOf: [{ type: 'null' }, SECRET] },
      toleranceSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
      header: HEADER,
      algorithm: { enum: ['sha256', 'sha512'] },
      encoding: { enum: ['hex', 'base64'] },
      prefix: { type: 'string', maxLength: 50 },
      timestampHeader: { oneOf: [{ type: 'null' }, HEADER] },
      timestampSeparator: { type: 'string', maxLength: 10 },
    },
    additionalProperties: false,
  };
}

const HMAC_FIELDS = ['header', 'algorithm', 'encoding', 'prefix', 'timestampHeader', 'timestampSeparator'] as const;

/**
 * The verification a trigger ends up with, from what it had (null on create) and what the
 * request says. Fields left out keep their value, except that a new scheme starts afresh,
 * and a new `secret` replaces both secrets (send `previousSecret` with it to keep accepting
 * the old one during a rotation). Every problem is reported at once (422).
 */
export function resolveVerification(current: VerificationSettings | null, input: VerificationInput, seal: (secret: string) => SealedSecret): VerificationSettings {
  const problems: Array<{ pointer: string; message: string }> = [];
  const problem = (field: string, message: string) => problems.push({ pointer: `/verification/${field}`, message });
  const scheme = input.scheme ?? current?.scheme ?? 'none';
  const kept = current && current.scheme === scheme ? current : null;

  if (scheme !== 'hmac') for (const field of HMAC_FIELDS) if (input[field] !== undefined) problem(field, 'applies to the hmac scheme only');

  if (scheme === 'none') {
    if (input.secret !== undefined) problem('secret', 'does not apply to the scheme none');
    if (typeof input.previousSecret === 'string') problem('previousSecret', 'does not apply to the scheme none');
    if (problems.length > 0) throw validationFailed(problems);
    return { scheme, options: input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}, secrets: [] };
  }

  if (scheme === 'standard-webhooks') {
    if (input.secret !== undefined && !isStandardWebhooksSecret(input.secret)) problem('secret', 'must be base64, optionally after whsec_ (as the provider shows it)');
    if (typeof input.previousSecret === 'string' && !isStandardWebhooksSecret(input.previousSecret)) problem('previousSecret', 'must be base64, optionally after whsec_ (as the provider shows it)');
  }

  let hmac: HmacVerificationOptions | null = null;
  if (scheme === 'hmac') {
    const before = kept?.options.hmac ?? null;
    const header = input.header ?? before?.header;
    const timestampHeader = input.timestampHeader !== undefined ? input.timestampHeader : (before?.timestampHeader ?? null);
    if (!header) problem('header', 'is required for the hmac scheme');
    else
      hmac = {
        header: header.toLowerCase(),
        algorithm: input.algorithm ?? before?.algorithm ?? 'sha256',
        encoding: input.encoding ?? before?.encoding ?? 'hex',
        prefix: input.prefix ?? before?.prefix ?? '',
        timestampHeader: timestampHeader ? timestampHeader.toLowerCase() : null,
        timestampSeparator: input.timestampSeparator ?? before?.timestampSeparator ?? '.',
      };
  }

  let secrets: SealedSecret[] = [];
  if (input.secret !== undefined) {
    secrets = [seal(input.secret)];
    if (typeof input.previousSecret === 'string') secrets.push(seal(input.previousSecret));
  } else if (!kept || kept.secrets.length === 0) {
    problem('secret', current && current.scheme !== scheme ? `is required when the scheme changes to ${scheme}` : `is required for the scheme ${scheme}`);
  } else {
    secrets = [kept.secrets[0]];
    if (typeof input.previousSecret === 'string') secrets.push(seal(input.previousSecret));
    else if (input.previousSecret === undefined && kept.secrets[1]) secrets.push(kept.secrets[1]);
  }
  if (problems.length > 0) throw validationFailed(problems);

  const toleranceSeconds = input.toleranceSeconds ?? current?.options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return { scheme, options: { toleranceSeconds, ...(hmac ? { hmac } : {}) }, secrets };
}

/** `verification` as answers show it: the scheme and its settings, whether a previous secret is set, never a secret. */
export function verificationView(settings: VerificationSettings) {
  if (settings.scheme === 'none') return { scheme: settings.scheme };
  return {
    scheme: settings.scheme,
    toleranceSeconds: settings.options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    hasPreviousSecret: settings.secrets.length > 1,
    ...(settings.scheme === 'hmac' && settings.options.hmac ? settings.options.hmac : {}),
  };
}
