import { randomBytes } from 'node:crypto';
import { keyIdOf, parseEncryptionKey, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const sut = new SecretBox(key);

  it('seals a secret into ciphertext that holds nothing of it, and opens it again', () => {
    const sealed = sut.seal('shpss_0123456789abcdef', 'trg_1');
    expect(sealed.keyId).toBe(keyIdOf(key));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sealed.ciphertext).not.toContain('shpss');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('0123456789abcdef');
    expect(sut.open(sealed, 'trg_1')).toBe('shpss_0123456789abcdef');
  });

  it('never seals the same secret to the same ciphertext twice', () => {
    expect(sut.seal('same', 'trg_1').ciphertext).not.toBe(sut.seal('same', 'trg_1').ciphertext);
  });

  it('refuses a ciphertext moved to another trigger, altered, or sealed under an unknown key', () => {
    const sealed = sut.seal('whsec_abc', 'trg_1');
    expect(() => sut.open(sealed, 'trg_2')).toThrow(SecretBoxError);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => sut.open({ ...sealed, ciphertext: bytes.toString('base64') }, 'trg_1')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'trg_1')).toThrow(/no configured encryption key has id/);
    try {
      sut.open(sealed, 'trg_2');
    } catch (error) {
      expect(String(error)).not.toContain('whsec_abc');
    }
  });

  it('opens what an earlier key sealed when that key is kept, and seals only with the current one', () => {
    const next = new SecretBox(randomBytes(32), [key]);
    const old = sut.seal('rotating', 'trg_9');
    expect(next.open(old, 'trg_9')).toBe('rotating');
    expect(next.seal('x', 'trg_9').keyId).toBe(next.keyId);
    expect(next.keyId).not.toBe(sut.keyId);
  });
});

describe('parseEncryptionKey', () => {
  it('reads 32 bytes in base64 or base64url', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64url'))?.equals(key)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(parseEncryptionKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(parseEncryptionKey(randomBytes(48).toString('base64'))).toBeNull();
    expect(parseEncryptionKey('x'.repeat(44))).toBeNull();
    expect(parseEncryptionKey('change-me')).toBeNull();
  });
});
