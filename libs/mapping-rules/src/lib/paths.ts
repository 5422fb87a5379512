// Path helpers on top of @hookline/payload's path syntax.
import { formatPath, isJsonObject, parsePath, selectValue, type JsonValue, type ParsedPath, type PathInput, type PathSegment } from '@hookline/payload';

export type ParseOutcome = { ok: true; path: ParsedPath } | { ok: false; message: string; position: number };

export function tryParsePath(text: string): ParseOutcome {
  try {
    return { ok: true, path: parsePath(text) };
  } catch (error) {
    const position = (error as { position?: unknown }).position;
    return {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      position: typeof position === 'number' ? position : 0,
    };
  }
}

export function fansOut(path: ParsedPath): boolean {
  return path.segments.some((s) => s.kind === 'each');
}

/**
 * The catalog spelling of a body path: canonical, with every `[n]` read as `[]`
 * (the catalog describes all elements of an array with one path).
 */
export function catalogKey(segments: readonly PathSegment[]): string {
  return formatPath(segments.map((s): PathSegment => (s.kind === 'index' ? { kind: 'each' } : s)));
}

/** Every proper ancestor of a path in catalog spelling ("a[].b.c" → "a", "a[]", "a[].b"). */
export function catalogAncestors(segments: readonly PathSegment[]): string[] {
  const out: string[] = [];
  for (let n = 1; n < segments.length; n++) out.push(catalogKey(segments.slice(0, n)));
  return out;
}

/**
 * selectValue(input, path) as a function of the input, prepared once: a body path without
 * `[]` becomes a plain loop over its segments (no result array, no recursion). Same rules:
 * keys match own properties of objects only, `[n]` only applies to arrays.
 */
export function compileSelectValue(path: ParsedPath): (input: PathInput) => JsonValue | undefined {
  if (path.root !== 'body' || fansOut(path)) return (input) => selectValue(input, path);
  const segments = path.segments.map((s): PathSegment => ({ ...s }));
  const n = segments.length;
  const [first, second] = segments;
  if (n === 1 && first!.kind === 'key') {
    const key = first!.key;
    return (input) => {
      const body = input.body;
      return isJsonObject(body) && hasOwn.call(body, key) ? body[key] : undefined;
    };
  }
  if (n === 2 && first!.kind === 'key' && second!.kind === 'key') {
    const [key1, key2] = [first!.key, second!.key];
    return (input) => {
      const body = input.body;
      const outer = isJsonObject(body) && hasOwn.call(body, key1) ? body[key1] : undefined;
      return isJsonObject(outer) && hasOwn.call(outer, key2) ? outer[key2] : undefined;
    };
  }
  return (input) => {
    let value: JsonValue | undefined = input.body;
    for (let i = 0; i < n && value !== undefined; i++) {
      const segment = segments[i]!;
      if (segment.kind === 'key') {
        value = isJsonObject(value) && hasOwn.call(value, segment.key) ? value[segment.key] : undefined;
      } else if (segment.kind === 'index') {
        value = Array.isArray(value) && segment.index < value.length ? value[segment.index] : undefined;
      }
    }
    return value;
  };
}

const hasOwn = Object.prototype.hasOwnProperty;
