// Normalisation of customer identifiers: the identity graph matches on these exact strings,
// so the same person must always produce the same value.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { UniqueIdType } from './mapping-definition';

export type NormalizeResult = { ok: true; value: string } | { ok: false; reason: string };

const MAX_ID_LENGTH = 255;
// Control characters would make ids that look equal but are not.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export function normalizeIdentifier(
  type: UniqueIdType,
  raw: unknown,
  options: { defaultCountry?: string } = {},
): NormalizeResult {
  switch (type) {
    case 'email':
      return normalizeEmail(raw);
    case 'phone':
      return normalizePhone(raw, options.defaultCountry);
    case 'shopify_customer_id':
      return normalizeShopifyId(raw);
    case 'order_id':
    case 'external_id':
      return normalizeExactId(raw);
    case 'order_name':
      return normalizeOrderName(raw);
    default: {
      const unknownType: never = type;
      return fail(`unknown identifier type ${JSON.stringify(unknownType)}`);
    }
  }
}

const LOCAL_FORBIDDEN = /[\s<>()[\]\\,;:"]/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL_DOMAIN = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u;

/** Trimmed and lowercased, with a basic shape check (one @, a dotted domain, no spaces). */
export function normalizeEmail(raw: unknown): NormalizeResult {
  if (typeof raw !== 'string') return fail(`an email must be a string, got ${describeKind(raw)}`);
  const value = raw.trim().toLowerCase();
  if (value === '') return fail('empty');
  if (value.length > 254) return fail('longer than 254 characters');
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return fail('not an email address (needs exactly one @ with text before it)');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || hasForbiddenLocalChar(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('not an email address (bad local part)');
  }
  if (!isEmailDomain(domain)) return fail('not an email address (bad domain)');
  return { ok: true, value };
}

/** Two or more dot-separated labels, each a DOMAIN_LABEL, the last a TOP_LEVEL_DOMAIN. */
function isEmailDomain(domain: string): boolean {
  if (!isAscii(domain)) {
    const labels = domain.split('.');
    const tld = labels[labels.length - 1] ?? '';
    return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && TOP_LEVEL_DOMAIN.test(tld);
  }
  // ASCII: the same checks without splitting
  let start = 0;
  let count = 0;
  for (let i = 0; i <= domain.length; i++) {
    if (i < domain.length && domain.charCodeAt(i) !== 0x2e /* . */) continue;
    if (!isAsciiDomainLabel(domain, start, i)) return false;
    count++;
    if (i === domain.length) break;
    start = i + 1;
  }
  return count >= 2 && isAsciiTopLevelDomain(domain, start);
}

// The email checks in plain code for ASCII text (the usual case; the regexes above are the
// definition and still decide whenever a character is not ASCII).

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** LOCAL_FORBIDDEN.test(local): whitespace or one of <>()[]\,;:" */
function hasForbiddenLocalChar(local: string): boolean {
  if (!isAscii(local)) return LOCAL_FORBIDDEN.test(local);
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    // \s in ASCII: tab, line feed, vertical tab, form feed, carriage return, space
    if ((c >= 0x09 && c <= 0x0d) || c === 0x20) return true;
    if (c === 0x3c || c === 0x3e || c === 0x28 || c === 0x29 || c === 0x5b || c === 0x5d || c === 0x5c || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x22) {
      return true;
    }
  }
  return false;
}

/** DOMAIN_LABEL.test(text.slice(start, end)) for ASCII text: 1–63 letters, digits and inner hyphens. */
function isAsciiDomainLabel(text: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 1 || n > 63 || !isAsciiAlnum(text.charCodeAt(start)) || !isAsciiAlnum(text.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (!isAsciiAlnum(c) && c !== 0x2d) return false;
  }
  return true;
}

/** TOP_LEVEL_DOMAIN.test(text.slice(start)) for ASCII text: two or more letters, or an xn-- (punycode) label. */
function isAsciiTopLevelDomain(text: string, start: number): boolean {
  const n = text.length - start;
  let letters = n >= 2;
  for (let i = start; i < text.length && letters; i++) {
    const c = text.charCodeAt(i);
    letters = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  }
  if (letters) return true;
  if (n < 5 || !text.startsWith('xn--', start)) return false;
  for (let i = start + 4; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d)) return false;
  }
  return true;
}

/**
 * E.164 via libphonenumber-js (full metadata, so validity is checked per country and number type).
 * National numbers need `defaultCountry`. A run of 11–15 digits without "+" (WhatsApp's `from`,
 * "919876543210") is also tried as international; shorter runs are not, since "9876543210"
 * without a country would otherwise be read as an Iranian number.
 */
export function normalizePhone(raw: unknown, defaultCountry?: string): NormalizeResult {
  let text: string;
  if (typeof raw === 'string') text = raw.trim();
  else if (typeof raw === 'bigint' || (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0)) text = String(raw);
  else return fail(`a phone must be a string, got ${describeKind(raw)}`);
  if (text === '') return fail('empty');
  if (text.length > 40) return fail('too long to be a phone number');
  let country: CountryCode | undefined;
  if (defaultCountry !== undefined) {
    if (!isSupportedCountry(defaultCountry)) return fail(`unknown default country ${JSON.stringify(defaultCountry)}`);
    country = defaultCountry;
  }
  const first = parsePhoneNumberFromString(text, country);
  if (first?.isValid()) return { ok: true, value: first.number };
  const digits = text.replace(/[\s().-]/g, '');
  const international = /^00\d{8,15}$/.test(digits) ? digits.slice(2) : /^\d{11,15}$/.test(digits) ? digits : undefined;
  if (international !== undefined) {
    const second = parsePhoneNumberFromString(`+${international}`);
    if (second?.isValid()) return { ok: true, value: second.number };
  }
  if (!first && country === undefined && !text.startsWith('+')) {
    return fail('not a valid phone number (a national number needs defaultCountry)');
  }
  return fail('not a valid phone number');
}

function normalizeExactId(raw: unknown): NormalizeResult {
  if (typeof raw === 'string') return checkIdText(raw.trim());
  return integerDigits(raw);
}

/** Digits only; also accepts Shopify's "gid://shopify/Customer/123" form. */
function normalizeShopifyId(raw: unknown): NormalizeResult {
  if (typeof raw !== 'string') return integerDigits(raw);
  const text = raw.trim();
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(text);
  const digits = gid ? gid[1]! : text;
  if (digits === '') return fail('empty');
  if (!/^\d{1,30}$/.test(digits)) return fail('a Shopify customer id must be digits (or gid://shopify/Customer/<digits>)');
  return { ok: true, value: digits.replace(/^0+(?=\d)/, '') };
}

function normalizeOrderName(raw: unknown): NormalizeResult {
  if (typeof raw === 'string') return checkIdText(raw.trim());
  return integerDigits(raw);
}

function checkIdText(text: string): NormalizeResult {
  if (text === '') return fail('empty');
  if (text.length > MAX_ID_LENGTH) return fail(`longer than ${MAX_ID_LENGTH} characters`);
  if (CONTROL.test(text)) return fail('contains control characters');
  return { ok: true, value: text };
}

function integerDigits(raw: unknown): NormalizeResult {
  if (typeof raw === 'bigint') return raw < 0n ? fail('negative') : { ok: true, value: raw.toString() };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return fail('not an integer');
    if (raw < 0) return fail('negative');
    // Past 2^53 a JS number has already lost digits; only a bigint from parseBody is exact.
    if (!Number.isSafeInteger(raw)) return fail('an integer beyond 2^53 arrived as a JS number and may have been rounded (parse bodies with parseBody)');
    return { ok: true, value: String(raw) };
  }
  return fail(`an id must be a string or an integer, got ${describeKind(raw)}`);
}

export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return 'an integer';
  return `a ${typeof value}`;
}

function fail(reason: string): NormalizeResult {
  return { ok: false, reason };
}
