// compileMapping: a validated definition becomes one closure, built once per mapping version.
// Every path, transform, filter and default is prepared here; running it only walks the event.
import { formatPath, selectValues, toJsonSafe, type JsonValue, type ParsedPath } from '@hookline/payload';
import { assignVariableNames, collectLeaves } from './all-variables';
import { coerceValue, scalarToText } from './coerce';
import { shortDecimalValue } from './decimal';
import { compileCondition } from './filter';
import type { MappingDefinition, MappingInput, UniqueIdType, VariableType, Transform } from './mapping-definition';
import { MappingErrorCode, MappingRulesError, MappingRulesErrorCode } from './mapping-rules.exception';
import { normalizeIdentifier } from './normalize-identifier';
import { setOwn } from './object-utils';
import { compileSelectValue, fansOut, tryParsePath } from './paths';
import { compileTransforms, type CompiledTransform, type Slot } from './transforms';
import { validateMapping } from './validate-mapping';
import { VARIABLE_SETS } from './variable-sets';

export interface MappingRunError {
  code: string;
  message: string;
  /** The payload path involved, when there is one. */
  path?: string;
}

export type MappingResult =
  | {
      ok: true;
      /** false when the filter rejects the event: then only uniqueId (best effort) and dedupeKey are filled. */
      matched: boolean;
      uniqueId: { type: UniqueIdType; value: string; path: string };
      variables: Record<string, unknown>;
      variableSets: Record<string, unknown>;
      dedupeKey?: string;
    }
  | { ok: false; errors: MappingRunError[] };

export type CompiledMapping = (input: MappingInput) => MappingResult;

type Errors = MappingRunError[];
type Extract = (input: MappingInput, errors: Errors) => unknown;
type UniqueIdOutcome = { ok: true; value: { type: UniqueIdType; value: string; path: string } } | { ok: false; error: MappingRunError };

/**
 * Validates the definition (throws MappingRulesError MAPPING_INVALID with every problem) and
 * returns a pure function of the event. The function never throws: data problems come back
 * as `{ ok: false, errors }` — all of them, not just the first.
 */
export function compileMapping(definition: MappingDefinition): CompiledMapping {
  const validation = validateMapping(definition);
  if (!validation.valid) {
    const n = validation.errors.length;
    const shown = validation.errors.slice(0, 3).map((p) => p.message).join('; ');
    throw new MappingRulesError(
      MappingRulesErrorCode.MappingInvalid,
      `mapping definition is invalid (${n} problem${n === 1 ? '' : 's'}): ${shown}${n > 3 ? '; ...' : ''}`,
      validation.errors,
    );
  }
  // A private copy: the caller may reuse or change its object after compiling.
  const def = structuredClone(definition);
  const country = def.uniqueId.defaultCountry;
  const resolveUniqueId = compileUniqueId(def.uniqueId.type, [def.uniqueId.path, ...(def.uniqueId.fallbacks ?? [])], country);
  const extractVariables = def.variables === 'all' ? compileAllVariables() : compileVariables(def.variables ?? [], country);
  const extractSets = compileVariableSets(def, country);
  const filter = def.filter ? compileCondition(def.filter) : undefined;
  const dedupeKey = def.dedupeKey ? compileDedupeKey(parse(def.dedupeKey.path)) : undefined;
  const uniqueIdType = def.uniqueId.type;
  const uniqueIdPath = def.uniqueId.path;

  return (input) => {
    try {
      const key = dedupeKey?.(input);
      if (filter && !filter(input)) {
        const id = resolveUniqueId(input);
        const skipped: MappingResult = {
          ok: true,
          matched: false,
          uniqueId: id.ok ? id.value : { type: uniqueIdType, value: '', path: uniqueIdPath },
          variables: {},
          variableSets: {},
        };
        if (key !== undefined) skipped.dedupeKey = key;
        return skipped;
      }
      const errors: Errors = [];
      const id = resolveUniqueId(input);
      if (!id.ok) errors.push(id.error);
      const variables = extractVariables(input, errors) as Record<string, unknown>;
      const variableSets = extractSets(input, errors) as Record<string, unknown>;
      if (!id.ok || errors.length > 0) return { ok: false, errors };
      const mapped: MappingResult = { ok: true, matched: true, uniqueId: id.value, variables, variableSets };
      if (key !== undefined) mapped.dedupeKey = key;
      return mapped;
    } catch (error) {
      return {
        ok: false,
        errors: [{ code: MappingErrorCode.Internal, message: `mapping failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` }],
      };
    }
  };
}

function parse(text: string): ParsedPath {
  const parsed = tryParsePath(text);
  // validateMapping has parsed every path already; this is a guard against drift between the two.
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.path;
}

function isMissing(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function compileUniqueId(type: UniqueIdType, texts: string[], defaultCountry: string | undefined) {
  const candidates = texts.map((text) => ({ text, select: compileSelectValue(parse(text)) }));
  const primary = texts[0]!;
  return (input: MappingInput): UniqueIdOutcome => {
    const invalid: Array<{ text: string; reason: string }> = [];
    for (const candidate of candidates) {
      const raw = candidate.select(input);
      if (isMissing(raw)) continue;
      const r = normalizeIdentifier(type, raw, { defaultCountry });
      if (r.ok) return { ok: true, value: { type, value: r.value, path: candidate.text } };
      invalid.push({ text: candidate.text, reason: r.reason });
    }
    if (invalid.length > 0) {
      return {
        ok: false,
        error: {
          code: MappingErrorCode.UniqueIdInvalid,
          message: `unique id (${type}) is invalid: ${invalid.map((i) => `${i.text}: ${i.reason}`).join('; ')}`,
          path: invalid[0]!.text,
        },
      };
    }
    const where = texts.length === 1 ? `"${primary}"` : `"${primary}" or its fallbacks ${texts.slice(1).map((t) => `"${t}"`).join(', ')}`;
    return { ok: false, error: { code: MappingErrorCode.UniqueIdMissing, message: `unique id (${type}): no value at ${where}`, path: primary } };
  };
}

interface ValueSpec {
  /** How errors name it: the variable name, or "variableSets.order.totalPrice". */
  label: string;
  pathText: string;
  type?: VariableType;
  transform?: Transform | Transform[];
  hasDefault: boolean;
  default?: unknown;
  defaultCountry?: string;
}

/** One value: select → transforms → default when missing → coerce → JSON-safe. */
function compileValue(spec: ValueSpec): Extract {
  const path = parse(spec.pathText);
  const fanOut = fansOut(path);
  const transform: CompiledTransform | undefined =
    spec.transform === undefined ? undefined : compileTransforms(Array.isArray(spec.transform) ? spec.transform : [spec.transform]);
  const { type, label, pathText } = spec;
  const coerceOptions = { defaultCountry: spec.defaultCountry };
  let fallback: JsonValue = null;
  if (spec.hasDefault && spec.default !== null && spec.default !== undefined) {
    const given = structuredClone(spec.default) as JsonValue;
    const r = type ? coerceValue(type, given, coerceOptions) : { ok: true as const, value: given };
    // validateMapping rejected defaults that do not coerce.
    if (!r.ok) throw new Error(`${label}: ${r.reason}`);
    fallback = r.value;
  }
  const selectOne = compileSelectValue(path);
  // A scalar default is the same value every time; a container is copied per call (fresh objects).
  const fallbackIsContainer = typeof fallback === 'object' && fallback !== null;
  const scalarFallback = fallbackIsContainer ? null : toJsonSafe(fallback);
  const coerceSlowly = (value: JsonValue, errors: Errors): unknown => {
    const r = coerceValue(type!, value, coerceOptions);
    if (!r.ok) {
      errors.push({ code: MappingErrorCode.VariableCoercion, message: `${label}: cannot coerce to ${type}: ${r.reason}`, path: pathText });
      return null;
    }
    const coerced = r.value === null ? fallback : r.value;
    return (typeof coerced === 'object' && coerced !== null) || typeof coerced === 'bigint' ? toJsonSafe(coerced) : coerced;
  };
  // The commonest shapes (a plain path, no transform) get a closure of their own: the same
  // steps as the general one below, with the type's usual input handled first.
  if (!fanOut && !transform && !fallbackIsContainer) {
    if (type === 'string') {
      return (input, errors) => {
        const value = selectOne(input);
        if (value === undefined || value === null) return scalarFallback;
        return typeof value === 'string' ? value : coerceSlowly(value, errors);
      };
    }
    if (type === 'number' || type === 'integer') {
      const integer = type === 'integer';
      return (input, errors) => {
        const value = selectOne(input);
        if (value === undefined || value === null) return scalarFallback;
        if (typeof value === 'number') {
          if (Number.isFinite(value) && (!integer || Number.isInteger(value))) return value;
        } else if (typeof value === 'string') {
          const n = shortDecimalValue(value);
          if (n !== undefined && (!integer || Number.isInteger(n))) return n;
        }
        return coerceSlowly(value, errors);
      };
    }
  }
  return (input, errors) => {
    let value: Slot = fanOut ? selectValues(input, path) : selectOne(input);
    if (transform) {
      const r = transform(value, input);
      if (!r.ok) {
        errors.push({ code: MappingErrorCode.TransformFailed, message: `${label}: ${r.reason}`, path: pathText });
        return null;
      }
      value = r.value;
    }
    if (value === undefined || value === null) return fallbackIsContainer ? toJsonSafe(fallback) : scalarFallback;
    if (type) {
      // What coerceValue gives for the commonest cases, without building a result object.
      if (typeof value === 'string') {
        if (type === 'string') return value;
        if (type === 'number' || type === 'integer') {
          const n = shortDecimalValue(value);
          if (n !== undefined && (type === 'number' || Number.isInteger(n))) return n;
        }
      } else if (typeof value === 'number' && Number.isFinite(value) && (type === 'number' || (type === 'integer' && Number.isInteger(value)))) {
        return value;
      }
      const r = coerceValue(type, value, coerceOptions);
      if (!r.ok) {
        errors.push({ code: MappingErrorCode.VariableCoercion, message: `${label}: cannot coerce to ${type}: ${r.reason}`, path: pathText });
        return null;
      }
      value = r.value === null ? fallback : r.value;
    }
    return (typeof value === 'object' && value !== null) || typeof value === 'bigint' ? toJsonSafe(value) : value;
  };
}

function compileVariables(variables: NonNullable<Exclude<MappingDefinition['variables'], 'all'>>, country: string | undefined): Extract {
  const extractors = variables.map((v) => ({
    name: v.name,
    extract: compileValue({
      label: `variable "${v.name}"`,
      pathText: v.path,
      type: v.type,
      transform: v.transform,
      hasDefault: Object.prototype.hasOwnProperty.call(v, 'default'),
      default: v.default,
      defaultCountry: v.defaultCountry ?? country,
    }),
  }));
  return (input, errors) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < extractors.length; i++) {
      const { name, extract } = extractors[i]!;
      const value = extract(input, errors);
      if (name === '__proto__') setOwn(out, name, value);
      else out[name] = value;
    }
    return out;
  };
}

/** `"variables": "all"`: every leaf of this body, named by the rule in all-variables.ts. */
function compileAllVariables(): Extract {
  return (input) => {
    const leaves = collectLeaves(input.body);
    const names = assignVariableNames(leaves);
    const out: Record<string, unknown> = {};
    for (const leaf of leaves) setOwn(out, names.get(leaf.key)!, toJsonSafe(leaf.fanOut ? leaf.values : leaf.values[0]!));
    return out;
  };
}

function compileFields(set: 'order' | 'customer' | 'shopify' | 'products', fields: Record<string, string>, prefix: string, country: string | undefined) {
  return Object.entries(fields).map(([field, pathText]) => ({
    field,
    extract: compileValue({
      label: `${prefix}.${field}`,
      pathText,
      type: VARIABLE_SETS[set].fields[field]!.type,
      hasDefault: false,
      defaultCountry: country,
    }),
  }));
}

function compileVariableSets(def: MappingDefinition, country: string | undefined): Extract {
  const sets = def.variableSets ?? {};
  const objects = (['order', 'customer', 'shopify'] as const)
    .filter((set) => sets[set] !== undefined)
    .map((set) => ({ set, fields: compileFields(set, sets[set]!, `variableSets.${set}`, country) }));
  const products = sets.products;
  const productFrom = products ? parse(products.from) : undefined;
  const productFields = products ? compileFields('products', products.fields, 'variableSets.products[]', country) : [];
  // Errors name the full path ("line_items[].price"), not the element-relative one.
  const productPaths = new Map<string, string>();
  if (products && productFrom) {
    for (const pathText of Object.values(products.fields)) {
      const field = parse(pathText);
      productPaths.set(pathText, field.root === 'body' ? formatPath([...productFrom.segments, ...field.segments]) : pathText);
    }
  }

  return (input, errors) => {
    const out: Record<string, unknown> = {};
    for (const { set, fields } of objects) {
      const values: Record<string, unknown> = {};
      for (let f = 0; f < fields.length; f++) {
        const { field, extract } = fields[f]!;
        const value = extract(input, errors);
        if (field === '__proto__') setOwn(values, field, value);
        else values[field] = value;
      }
      out[set] = values;
    }
    if (productFrom) {
      const elements = selectValues(input, productFrom);
      const list: Array<Record<string, unknown>> = [];
      // Field paths are relative to the element; $headers/$query still reach the request.
      // One scoped input for all elements (the extractors keep no reference to it).
      const scoped: MappingInput = { body: null, headers: input.headers, query: input.query };
      const scopedErrors: Errors = [];
      for (let index = 0; index < elements.length; index++) {
        scoped.body = elements[index]!;
        if (scopedErrors.length > 0) scopedErrors.length = 0;
        const product: Record<string, unknown> = {};
        for (let f = 0; f < productFields.length; f++) {
          const { field, extract } = productFields[f]!;
          const value = extract(scoped, scopedErrors);
          if (field === '__proto__') setOwn(product, field, value);
          else product[field] = value;
        }
        for (const e of scopedErrors) {
          errors.push({
            code: e.code,
            message: e.message.replace('variableSets.products[]', `variableSets.products[${index}]`),
            ...(e.path === undefined ? {} : { path: productPaths.get(e.path) ?? e.path }),
          });
        }
        list.push(product);
      }
      out['products'] = list;
    }
    return out;
  };
}

/** The dedupe key as an exact string (bigints and big numbers keep every digit); absent when missing. */
function compileDedupeKey(path: ParsedPath) {
  const select = compileSelectValue(path);
  return (input: MappingInput): string | undefined => {
    const value = select(input);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'object') return JSON.stringify(toJsonSafe(value));
    return scalarToText(value);
  };
}
