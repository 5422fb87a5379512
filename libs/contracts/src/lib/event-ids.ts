import { createHash } from 'node:crypto';

/**
 * A UUID (version 5 layout, SHA-256 based) derived from what makes an event unique, so the
 * same input always yields the same event id: a retried or replayed step produces a message
 * its consumers recognise as the one they have seen.
 */
export function deterministicEventId(namespace: string, ...parts: string[]): string {
  const h = createHash('sha256').update([namespace, ...parts].join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
