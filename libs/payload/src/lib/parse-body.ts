import { parse as parseLossless } from 'lossless-json';
import { PayloadError } from './errors';
import { jsonPointer, setOwn, type JsonValue } from './json';

export interface ParseOptions {
  /**
   * Most containers (objects/arrays) that may enclose one another; the top-level `{}` or
   * `[]` is depth 1. Default 32. Scalars add no depth.
   */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 32;

/** Keys that could reach an object's prototype chain in code that copies payloads naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8KeepingBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Turn a webhook body into a JsonValue.
 *
 * - `application/json` and any `…/…+json` type (parameters such as charset are ignored;
 *   bodies are decoded as UTF-8, a BOM is dropped) are parsed losslessly: integers
 *   outside the safe range become bigint with every digit kept (see JsonValue). A
 *   top-level array or scalar is a valid body. Duplicate keys: the last one wins, as
 *   with JSON.parse.
 * - `application/x-www-form-urlencoded` becomes an object of strings; a repeated key
 *   becomes an array of strings in order. Keys are kept flat: `a[b]=1` gives the key
 *   `"a[b]"` (reach it with the path `["a[b]"]`); nothing is expanded into nested objects.
 * - No content type (or an empty one): parsed as JSON.
 * - Anything else: UNSUPPORTED_MEDIA_TYPE.
 *
 * Errors (PayloadError): EMPTY_BODY (nothing but whitespace), MALFORMED_JSON (also for
 * invalid UTF-8 and numbers out of double range), NESTING_TOO_DEEP, FORBIDDEN_KEY
 * (`__proto__`, `constructor`, `prototype` anywhere; in form bodies also as a bracket or
 * dot part of a key such as `a[__proto__]`). Messages carry a JSON pointer to the place.
 * Results are ordinary objects with only own, enumerable data properties.
 */
export function parseBody(raw: Buffer | string, contentType: string | undefined, options: ParseOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const kind = mediaKind(contentType);
  if (kind === 'unsupported') {
    throw new PayloadError('UNSUPPORTED_MEDIA_TYPE', `unsupported content type '${String(contentType)}': send JSON or form-urlencoded`);
  }
  const text = decode(raw);
  if (text.trim() === '') throw new PayloadError('EMPTY_BODY', 'the body is empty');
  return kind === 'json' ? parseJson(text, maxDepth) : parseForm(text, maxDepth);
}

/**
 * Accepts exactly the bodies parseBody accepts, and throws the same PayloadError for the
 * others, without building the lossless value: for the edge, which only has to refuse what
 * cannot be a webhook body and passes the text on. Returns that text: the body decoded as
 * UTF-8, byte for byte (a BOM is kept), so the edge decodes it once.
 *
 * A JSON body is checked with the native JSON.parse (about 8 times faster than the lossless
 * parser on a 1 KB body); only a body it refuses, or one that holds a forbidden key, too
 * deep a nesting or a number out of double range, goes through parseBody for the precise
 * error.
 */
export function checkBody(raw: Buffer | string, contentType: string | undefined, options: ParseOptions = {}): string {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const whole = typeof raw === 'string' ? raw : decodeKeepingBom(raw);
  if (mediaKind(contentType) !== 'json') {
    parseBody(whole, contentType, options);
    return whole;
  }
  const text = whole.charCodeAt(0) === 0xfeff ? whole.slice(1) : whole;
  if (text.trim() === '') throw new PayloadError('EMPTY_BODY', 'the body is empty');
  // V8's JSON.parse does not recurse, so only a large hostile body needs the nesting scan
  // first (it bounds the work); a too-deep small one fails plainlySafe and gets parseJson's
  // precise error all the same.
  if (text.length > NESTING_SCAN_FROM) checkNesting(text, maxDepth);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parseLosslessly(text, maxDepth); // throws the lossless parser's precise error
    return whole;
  }
  if (!plainlySafe(parsed, maxDepth, 0)) parseLosslessly(text, maxDepth);
  return whole;
}

const NESTING_SCAN_FROM = 65_536;

/**
 * No forbidden key, depth within the limit, and every number one `numberOk` accepts: for
 * checkBody, finite (JSON.parse gives Infinity for 1e400); for parseJson, also one the
 * lossless parser gives alike (exactly).
 */
function plainlySafe(value: unknown, maxDepth: number, depth: number, numberOk: (n: number) => boolean = Number.isFinite): boolean {
  if (typeof value === 'number') return numberOk(value);
  if (value === null || typeof value !== 'object') return true;
  if (depth + 1 > maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!plainlySafe(value[i], maxDepth, depth + 1, numberOk)) return false;
    return true;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key) || !plainlySafe((value as Record<string, unknown>)[key], maxDepth, depth + 1, numberOk)) return false;
  }
  return true;
}

/** A number the lossless parser gives alike: finite, and no integer outside the safe range (that one it keeps as bigint). */
function exactly(n: number): boolean {
  return Number.isSafeInteger(n) || (Number.isFinite(n) && !Number.isInteger(n));
}

type MediaKind = 'json' | 'form' | 'unsupported';

function mediaKind(contentType: string | undefined): MediaKind {
  if (contentType === undefined || contentType === 'application/json') return 'json'; // most webhooks: no parsing
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (essence === '' || essence === 'application/json') return 'json';
  if (/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  return 'unsupported';
}

function decodeKeepingBom(raw: Buffer): string {
  try {
    return utf8KeepingBom.decode(raw);
  } catch {
    throw new PayloadError('MALFORMED_JSON', 'the body is not valid UTF-8');
  }
}

function decode(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return utf8.decode(raw); // drops a UTF-8 BOM
  } catch {
    throw new PayloadError('MALFORMED_JSON', 'the body is not valid UTF-8');
  }
}

// ---------------------------------------------------------------------------------------
// JSON

/**
 * The lossless parse, by the native JSON.parse whenever that gives the same value: the
 * lossless parser differs from it only for integers outside the safe range (kept as bigint)
 * and numbers out of double range (refused). So a body whose native parse holds neither, nor
 * a forbidden key or too deep a nesting, is returned as parsed natively (several times
 * faster); any other goes through the lossless parser for its bigints or its precise error.
 * An integer literal outside the safe range never parses natively to a safe integer (the
 * nearest double of such a value is at least 2^53), so the check is exact.
 */
function parseJson(text: string, maxDepth: number): JsonValue {
  // V8's JSON.parse does not recurse: only a large hostile body needs the nesting scan first.
  if (text.length > NESTING_SCAN_FROM) checkNesting(text, maxDepth);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return parseLosslessly(text, maxDepth);
  }
  return plainlySafe(parsed, maxDepth, 0, exactly) ? (parsed as JsonValue) : parseLosslessly(text, maxDepth);
}

function parseLosslessly(text: string, maxDepth: number): JsonValue {
  // The parser is recursive; check nesting first so a hostile body cannot exhaust the stack.
  checkNesting(text, maxDepth);
  let parsed: unknown;
  try {
    parsed = parseLossless(text, null, {
      parseNumber,
      onDuplicateKey: ({ newValue }) => newValue,
    });
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new PayloadError('MALFORMED_JSON', `malformed JSON: ${detail}`);
  }
  assertSafe(parsed as JsonValue, maxDepth);
  return parsed as JsonValue;
}

function parseNumber(literal: string): number | bigint {
  if (/^-?\d+$/.test(literal)) {
    const asNumber = Number(literal);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
  }
  const asNumber = Number(literal);
  if (!Number.isFinite(asNumber)) {
    throw new PayloadError('MALFORMED_JSON', `malformed JSON: the number ${literal.slice(0, 40)} is out of range`);
  }
  return asNumber;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

interface Frame {
  object: boolean;
  index: number;
  expectKey: boolean;
  keyStart: number;
  keyEnd: number;
}

/**
 * A linear scan that tracks only brackets, strings, keys and indexes, so the error can say
 * where the nesting got too deep. Syntax errors are left to the real parser.
 */
function checkNesting(text: string, maxDepth: number): void {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i++;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        top.keyStart = start;
        top.keyEnd = i + 1;
        top.expectKey = false;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length + 1 > maxDepth) {
        const pointer = pointerOf(text, stack);
        throw new PayloadError('NESTING_TOO_DEEP', `nesting deeper than ${maxDepth} levels at '${pointer}'`, pointer);
      }
      stack.push({ object: c === OPEN_BRACE, index: 0, expectKey: true, keyStart: -1, keyEnd: -1 });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    }
  }
}

function pointerOf(text: string, stack: Frame[]): string {
  return jsonPointer(
    stack.map((frame) => {
      if (!frame.object) return frame.index;
      if (frame.keyStart < 0) return '';
      const literal = text.slice(frame.keyStart, frame.keyEnd);
      try {
        return JSON.parse(literal) as string;
      } catch {
        return literal.slice(1, -1);
      }
    }),
  );
}

/** Forbidden keys anywhere, and the depth limit (again, for bodies not built by the JSON scanner). */
function assertSafe(root: JsonValue, maxDepth: number): void {
  const path: Array<string | number> = [];
  const walk = (value: JsonValue, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (depth + 1 > maxDepth) {
      const pointer = jsonPointer(path);
      throw new PayloadError('NESTING_TOO_DEEP', `nesting deeper than ${maxDepth} levels at '${pointer}'`, pointer);
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        walk(value[index]!, depth + 1);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      path.push(key);
      if (FORBIDDEN_KEYS.has(key)) {
        const pointer = jsonPointer(path);
        throw new PayloadError('FORBIDDEN_KEY', `forbidden key '${key}' at '${pointer}'`, pointer);
      }
      walk(value[key]!, depth + 1);
      path.pop();
    }
  };
  walk(root, 0);
}

// ---------------------------------------------------------------------------------------
// Form

function parseForm(text: string, maxDepth: number): JsonValue {
  const params = new URLSearchParams(text.trim());
  const collected = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (FORBIDDEN_KEYS.has(key) || key.split(/[[\].]/).some((part) => FORBIDDEN_KEYS.has(part))) {
      const pointer = jsonPointer([key]);
      throw new PayloadError('FORBIDDEN_KEY', `forbidden key '${key}' at '${pointer}'`, pointer);
    }
    const values = collected.get(key);
    if (values) values.push(value);
    else collected.set(key, [value]);
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, values] of collected) setOwn(out, key, values.length === 1 ? values[0]! : values);
  assertSafe(out, maxDepth);
  return out;
}
