/**
 * The value model of a webhook body.
 *
 * Numbers: an integer literal (digits only, no fraction or exponent) outside the safe
 * range ±(2^53 − 1) becomes a `bigint`, even when that particular value happens to be
 * representable as a double — so a field's type never flips with its value (an id is
 * always bigint once it is big). Every other number is a `number`: that includes
 * fractions and exponent forms, which may be rounded to the nearest double (for example
 * `0.10000000000000000001` becomes `0.1`). Money in webhooks comes as short decimals or
 * strings, so this is accepted; the raw bytes stay available for signature checks.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The JSON Schema type names used in the catalog (bigint → integer). */
export type JsonTypeName = 'array' | 'boolean' | 'integer' | 'null' | 'number' | 'object' | 'string';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonTypeOf(value: JsonValue): JsonTypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'integer';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    default:
      return 'object';
  }
}

/**
 * Set an own, enumerable property without ever invoking the `__proto__` setter, so that
 * copying untrusted keys can never change an object's prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A copy that `JSON.stringify` can handle and no consumer can round: every bigint becomes
 * its decimal string, recursively. Use it for HTTP answers and Kafka messages.
 */
export function toJsonSafe(value: JsonValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((element) => toJsonSafe(element));
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child !== undefined) setOwn(out, key, toJsonSafe(child));
    }
    return out;
  }
  return value;
}

/**
 * JSON text in which bigints are written as bare digits (so the text keeps every digit of
 * the original payload). Non-finite numbers become `null`, as with JSON.stringify.
 */
export function stringifyLossless(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    default:
      break;
  }
  if (Array.isArray(value)) {
    return `[${value.map((element) => (element === undefined ? 'null' : stringifyLossless(element))).join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyLossless(child)}`);
  }
  return `{${parts.join(',')}}`;
}

/** RFC 6901 JSON pointer for a list of keys and indexes ('' = the whole document). */
export function jsonPointer(tokens: ReadonlyArray<string | number>): string {
  return tokens.map((token) => `/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
