import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { validationFailed } from './api-exception';

const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false });
addFormats(ajv);

/**
 * Compiles a JSON Schema for a request body once; the returned function throws a 422 with
 * every problem and its JSON pointer, or returns the body typed.
 */
export function bodyValidator<T>(schema: object): ((body: unknown) => T) & { schema: object } {
  const validate = ajv.compile(schema);
  // The schema stays reachable for the OpenAPI document (@ApiBody({ schema: parse.schema })).
  const parse = (body: unknown): T => {
    if (!validate(body ?? {})) {
      throw validationFailed(
        (validate.errors ?? []).map((e) => {
          const missing = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty;
          const extra = (e.params as { additionalProperty?: string }).additionalProperty;
          const pointer = e.instancePath + (missing ? `/${missing}` : extra ? `/${extra}` : '');
          return { pointer, message: e.message ?? 'is invalid' };
        }),
      );
    }
    return (body ?? {}) as T;
  };
  return Object.assign(parse, { schema });
}
