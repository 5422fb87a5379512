// validateMapping: every problem of a definition at once — the JSON Schema (ajv, allErrors)
// and the checks a schema cannot express (path syntax, unique names, countries, defaults,
// templates), plus warnings for paths the trigger's catalog has never seen.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonValue, PathSegment } from '@hookline/payload';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { coerceValue } from './coerce';
import { MAPPING_DEFINITION_SCHEMA } from './mapping-definition.schema';
import { VARIABLE_TYPES, type VariableType } from './mapping-definition';
import { ProblemCode, type Problem } from './mapping-rules.exception';
import { hasOwn, isPlainObject } from './object-utils';
import { catalogAncestors, catalogKey, fansOut, tryParsePath } from './paths';
import { parseTemplate } from './transforms';
import { VARIABLE_SETS, type VariableSetName } from './variable-sets';

export interface ValidateOptions {
  /** The trigger's catalog paths; body paths not among them (or their ancestors) are warned about. */
  knownPaths?: string[];
}

export interface ValidationResult {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export const MAX_FILTER_DEPTH = 8;

let compiledSchema: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  // Ajv generates its validator from our constant schema, never from user text.
  compiledSchema ??= new Ajv({ allErrors: true, strict: true }).compile(MAPPING_DEFINITION_SCHEMA);
  return compiledSchema;
}

export function validateMapping(definition: unknown, options: ValidateOptions = {}): ValidationResult {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const validate = schemaValidator();
  if (!validate(definition)) {
    for (const error of validate.errors ?? []) {
      const problem = fromAjv(error);
      if (problem && !errors.some((p) => p.pointer === problem.pointer && p.code === problem.code && p.message === problem.message)) {
        errors.push(problem);
      }
    }
  }
  new SemanticChecks(errors, warnings, options.knownPaths).run(definition);
  errors.sort(byPointer);
  warnings.sort(byPointer);
  return { valid: errors.length === 0, errors, warnings };
}

/** Document order: token by token, array indexes numerically (/variables/2 before /variables/10). */
function byPointer(a: Problem, b: Problem): number {
  const x = a.pointer.split('/');
  const y = b.pointer.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const nx = /^\d+$/.test(x[i]!) ? Number(x[i]) : NaN;
    const ny = /^\d+$/.test(y[i]!) ? Number(y[i]) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

// ---------------------------------------------------------------------------------------------
// ajv errors → problems

const SET_FIELD_OBJECTS: Record<string, VariableSetName> = {
  '/variableSets/order': 'order',
  '/variableSets/customer': 'customer',
  '/variableSets/shopify': 'shopify',
  '/variableSets/products/fields': 'products',
};

function fromAjv(error: ErrorObject): Problem | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing then/else branch reports the real problem
    case 'required': {
      const pointer = `${at}/${escapeToken(String(params['missingProperty']))}`;
      return problem(pointer, ProblemCode.MissingField, 'is required');
    }
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const pointer = `${at}/${escapeToken(name)}`;
      const set = SET_FIELD_OBJECTS[at];
      if (set) {
        const known = Object.keys(VARIABLE_SETS[set].fields).join(', ');
        return problem(pointer, ProblemCode.UnknownVariableSetField, `"${name}" is not a field of the ${set} variable set (fields: ${known})`);
      }
      if (at === '/variableSets') {
        return problem(pointer, ProblemCode.UnknownField, `"${name}" is not a variable set (sets: ${Object.keys(VARIABLE_SETS).join(', ')})`);
      }
      return problem(pointer, ProblemCode.UnknownField, 'is not a field of the mapping format');
    }
    case 'type':
      return problem(at, ProblemCode.WrongType, `must be ${String(params['type']).replace(',', ' or ')}`);
    case 'enum':
      return problem(at, ProblemCode.NotAllowed, `must be one of: ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'const':
      return at === '/variables'
        ? problem(at, ProblemCode.NotAllowed, 'must be "all" or an array of variables')
        : problem(at, ProblemCode.NotAllowed, `must be ${JSON.stringify(params['allowedValue'])}`);
    case 'pattern':
      if (/^\/variables\/\d+\/name$/.test(at)) {
        return problem(at, ProblemCode.BadFormat, 'a variable name starts with a letter or _ and has only letters, digits and _ (at most 100)');
      }
      if (/defaultCountry$/.test(at)) return problem(at, ProblemCode.BadFormat, 'must be an ISO 3166-1 alpha-2 country code such as "IN"');
      if (/\/value$/.test(at)) return problem(at, ProblemCode.BadFormat, 'must be a number or a numeric string');
      return problem(at, ProblemCode.BadFormat, error.message ?? 'has the wrong format');
    case 'not':
      if (/^\/variables\/\d+\/name$/.test(at)) return problem(at, ProblemCode.NotAllowed, 'is a reserved name');
      return problem(at, ProblemCode.Invalid, error.message ?? 'is invalid');
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minimum':
    case 'maximum':
      return problem(at, ProblemCode.OutOfBounds, error.message ?? 'out of bounds');
    default:
      return problem(at, ProblemCode.Invalid, error.message ?? 'is invalid');
  }
}

// ---------------------------------------------------------------------------------------------
// checks the schema cannot express; written against unknown input (the schema may have failed)

class SemanticChecks {
  private readonly known: Set<string> | undefined;

  constructor(
    private readonly errors: Problem[],
    private readonly warnings: Problem[],
    knownPaths: string[] | undefined,
  ) {
    if (knownPaths) {
      this.known = new Set();
      for (const text of knownPaths) {
        const parsed = typeof text === 'string' ? tryParsePath(text) : undefined;
        if (!parsed?.ok || parsed.path.root !== 'body') continue;
        this.known.add(catalogKey(parsed.path.segments));
        for (const ancestor of catalogAncestors(parsed.path.segments)) this.known.add(ancestor);
      }
    }
  }

  run(definition: unknown): void {
    if (!isPlainObject(definition)) return;
    let country: string | undefined;
    const uniqueId = definition['uniqueId'];
    if (isPlainObject(uniqueId)) {
      this.path(uniqueId['path'], '/uniqueId/path', { single: true });
      const fallbacks = uniqueId['fallbacks'];
      if (Array.isArray(fallbacks)) fallbacks.forEach((p, i) => this.path(p, `/uniqueId/fallbacks/${i}`, { single: true }));
      country = this.country(uniqueId['defaultCountry'], '/uniqueId/defaultCountry');
    }
    const variables = definition['variables'];
    if (Array.isArray(variables)) this.variables(variables, country);
    const sets = definition['variableSets'];
    if (isPlainObject(sets)) this.variableSets(sets);
    if (hasOwn(definition, 'filter')) this.condition(definition['filter'], '/filter', 1);
    const dedupeKey = definition['dedupeKey'];
    if (isPlainObject(dedupeKey)) this.path(dedupeKey['path'], '/dedupeKey/path', { single: true });
  }

  private variables(variables: unknown[], mappingCountry: string | undefined): void {
    const firstByName = new Map<string, number>();
    variables.forEach((variable, i) => {
      if (!isPlainObject(variable)) return;
      const at = `/variables/${i}`;
      const name = variable['name'];
      if (typeof name === 'string') {
        const first = firstByName.get(name);
        if (first === undefined) firstByName.set(name, i);
        else this.error(`${at}/name`, ProblemCode.DuplicateVariableName, `"${name}" is already the name of /variables/${first}`);
      }
      this.path(variable['path'], `${at}/path`, {});
      const country = this.country(variable['defaultCountry'], `${at}/defaultCountry`) ?? mappingCountry;
      const type = variable['type'];
      if (hasOwn(variable, 'default') && variable['default'] !== null && isVariableType(type)) {
        const r = coerceValue(type, variable['default'] as JsonValue, { defaultCountry: country });
        if (!r.ok) this.error(`${at}/default`, ProblemCode.DefaultInvalid, `the default is not a valid ${type}: ${r.reason}`);
      }
      const transform = variable['transform'];
      if (Array.isArray(transform)) transform.forEach((t, j) => this.transform(t, `${at}/transform/${j}`));
      else this.transform(transform, `${at}/transform`);
    });
  }

  private transform(transform: unknown, at: string): void {
    if (!isPlainObject(transform) || transform['op'] !== 'template' || typeof transform['template'] !== 'string') return;
    const { parts, problems } = parseTemplate(transform['template']);
    for (const p of problems) this.error(`${at}/template`, p.code, p.message);
    for (const part of parts) if (part.kind === 'path') this.warnIfUnknown(part.path.root, part.path.segments, `${at}/template`, part.source);
  }

  private variableSets(sets: Record<string, unknown>): void {
    for (const set of ['order', 'customer', 'shopify'] as const) {
      const fields = sets[set];
      if (!isPlainObject(fields)) continue;
      for (const [field, path] of Object.entries(fields)) this.path(path, `/variableSets/${set}/${escapeToken(field)}`, {});
    }
    const products = sets['products'];
    if (!isPlainObject(products)) return;
    const from = this.path(products['from'], '/variableSets/products/from', {});
    if (from && (from.root !== 'body' || from.segments[from.segments.length - 1]?.kind !== 'each')) {
      this.error('/variableSets/products/from', ProblemCode.ProductsFromNotArray, 'must be a body path to an array ending in [] (e.g. "line_items[]")');
    }
    const fields = products['fields'];
    if (!isPlainObject(fields)) return;
    const base = from && from.root === 'body' ? from.segments : undefined;
    for (const [field, path] of Object.entries(fields)) {
      this.path(path, `/variableSets/products/fields/${escapeToken(field)}`, { relativeTo: base ?? null });
    }
  }

  private condition(condition: unknown, at: string, depth: number): void {
    if (!isPlainObject(condition)) return;
    if (depth > MAX_FILTER_DEPTH) {
      this.error(at, ProblemCode.FilterTooDeep, `conditions nest at most ${MAX_FILTER_DEPTH} levels deep`);
      return;
    }
    for (const group of ['all', 'any'] as const) {
      const list = condition[group];
      if (hasOwn(condition, group)) {
        if (Array.isArray(list)) list.forEach((c, i) => this.condition(c, `${at}/${group}/${i}`, depth + 1));
        return;
      }
    }
    this.path(condition['path'], `${at}/path`, {});
  }

  /**
   * Checks one path. `single`: it must select one value (no `[]`). `relativeTo`: segments of
   * the array element it is relative to (for warnings); null = unknown, so no warning.
   */
  private path(
    value: unknown,
    at: string,
    options: { single?: boolean; relativeTo?: readonly PathSegment[] | null },
  ): { root: string; segments: PathSegment[] } | undefined {
    if (typeof value !== 'string' || value === '') return undefined; // the schema reports these
    const parsed = tryParsePath(value);
    if (!parsed.ok) {
      this.error(at, ProblemCode.PathSyntax, parsed.message);
      return undefined;
    }
    if (options.single && fansOut(parsed.path)) {
      this.error(at, ProblemCode.PathFansOut, `"${value}" must select one value, so it cannot contain [] (use [0] for the first element)`);
    }
    if (options.relativeTo !== null) {
      const segments = parsed.path.root === 'body' && options.relativeTo ? [...options.relativeTo, ...parsed.path.segments] : parsed.path.segments;
      this.warnIfUnknown(parsed.path.root, segments, at, value);
    }
    return parsed.path;
  }

  private warnIfUnknown(root: string, segments: readonly PathSegment[], at: string, text: string): void {
    if (!this.known || root !== 'body') return;
    const key = catalogKey(segments);
    if (!this.known.has(key)) {
      const shown = key === text ? `"${text}"` : `"${text}" (${key})`;
      this.warnings.push(problem(at, ProblemCode.UnknownPath, `${shown} is not a known variable of this trigger's samples`));
    }
  }

  private country(value: unknown, at: string): string | undefined {
    if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) return undefined; // the schema reports these
    if (!isSupportedCountry(value)) {
      this.error(at, ProblemCode.UnknownCountry, `"${value}" is not a country libphonenumber knows`);
      return undefined;
    }
    return value;
  }

  private error(pointer: string, code: string, message: string): void {
    this.errors.push(problem(pointer, code, message));
  }
}

function isVariableType(value: unknown): value is VariableType {
  return typeof value === 'string' && (VARIABLE_TYPES as readonly string[]).includes(value);
}

function problem(pointer: string, code: string, message: string): Problem {
  return { pointer, code, message: `${pointerLabel(pointer)}: ${message}` };
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** "/variables/1/path" → "variables[1].path", for messages people read. */
export function pointerLabel(pointer: string): string {
  if (pointer === '') return 'definition';
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((label, token) => (/^\d+$/.test(token) ? `${label}[${token}]` : label === '' ? token : `${label}.${token}`), '');
}
