// The data-only transforms. Each definition object is turned into a closure once, at compile time.
import { selectValue, selectValues, toJsonSafe, type JsonValue, type ParsedPath } from '@hookline/payload';
import type { MappingInput } from './mapping-definition';
import { decimalToJs, multiplyDecimals, toDecimal, type Decimal } from './decimal';
import type { Transform } from './mapping-definition';
import { describeKind } from './normalize-identifier';
import { isPlainObject } from './object-utils';
import { fansOut, tryParsePath } from './paths';
import { scalarToText } from './coerce';

/** undefined = nothing at the path (distinct from JSON null). */
export type Slot = JsonValue | undefined;
export type TransformResult = { ok: true; value: Slot } | { ok: false; reason: string };
export type CompiledTransform = (value: Slot, input: MappingInput) => TransformResult;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'path'; source: string; path: ParsedPath; fanOut: boolean };

export interface TemplateProblem {
  code: 'TEMPLATE_SYNTAX' | 'PATH_SYNTAX';
  message: string;
}

/**
 * "{{first_name}} {{last_name}}": text with placeholders holding paths (whitespace inside
 * the braces is ignored). There is no escape for a literal "{{".
 */
export function parseTemplate(template: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open === -1) {
      parts.push({ kind: 'text', text: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) {
      problems.push({ code: 'TEMPLATE_SYNTAX', message: `'{{' at position ${open} is never closed with '}}'` });
      break;
    }
    const source = template.slice(open + 2, close).trim();
    if (source === '') {
      problems.push({ code: 'TEMPLATE_SYNTAX', message: `empty placeholder at position ${open}` });
    } else {
      const parsed = tryParsePath(source);
      if (parsed.ok) parts.push({ kind: 'path', source, path: parsed.path, fanOut: fansOut(parsed.path) });
      else problems.push({ code: 'PATH_SYNTAX', message: `placeholder {{${source}}}: ${parsed.message}` });
    }
    at = close + 2;
  }
  return { parts, problems };
}

/** Turns validated transform definitions into one closure that applies them in order. */
export function compileTransforms(definitions: readonly Transform[]): CompiledTransform {
  const steps = definitions.map(compileTransform);
  if (steps.length === 1) return steps[0]!;
  return (value, input) => {
    let current: Slot = value;
    for (const step of steps) {
      const r = step(current, input);
      if (!r.ok) return r;
      current = r.value;
    }
    return { ok: true, value: current };
  };
}

function compileTransform(definition: Transform): CompiledTransform {
  switch (definition.op) {
    case 'scale': {
      const factor = toDecimal(definition.factor);
      if (!factor) throw new Error(`scale factor ${String(definition.factor)} is not a finite number`);
      return elementwise('scale', (v) => scale(v, factor));
    }
    case 'trim':
      return elementwise('trim', (v) => textOp(v, (s) => s.trim()));
    case 'lowercase':
      return elementwise('lowercase', (v) => textOp(v, (s) => s.toLowerCase()));
    case 'uppercase':
      return elementwise('uppercase', (v) => textOp(v, (s) => s.toUpperCase()));
    case 'default': {
      const fallback = structuredClone(definition.value) as JsonValue;
      return (value) => ({ ok: true, value: value === undefined || value === null ? fallback : value });
    }
    case 'template': {
      const { parts, problems } = parseTemplate(definition.template);
      if (problems.length > 0) throw new Error(problems[0]!.message);
      return (_value, input) => ({ ok: true, value: renderTemplate(parts, input) });
    }
    default: {
      const unknown: never = definition;
      throw new Error(`unknown transform ${JSON.stringify(unknown)}`);
    }
  }
}

type ScalarStep = (value: JsonValue) => TransformResult;

/** Applies a scalar step to a value, or to each element when it is an array (null and nothing pass through). */
function elementwise(op: string, step: ScalarStep): CompiledTransform {
  const apply = (value: JsonValue): TransformResult => {
    if (value === null) return { ok: true, value };
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      for (const element of value) {
        const r = apply(element);
        if (!r.ok) return r;
        out.push(r.value as JsonValue);
      }
      return { ok: true, value: out };
    }
    if (isPlainObject(value)) return { ok: false, reason: `${op} cannot apply to an object` };
    return step(value);
  };
  return (value) => (value === undefined ? { ok: true, value } : apply(value));
}

function scale(value: JsonValue, factor: Decimal): TransformResult {
  if (typeof value === 'string' && value.trim() === '') return { ok: true, value: null };
  const d = typeof value === 'boolean' ? null : toDecimal(value);
  if (!d) return { ok: false, reason: `scale needs a number or a numeric string, got ${describeKind(value)}` };
  return { ok: true, value: decimalToJs(multiplyDecimals(d, factor)) };
}

function textOp(value: JsonValue, op: (s: string) => string): TransformResult {
  // Numbers and booleans have no whitespace or case: they pass unchanged.
  return { ok: true, value: typeof value === 'string' ? op(value) : value };
}

/**
 * Placeholders render as text (bigints as digits, objects as JSON; a fanned-out path joins its
 * values with ", "). When every placeholder is missing or null the result is null, so a
 * `default` (transform or variable) can step in instead of a string of separators.
 */
function renderTemplate(parts: readonly TemplatePart[], input: MappingInput): string | null {
  let out = '';
  let placeholders = 0;
  let found = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    placeholders++;
    const values = part.fanOut ? selectValues(input, part.path) : optional(selectValue(input, part.path));
    const texts = values.filter((v) => v !== null).map(renderValue);
    if (texts.length > 0) found++;
    out += texts.join(', ');
  }
  return placeholders > 0 && found === 0 ? null : out;
}

function optional(value: JsonValue | undefined): JsonValue[] {
  return value === undefined ? [] : [value];
}

function renderValue(value: JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(toJsonSafe(value));
  return scalarToText(value);
}
