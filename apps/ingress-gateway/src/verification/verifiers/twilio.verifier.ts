import { createHash, timingSafeEqual } from 'node:crypto';
import type { Verifier, VerifyInput, VerifyResult } from '../verification.types';
import { decodeSignature, headerValue, hmac, invalid, matchingSecret, missing, noMatch, ok } from '../signatures';

const HEADER = 'x-twilio-signature';
const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The URL as called, and with its default port added or removed: Twilio may sign either form. */
function urlVariants(url: string): string[] {
  const match = /^(https?:)\/\/([^/?#:]+)(?::(\d+))?(.*)$/i.exec(url);
  if (!match) return [url];
  const [, protocol, host, port, rest] = match;
  const fallback = DEFAULT_PORT[protocol.toLowerCase()];
  if (!port) return [url, `${protocol}//${host}:${fallback}${rest}`];
  return port === fallback ? [url, `${protocol}//${host}${rest}`] : [url];
}

/** Form parameters sorted by name (and values of a repeated name sorted), each as name + value. */
function sortedParameters(rawBody: Buffer): string {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  return [...new Set(form.keys())]
    .sort()
    .map((name) => [...new Set(form.getAll(name))].sort().map((value) => name + value).join(''))
    .join('');
}

/**
 * Twilio: `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, URL + sorted form parameters)).
 * For a JSON body Twilio adds `bodySHA256=<hex SHA-256 of the body>` to the URL and signs
 * the URL alone, so the body is checked against that hash.
 */
export class TwilioVerifier implements Verifier {
  readonly scheme = 'twilio' as const;

  verify({ rawBody, headers, url, secrets }: VerifyInput): VerifyResult {
    const value = headerValue(headers, HEADER);
    if (!value) return missing(`no ${HEADER} header`);
    const signature = decodeSignature(value, 'base64');
    if (!signature) return invalid(`${HEADER} is not a base64 signature`);

    let bodyHash: string | null = null;
    try {
      bodyHash = new URL(url).searchParams.get('bodySHA256');
    } catch {
      return invalid('the request URL cannot be parsed');
    }
    let parameters = '';
    if (bodyHash !== null) {
      const actual = createHash('sha256').update(rawBody).digest();
      const claimed = Buffer.from(bodyHash.toLowerCase(), 'hex');
      if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) return invalid('the body does not match the bodySHA256 query parameter');
    } else {
      parameters = sortedParameters(rawBody);
    }

    for (const candidate of urlVariants(url)) {
      const index = matchingSecret(secrets, (secret) => hmac('sha1', secret, candidate, parameters), [signature]);
      if (index !== null) return ok(index);
    }
    return noMatch(HEADER, secrets.length);
  }
}
