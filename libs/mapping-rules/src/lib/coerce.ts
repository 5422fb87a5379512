// Coercion of a payload value to a variable type. Values stay JsonValue-shaped (bigint for
// integers a double cannot hold); the compiler makes them JSON-safe at the end.
import type { JsonValue } from '@hookline/payload';
import { decimalToJs, isNumericText, numberToText, parseDecimalText, shortDecimalValue } from './decimal';
import type { VariableType } from './mapping-definition';
import { describeKind, normalizeEmail, normalizePhone } from './normalize-identifier';
import { isPlainObject } from './object-utils';

export type CoerceResult = { ok: true; value: JsonValue } | { ok: false; reason: string };

export interface CoerceOptions {
  defaultCountry?: string;
}

/**
 * Coerces `value` to `type`. `json` keeps the value as is. Any other type applies to each
 * element of an array (a fanned-out path gives an array). null stays null, and so does an
 * empty or blank string for every type but `string` (forms send "" for "no value").
 */
export function coerceValue(type: VariableType, value: JsonValue, options: CoerceOptions = {}): CoerceResult {
  if (type === 'json') return { ok: true, value };
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = coerceValue(type, value[i]!, options);
      if (!r.ok) return { ok: false, reason: `element ${i}: ${r.reason}` };
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (value === null) return ok(null);
  if (type !== 'string' && typeof value === 'string' && value.trim() === '') return ok(null);
  if (isPlainObject(value)) return fail(`cannot make ${type} from an object`);
  switch (type) {
    case 'string':
      return ok(scalarToText(value));
    case 'number':
      return toNumber(value);
    case 'integer':
      return toInteger(value);
    case 'boolean':
      return toBoolean(value);
    case 'datetime':
      return toDatetime(value);
    case 'email': {
      const r = normalizeEmail(value);
      return r.ok ? ok(r.value) : fail(r.reason);
    }
    case 'phone': {
      const r = normalizePhone(value, options.defaultCountry);
      return r.ok ? ok(r.value) : fail(r.reason);
    }
    case 'url':
      return toUrl(value);
    default: {
      const unknownType: never = type;
      return fail(`unknown type ${JSON.stringify(unknownType)}`);
    }
  }
}

type Scalar = string | number | bigint | boolean;

export function scalarToText(value: Scalar): string {
  if (typeof value === 'number') return numberToText(value);
  return String(value);
}

function toNumber(value: Scalar): CoerceResult {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail('not a finite number');
  if (typeof value === 'bigint') return ok(value);
  if (typeof value === 'string') {
    // Fast path for the common short decimal ("199.00", "-3", "0.5"), see shortDecimalValue.
    const short = shortDecimalValue(value);
    if (short !== undefined) return ok(short);
    const d = isNumericText(value) ? parseDecimalText(value) : null;
    if (!d) return fail('a string that is not a number');
    const n = decimalToJs(d);
    return typeof n === 'number' && !Number.isFinite(n) ? fail('out of range') : ok(n);
  }
  return fail(`cannot make number from ${describeKind(value)}`);
}

function toInteger(value: Scalar): CoerceResult {
  const r = toNumber(value);
  if (!r.ok) return fail(r.reason.replace('number', 'integer'));
  const n = r.value;
  if (typeof n === 'number' && !Number.isInteger(n)) return fail('has a fractional part');
  return r;
}

function toBoolean(value: Scalar): CoerceResult {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    if (n === 1) return ok(true);
    if (n === 0) return ok(false);
    return fail('a number other than 0 or 1');
  }
  switch (value.trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return ok(true);
    case 'false':
    case '0':
    case 'no':
      return ok(false);
    default:
      return fail('a string that is not true/false, 1/0 or yes/no');
  }
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 date or date-time → "YYYY-MM-DDTHH:mm:ss.sssZ" (UTC). A date-time without an offset
 * is read as UTC (never the server's local zone). Numbers, and strings of 10 or 13 digits, are
 * Unix epoch times: seconds below 10^11, milliseconds from there up.
 */
export function toDatetime(value: Scalar): CoerceResult {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return fail('not a valid epoch time');
    ms = value < 1e11 ? value * 1000 : value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{10}(?:\.\d+)?$/.test(text)) ms = Number(text) * 1000;
    else if (/^\d{13}$/.test(text)) ms = Number(text);
    else {
      const parsed = parseIsoDatetime(text);
      if (parsed === null) return fail('not an ISO 8601 date-time');
      ms = parsed;
    }
  } else {
    return fail(`cannot make datetime from ${describeKind(value)}`);
  }
  const date = new Date(Math.round(ms));
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) return fail('date out of range');
  return ok(date.toISOString());
}

function parseIsoDatetime(text: string): number | null {
  const m = ISO_DATETIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(frac.slice(0, 3).padEnd(3, '0')));
  const check = new Date(utc);
  // Date.UTC rolls 2021-02-30 over to March; a real date must survive the round trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return utc - offsetMinutes * 60_000;
}

/** Absolute http(s) URL; returned trimmed, otherwise unchanged. */
function toUrl(value: Scalar): CoerceResult {
  if (typeof value !== 'string') return fail(`a URL must be a string, got ${describeKind(value)}`);
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('only http and https URLs are allowed');
  return ok(text);
}

function ok(value: JsonValue): CoerceResult {
  return { ok: true, value };
}

function fail(reason: string): CoerceResult {
  return { ok: false, reason };
}
