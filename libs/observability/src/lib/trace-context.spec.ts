import { continueTraceparent, newTraceparent, spanIdOf, traceIdOf, traceparentFor } from './trace-context';

const VALID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('traceparent', () => {
  it('starts sampled traces with random, distinct, non-zero ids, pool refills included', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const tp = newTraceparent();
      expect(tp).toMatch(VALID);
      expect(tp.endsWith('-01')).toBe(true);
      expect(traceIdOf(tp)).not.toBe('0'.repeat(32));
      seen.add(traceIdOf(tp));
      seen.add(spanIdOf(tp));
    }
    expect(seen.size).toBe(4_000);
  });

  it('continues a valid incoming trace with a new span of its own, keeping its flags', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const next = continueTraceparent(incoming)!;
    expect(next).toMatch(VALID);
    expect(traceIdOf(next)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(spanIdOf(next)).not.toBe('00f067aa0ba902b7');
    expect(next.endsWith('-00')).toBe(true);
    // A later version's extra fields are dropped.
    expect(continueTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future')).toMatch(VALID);
  });

  it.each([
    ['nothing', undefined],
    ['two headers', ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']],
    ['garbage', 'not-a-trace'],
    ['a zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['a zero parent', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version 00 with more fields', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['short ids', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
  ])('refuses %s, so a new trace starts', (_name, incoming) => {
    expect(continueTraceparent(incoming)).toBeNull();
    const fresh = traceparentFor(incoming);
    expect(fresh).toMatch(VALID);
    expect(traceIdOf(fresh)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
