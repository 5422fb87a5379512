// Reading the canonical paths the variable picker returns (libs/payload's formatPath): bare
// keys joined by dots, `[]` for every element, `[n]` for one, `["odd key"]` for any other key.
// The console only splits and rejoins them; the API stays the judge of what a path means.

export type PathSegment = { kind: 'key'; key: string; text: string } | { kind: 'each'; text: string } | { kind: 'index'; index: number; text: string };

const BARE = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*/u;

/** Splits a canonical body path into segments, each with the text it adds to the path. */
export function splitPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path;
  while (rest.length > 0) {
    if (rest.startsWith('[]')) {
      segments.push({ kind: 'each', text: '[]' });
      rest = rest.slice(2);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      segments.push({ kind: 'index', index: Number(index[1]), text: index[0] });
      rest = rest.slice(index[0].length);
      continue;
    }
    if (rest.startsWith('["')) {
      const end = quotedEnd(rest);
      const text = rest.slice(0, end);
      segments.push({ kind: 'key', key: JSON.parse(text.slice(1, -1)) as string, text });
      rest = rest.slice(end);
      continue;
    }
    const dotted = rest.startsWith('.') && segments.length > 0;
    const bare = BARE.exec(dotted ? rest.slice(1) : rest);
    if (!bare) throw new Error(`not a canonical path: ${path}`);
    const text = (dotted ? '.' : '') + bare[0];
    segments.push({ kind: 'key', key: bare[0], text });
    rest = rest.slice(text.length);
  }
  return segments;
}

/** Where a `["…"]` segment at the start of `text` ends (the index after its `]`). */
function quotedEnd(text: string): number {
  for (let i = 2; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' && text[i + 1] === ']') return i + 2;
  }
  throw new Error(`unterminated key in ${text}`);
}

export function joinPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (i === 0 && s.kind === 'key' && s.text.startsWith('.') ? s.text.slice(1) : s.text)).join('');
}

/** The parent's path ('' for a top-level field). */
export function parentPath(path: string): string {
  return joinPath(splitPath(path).slice(0, -1));
}

/** What a tree node is called: its key, or "each item" for `[]`. */
export function lastLabel(path: string): string {
  const last = splitPath(path).at(-1);
  if (!last) return '(body)';
  if (last.kind === 'key') return last.key;
  if (last.kind === 'index') return `item ${last.index}`;
  return 'each item';
}

export function fansOut(path: string): boolean {
  return splitPath(path).some((s) => s.kind === 'each');
}

/**
 * A path that selects one value: each `[]` becomes `[0]`, the first element. Unique ids,
 * variables and the order, customer and shopify sets take one value; products take many.
 */
export function firstElementPath(path: string): string {
  return joinPath(splitPath(path).map((s) => (s.kind === 'each' ? { kind: 'index', index: 0, text: '[0]' } : s)));
}

/**
 * The path of `path` relative to an element of `from` (an array path ending in `[]`), or
 * null when `path` is not inside it: `line_items[].price` under `line_items[]` is `price`.
 */
export function relativeTo(from: string, path: string): string | null {
  const base = splitPath(from);
  const full = splitPath(path);
  if (full.length <= base.length || !base.every((s, i) => s.text === full[i].text)) return null;
  return joinPath(full.slice(base.length));
}

/** A variable name from a path's last key: `customer.first_name` → `firstName`. */
export function suggestName(path: string): string {
  const keys = splitPath(path).filter((s): s is Extract<PathSegment, { kind: 'key' }> => s.kind === 'key');
  const key = keys.at(-1)?.key ?? 'value';
  const words = key.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  const name = camel || 'value';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
