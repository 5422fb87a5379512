// Filter conditions, compiled once into predicates over an event.
import { selectValues, type JsonValue } from '@hookline/payload';
import { compareDecimals, toDecimal } from './decimal';
import type { Condition, LeafCondition, MappingInput } from './mapping-definition';
import { isPlainObject } from './object-utils';
import { tryParsePath } from './paths';

export type Predicate = (input: MappingInput) => boolean;

/**
 * A leaf condition looks at every value its path reaches (a `[]` path reaches many):
 * eq / in / gt / gte / lt / lte hold when at least one value satisfies them; neq holds when
 * none equals the value (so a missing field is "not equal"); exists holds when some value is
 * not null (`"value": false` inverts it). Ordering ops compare numbers exactly, numeric strings
 * included; a value that is not numeric never satisfies them.
 */
export function compileCondition(condition: Condition): Predicate {
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    return (input) => parts.every((p) => p(input));
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    return (input) => parts.some((p) => p(input));
  }
  return compileLeaf(condition);
}

function compileLeaf(condition: LeafCondition): Predicate {
  const parsed = tryParsePath(condition.path);
  if (!parsed.ok) throw new Error(parsed.message);
  const path = parsed.path;
  const expected = condition.value;
  const values = (input: MappingInput): JsonValue[] => selectValues(input, path);
  switch (condition.op) {
    case 'eq':
      return (input) => values(input).some((v) => looseEquals(v, expected));
    case 'neq':
      return (input) => !values(input).some((v) => looseEquals(v, expected));
    case 'in': {
      const options = Array.isArray(expected) ? [...(expected as unknown[])] : [];
      return (input) => values(input).some((v) => options.some((o) => looseEquals(v, o)));
    }
    case 'exists': {
      const wanted = expected !== false;
      return (input) => values(input).some((v) => v !== null) === wanted;
    }
    case 'gt':
      return ordering(values, expected, (c) => c > 0);
    case 'gte':
      return ordering(values, expected, (c) => c >= 0);
    case 'lt':
      return ordering(values, expected, (c) => c < 0);
    case 'lte':
      return ordering(values, expected, (c) => c <= 0);
    default: {
      const unknown: never = condition.op;
      throw new Error(`unknown op ${JSON.stringify(unknown)}`);
    }
  }
}

function ordering(values: (input: MappingInput) => JsonValue[], expected: unknown, holds: (c: number) => boolean): Predicate {
  const bound = typeof expected === 'boolean' ? null : toDecimal(expected);
  if (!bound) throw new Error('an ordering condition needs a number or a numeric string');
  return (input) =>
    values(input).some((v) => {
      const d = typeof v === 'boolean' ? null : toDecimal(v);
      return d !== null && holds(compareDecimals(d, bound));
    });
}

/**
 * Equality tolerant of how webhooks encode scalars: a number (or bigint) equals a numeric
 * string with the same value ("199.00" = 199), and a boolean equals "true"/"false". Two strings
 * compare exactly. Arrays and objects compare structurally.
 */
export function looseEquals(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (actual === null || expected === null || actual === undefined || expected === undefined) return false;
  const numericA = typeof actual === 'number' || typeof actual === 'bigint';
  const numericE = typeof expected === 'number' || typeof expected === 'bigint';
  if ((numericA && (numericE || typeof expected === 'string')) || (numericE && typeof actual === 'string')) {
    const a = toDecimal(actual);
    const e = toDecimal(expected);
    return a !== null && e !== null && compareDecimals(a, e) === 0;
  }
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === expected.trim().toLowerCase();
  if (typeof expected === 'boolean' && typeof actual === 'string') return String(expected) === actual.trim().toLowerCase();
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((v, i) => looseEquals(v, expected[i]));
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const keys = Object.keys(actual);
    return keys.length === Object.keys(expected).length && keys.every((k) => Object.prototype.hasOwnProperty.call(expected, k) && looseEquals(actual[k], expected[k]));
  }
  return false;
}
