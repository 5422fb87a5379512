import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedSecret } from '@hookline/contracts';

/**
 * Signing secrets at rest (Postgres) and in flight (the trigger-config topic): AES-256-GCM
 * under the gateway's key (HOOKLINE_ENCRYPTION_KEY), bound to the trigger it belongs to, so
 * a ciphertext copied onto another trigger does not open. Older keys may be kept to open
 * what they sealed; new secrets are always sealed with the current key.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_TEXT = /^[A-Za-z0-9+/_-]{43}=?$/;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** A 32-byte key written as base64 or base64url (44 or 43 characters); null for anything else. */
export function parseEncryptionKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!KEY_TEXT.test(trimmed)) return null;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === KEY_BYTES ? key : null;
}

/** A public fingerprint of a key (16 hex digits), stored beside each ciphertext to say which key opens it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('hookline encryption key id\0').update(key).digest('hex').slice(0, 16);
}

const aad = (context: string) => Buffer.from(`hookline signing secret\0${context}`, 'utf8');

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) if (key.length !== KEY_BYTES) throw new SecretBoxError('an encryption key must be 32 bytes');
    this.current = { id: keyIdOf(currentKey), key: currentKey };
    for (const key of [currentKey, ...previousKeys]) if (!this.keys.has(keyIdOf(key))) this.keys.set(keyIdOf(key), key);
  }

  get keyId(): string {
    return this.current.id;
  }

  /** Encrypts `plaintext` for `context` (the trigger id). */
  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  /** Decrypts a sealed secret of `context`; throws SecretBoxError when no key of ours opens it. The message never holds secret material. */
  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new SecretBoxError(`no configured encryption key has id ${sealed.keyId}`);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError(`the ciphertext sealed with key ${sealed.keyId} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(aad(context));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`a secret sealed with key ${sealed.keyId} does not open for ${context}: altered, or sealed for another trigger`);
    }
  }
}
