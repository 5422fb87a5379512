import { fullFormats } from 'ajv-formats/dist/formats';

/**
 * String formats the catalog detects. The first five are JSON Schema formats and are
 * checked with ajv-formats' own "full" validators, so a schema that says `format: email`
 * agrees with ajv. The others are catalog-only hints (never written into the schema):
 *
 * - phone: an international number (`+` then 7–15 digits) or a formatted one with
 *   separators (`(555) 555-5555`, `123-123-1234`); bare digit strings are not phones by
 *   format (they are too often ids or timestamps) — names decide those (see roles).
 * - numeric-string: a decimal number written as a string, e.g. "199.00", "-3", "727".
 * - currency-code: three upper-case letters, ISO 4217 style ("USD", "INR").
 * - uri is narrowed to absolute http(s) URLs so ids like `gid://shopify/Order/1` are not URLs.
 */
export type StringFormat = 'email' | 'phone' | 'date-time' | 'date' | 'uri' | 'uuid' | 'numeric-string' | 'currency-code';

export const STRING_FORMATS: readonly StringFormat[] = ['currency-code', 'date', 'date-time', 'email', 'numeric-string', 'phone', 'uri', 'uuid'];

/** Formats that are also JSON Schema 2020-12 formats, in the order the schema prefers them. */
export const SCHEMA_FORMATS: readonly StringFormat[] = ['date-time', 'date', 'email', 'uuid', 'uri'];

type FormatCheck = (value: string) => boolean;

function ajvCheck(name: 'email' | 'date-time' | 'date' | 'uri' | 'uuid'): FormatCheck {
  const definition = fullFormats[name] as unknown;
  if (definition instanceof RegExp) return (value) => definition.test(value);
  if (typeof definition === 'function') return definition as FormatCheck;
  const validate = (definition as { validate: RegExp | FormatCheck }).validate;
  return validate instanceof RegExp ? (value) => validate.test(value) : validate;
}

const isEmail = ajvCheck('email');
const isDateTime = ajvCheck('date-time');
const isDate = ajvCheck('date');
const isUri = ajvCheck('uri');
const isUuid = ajvCheck('uuid');

const PHONE_INTERNATIONAL = /^\+[1-9]\d{6,14}$/;
const PHONE_FORMATTED = /^\+?[\d\s().-]{7,24}$/;

/** Loose phone check used by the formats and the roles: 7–15 digits, optional + and separators, no letters. */
export function looksLikePhone(value: string, requireFormatting: boolean): boolean {
  const trimmed = value.trim();
  if (PHONE_INTERNATIONAL.test(trimmed.replace(/[\s().-]/g, '')) && trimmed.startsWith('+')) return true;
  if (!PHONE_FORMATTED.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (requireFormatting && !/[\s().-]/.test(trimmed)) return false;
  // reject dates, decimals and IPv4 addresses that happen to fit
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || /^\d+\.\d+$/.test(trimmed) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(trimmed)) return false;
  return true;
}

const checks: Record<StringFormat, FormatCheck> = {
  'currency-code': (value) => /^[A-Z]{3}$/.test(value),
  date: (value) => value.length <= 10 && isDate(value),
  'date-time': (value) => value.length <= 64 && isDateTime(value),
  email: (value) => value.length <= 254 && isEmail(value),
  'numeric-string': (value) => /^-?\d+(?:\.\d+)?$/.test(value) && value.length <= 64,
  phone: (value) => value.length <= 32 && looksLikePhone(value, true),
  uri: (value) => value.length <= 2048 && /^https?:\/\/[^\s/?#]+/i.test(value) && isUri(value),
  uuid: (value) => value.length <= 45 && isUuid(value),
};

export function matchesFormat(value: string, format: StringFormat): boolean {
  return checks[format](value);
}

/** Every format the string matches (sorted). */
export function detectFormats(value: string): StringFormat[] {
  return STRING_FORMATS.filter((format) => checks[format](value));
}
