// W3C Trace Context (`traceparent`, https://www.w3.org/TR/trace-context/) without a tracing
// SDK: Hookline carries the header across HTTP and Kafka so that one webhook can be followed
// through every service, in the logs (`trace_id`) and on every message it leads to.
import { randomBytes } from 'node:crypto';

/** `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. */
export type Traceparent = string;

// Random ids come from a pooled buffer of hex, refilled when spent: crypto.randomBytes for
// each request costs microseconds on the webhook route, slicing a pooled string nanoseconds.
const POOL_BYTES = 6_144; // 256 traceparents (24 random bytes each) per refill
let pool = '';
let at = 0;

function randomHex(chars: number): string {
  if (at + chars > pool.length) {
    pool = randomBytes(POOL_BYTES).toString('hex');
    at = 0;
  }
  const hex = pool.slice(at, at + chars);
  at += chars;
  return hex;
}

const ZERO_TRACE = '00000000000000000000000000000000';
const ZERO_SPAN = '0000000000000000';
// Version 00 is exactly 55 characters; a later version may add fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A new trace (sampled flag set): a request or event that arrived with no trace of its own. */
export function newTraceparent(): Traceparent {
  let traceId = randomHex(32);
  if (traceId === ZERO_TRACE) traceId = randomHex(32);
  return `00-${traceId}-${spanId()}-01`;
}

/**
 * The same trace with a new span of ours as parent: what a hop hands on after it received
 * `incoming`. null when `incoming` is not a valid traceparent (then start a new one).
 */
export function continueTraceparent(incoming: string | string[] | undefined | null): Traceparent | null {
  if (typeof incoming !== 'string' || incoming.length < 55 || incoming.length > 512) return null;
  // Lower-case hex only: the spec has a header with other characters ignored.
  const match = TRACEPARENT.exec(incoming);
  if (!match) return null;
  const [, version, traceId, parent, flags, rest] = match;
  if (version === 'ff' || traceId === ZERO_TRACE || parent === ZERO_SPAN) return null;
  if (version === '00' && rest !== undefined) return null;
  return `00-${traceId}-${spanId()}-${flags}`;
}

/** The incoming trace continued, or a new one. */
export function traceparentFor(incoming: string | string[] | undefined | null): Traceparent {
  return continueTraceparent(incoming) ?? newTraceparent();
}

export const traceIdOf = (traceparent: Traceparent): string => traceparent.slice(3, 35);
export const spanIdOf = (traceparent: Traceparent): string => traceparent.slice(36, 52);

function spanId(): string {
  const id = randomHex(16);
  return id === ZERO_SPAN ? randomHex(16) : id;
}
