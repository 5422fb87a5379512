/**
 * Which request headers travel with an accepted webhook. Headers that carry credentials or
 * signatures never leave the edge (they would be secrets at rest in Kafka and samples).
 */
const SECRET_HEADER = /authorization|cookie|signature|hmac|secret|token|api-key|apikey|password/i;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection', 'host', 'content-length']);
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 1_000;

// Whether a header name may travel, by name as received: providers send the same few names
// on every request, so the test runs once per name (bounded, so odd names cannot grow it).
const travels = new Map<string, { lower: string; ok: boolean }>();
const MAX_REMEMBERED_NAMES = 1_000;

function verdictOf(name: string): { lower: string; ok: boolean } {
  let verdict = travels.get(name);
  if (verdict === undefined) {
    const lower = name.toLowerCase();
    verdict = { lower, ok: !HOP_BY_HOP.has(lower) && !SECRET_HEADER.test(lower) };
    if (travels.size >= MAX_REMEMBERED_NAMES) travels.clear();
    travels.set(name, verdict);
  }
  return verdict;
}

/** `alsoDrop`: lower-case names of further headers to keep back, such as a trigger's own signature header. */
export function allowListedHeaders(raw: Record<string, string | string[] | undefined>, alsoDrop: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const name in raw) {
    const value = raw[name];
    const { lower, ok } = verdictOf(name);
    if (value === undefined || !ok || alsoDrop.includes(lower)) continue;
    if (++count > MAX_HEADERS) break;
    out[lower] = (Array.isArray(value) ? value.join(', ') : value).slice(0, MAX_HEADER_VALUE);
  }
  return out;
}

/** Provider delivery ids: a redelivery carries the same one, so it decides "the same event". */
const DELIVERY_ID_HEADERS = [
  'webhook-id',
  'x-shopify-webhook-id',
  'x-github-delivery',
  'x-razorpay-event-id',
  'x-wc-webhook-delivery-id',
  'x-twilio-idempotency-token',
  'idempotency-key',
  'x-idempotency-key',
  'x-request-id',
];

export function deliveryIdOf(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name of DELIVERY_ID_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text && text.trim()) return `${name}:${text.trim().slice(0, 400)}`;
  }
  return null;
}
