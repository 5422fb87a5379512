// Path helpers on top of @hookline/payload's path syntax.
import { formatPath, parsePath, type ParsedPath, type PathSegment } from '@hookline/payload';

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
