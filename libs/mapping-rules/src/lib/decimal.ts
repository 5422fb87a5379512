// Exact decimal arithmetic for the few places where doubles would round:
// comparing big ids, and scaling minor units (19999 * 0.01 must be 199.99, not 199.98999999999998).

/** value = digits × 10^exponent, exactly. */
export interface Decimal {
  digits: bigint;
  exponent: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** True for "199", "-1.5", ".5", "1e3" (after trimming); false for "", "1,000", "0x10", "Infinity". */
export function isNumericText(text: string): boolean {
  const m = DECIMAL_TEXT.exec(text.trim());
  return m !== null && ((m[2] ?? '') + (m[3] ?? '')).length > 0;
}

export function parseDecimalText(text: string): Decimal | null {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return null;
  const [, sign, intPart = '', fracPart = '', exp = '0'] = m;
  if ((intPart + fracPart).length === 0) return null;
  const exponent = Number(exp) - fracPart.length;
  // A wild exponent ("1e999999999") would build a giant bigint; no amount or id needs one.
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return null;
  const digits = BigInt(intPart + fracPart || '0');
  return { digits: sign === '-' ? -digits : digits, exponent };
}

/** number, bigint or numeric string → Decimal; anything else → null. */
export function toDecimal(value: unknown): Decimal | null {
  if (typeof value === 'bigint') return { digits: value, exponent: 0 };
  if (typeof value === 'number') return Number.isFinite(value) ? parseDecimalText(String(value)) : null;
  if (typeof value === 'string') return parseDecimalText(value);
  return null;
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, exponent: a.exponent + b.exponent };
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const exponent = Math.min(a.exponent, b.exponent);
  const x = a.digits * 10n ** BigInt(a.exponent - exponent);
  const y = b.digits * 10n ** BigInt(b.exponent - exponent);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The nearest JavaScript value: a number, or a bigint when the value is an integer a double
 * cannot hold exactly (so ids and huge amounts keep every digit).
 */
export function decimalToJs(d: Decimal): number | bigint {
  if (d.exponent >= 0) return safeOrBig(d.digits * 10n ** BigInt(d.exponent));
  const divisor = 10n ** BigInt(-d.exponent);
  if (d.digits % divisor === 0n) return safeOrBig(d.digits / divisor);
  // The runtime's string-to-double conversion rounds correctly, unlike digits * 10^-n.
  return Number(`${d.digits}e${d.exponent}`);
}

function safeOrBig(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Digits of a number without exponent notation where it is an integer (1e21 → "1000000000000000000000"). */
export function numberToText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22

/**
 * The value of a short plain decimal — optional "-", 1–15 digits, optionally "." and 1–20
 * digits ("199.00", "-3", "0.5") — or undefined for any other text. Its integer part is a safe
 * integer, so the result is exactly what decimalToJs(parseDecimalText(text)) gives: the exact
 * decimal rounded to the nearest double (and "-0" gives 0). With at most 15 digits in all and
 * at most 22 after the point, digits / 10^k is a division of two exact doubles, which IEEE 754
 * rounds correctly (Clinger's fast path); longer texts go through Number(text), which rounds
 * correctly too.
 */
export function shortDecimalValue(text: string): number | undefined {
  const n = text.length;
  const negative = text.charCodeAt(0) === 0x2d; /* - */
  let i = negative ? 1 : 0;
  const intStart = i;
  let digits = 0;
  let c = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 0x30 && c <= 0x39) {
    digits = digits * 10 + (c - 0x30);
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits < 1 || intDigits > 15) return undefined;
  let fracDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 0x2e /* . */) return undefined;
    const fracStart = ++i;
    while (i < n && (c = text.charCodeAt(i)) >= 0x30 && c <= 0x39) {
      if (intDigits + (i - fracStart) < 15) digits = digits * 10 + (c - 0x30);
      i++;
    }
    fracDigits = i - fracStart;
    if (i !== n || fracDigits < 1 || fracDigits > 20) return undefined;
    if (intDigits + fracDigits > 15) return Number(text) || 0;
  }
  const value = fracDigits === 0 ? digits : digits / POWERS_OF_TEN[fracDigits]!;
  return negative && value !== 0 ? -value : value;
}
