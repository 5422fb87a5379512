import { randomBytes } from 'node:crypto';
import { ConfigError } from '@hookline/config';
import { loadGatewayConfig } from './gateway.config';

const KEY = randomBytes(32);
const base = { HOOKLINE_ADMIN_TOKEN: 'admin-token-0123456789', HOOKLINE_ENCRYPTION_KEY: KEY.toString('base64') };
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadGatewayConfig', () => {
  it('decodes the encryption key and defaults the token grace to a day', () => {
    const sut = loadGatewayConfig(base);
    expect(sut.encryptionKey.equals(KEY)).toBe(true);
    expect(sut.previousEncryptionKeys).toEqual([]);
    expect(sut.TOKEN_ROTATION_GRACE_SECONDS).toBe(86_400);
  });

  it('fails fast without an encryption key', () => {
    expect(problemsOf({ HOOKLINE_ADMIN_TOKEN: base.HOOKLINE_ADMIN_TOKEN })).toEqual([expect.stringMatching(/^HOOKLINE_ENCRYPTION_KEY: .*required/)]);
    expect(problemsOf({ ...base, HOOKLINE_ENCRYPTION_KEY: '' })).toEqual([expect.stringMatching(/^HOOKLINE_ENCRYPTION_KEY: /)]);
  });

  it('names a malformed key, a malformed previous key and every other bad variable in one go', () => {
    const problems = problemsOf({ HOOKLINE_ENCRYPTION_KEY: randomBytes(16).toString('base64'), HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: `${KEY.toString('base64')},nope`, PORT: 'x', TOKEN_ROTATION_GRACE_SECONDS: '-1' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^HOOKLINE_ADMIN_TOKEN: /),
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^TOKEN_ROTATION_GRACE_SECONDS: /),
        'HOOKLINE_ENCRYPTION_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)',
        'HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: key 2 must be 32 random bytes in base64 (openssl rand -base64 32)',
      ]),
    );
    expect(problems.join('\n')).not.toContain(KEY.toString('base64'));
  });

  it('keeps earlier keys to open what they sealed', () => {
    const old = randomBytes(32);
    expect(loadGatewayConfig({ ...base, HOOKLINE_ENCRYPTION_PREVIOUS_KEYS: ` ${old.toString('base64url')} ` }).previousEncryptionKeys.map((k) => k.toString('hex'))).toEqual([old.toString('hex')]);
  });
});
