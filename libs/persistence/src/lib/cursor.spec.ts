import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips a key', () => {
    const key = { at: '2026-11-25T10:00:00.123Z', id: 'trg_abc' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });
  it('refuses a cursor it did not make', () => {
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeNull();
  });
});
