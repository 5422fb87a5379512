import type { JSONSchemaType } from 'ajv';
import { ConfigError, loadConfig } from './load-config';

interface Env {
  PORT: number;
  NAME: string;
  MODE: 'a' | 'b';
}
const schema: JSONSchemaType<Env> = {
  type: 'object',
  required: ['PORT', 'NAME', 'MODE'],
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
    NAME: { type: 'string', minLength: 1 },
    MODE: { type: 'string', enum: ['a', 'b'], default: 'a' },
  },
};

describe('loadConfig', () => {
  it('coerces numbers and applies defaults', () => {
    expect(loadConfig(schema, { PORT: '8080', NAME: 'x' })).toEqual({ PORT: 8080, NAME: 'x', MODE: 'a' });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig(schema, { PORT: 'eighty', MODE: 'c' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const text = (e as ConfigError).problems.join('\n');
      expect(text).toMatch(/PORT/);
      expect(text).toMatch(/NAME/);
      expect(text).toMatch(/MODE/);
    }
  });

  it('ignores variables the schema does not name', () => {
    expect(loadConfig(schema, { NAME: 'x', OTHER: 'y' })).not.toHaveProperty('OTHER');
  });
});
