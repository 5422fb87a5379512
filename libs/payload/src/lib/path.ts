import { isJsonObject, type JsonValue } from './json';

/**
 * Paths into a payload.
 *
 *   customer.email            keys joined by dots
 *   line_items[].price        [] = every element of an array (fans out)
 *   line_items[0].title       [n] = one element
 *   ["odd.key"].x             a quoted key (JSON string syntax) for keys with dots, spaces,
 *                             brackets, quotes, a leading $, or anything unusual
 *   [0].id, [].id             a body that is a top-level array
 *   $headers.x-shopify-topic  one request header (looked up case-insensitively)
 *   $query.foo                one query-string parameter
 *
 * A bare key is any run of characters other than . [ ] " ' \ whitespace and control
 * characters; in the first segment it must not start with `$` (only `$headers` and `$query`
 * do). The canonical text (formatPath) writes a key bare only when it is letters, digits,
 * `_` and `-` not starting with `-`; everything else is quoted. parsePath(formatPath(s))
 * always gives s back; formatPath(parsePath(p)) is the canonical spelling of p.
 */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'each' };
export type PathRoot = 'body' | 'headers' | 'query';
export interface ParsedPath {
  root: PathRoot;
  segments: PathSegment[];
}

export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';

  constructor(
    message: string,
    /** 0-based offset in `path` where the problem was found. */
    readonly position: number,
    readonly path: string,
  ) {
    super(`${message} at position ${position} in path '${path}'`);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const CANONICAL_BARE = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;

function isBareChar(code: number): boolean {
  // . [ ] " ' \ and whitespace / control characters end a bare key
  if (code <= 0x20 || code === 0x7f) return false;
  if (code === 0x2e || code === 0x5b || code === 0x5d || code === 0x22 || code === 0x27 || code === 0x5c) return false;
  if (code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)) return false;
  if (code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff) return false;
  return true;
}

export function parsePath(path: string): ParsedPath {
  if (typeof path !== 'string') throw new PathSyntaxError('a path must be a string', 0, String(path));
  if (path.length === 0) throw new PathSyntaxError('empty path', 0, path);
  let i = 0;
  let root: PathRoot = 'body';
  if (path.charCodeAt(0) === 0x24 /* $ */) {
    const match = /^\$(headers|query)(?=[.[]|$)/.exec(path);
    if (!match) {
      throw new PathSyntaxError(`unknown root '${path.slice(0, bareEnd(path, 1))}' (use $headers or $query; quote a body key starting with $ as ["$key"])`, 0, path);
    }
    root = match[1] as PathRoot;
    i = match[0].length;
    if (i >= path.length) throw new PathSyntaxError(`$${root} needs a name, e.g. $${root}.name`, i, path);
  }

  const segments: PathSegment[] = [];
  const starts: number[] = [];
  let first = root === 'body';
  while (i < path.length) {
    const c = path.charCodeAt(i);
    starts.push(i);
    if (c === 0x5b /* [ */) {
      const [segment, next] = parseBracket(path, i);
      segments.push(segment);
      i = next;
    } else {
      if (!first) {
        if (c !== 0x2e /* . */) throw new PathSyntaxError(`expected '.' or '['`, i, path);
        i++;
      }
      const end = bareEnd(path, i);
      if (end === i) {
        const what = i >= path.length ? 'end of path' : `'${path[i]}'`;
        throw new PathSyntaxError(`expected a key but found ${what}`, i, path);
      }
      segments.push({ kind: 'key', key: path.slice(i, end) });
      i = end;
    }
    first = false;
  }

  if (root !== 'body') {
    if (segments[0]!.kind !== 'key') throw new PathSyntaxError(`$${root} takes a name, not an index`, starts[0]!, path);
    if (segments.length > 1) throw new PathSyntaxError(`$${root} takes exactly one name`, starts[1]!, path);
  }
  return { root, segments };
}

function bareEnd(path: string, start: number): number {
  let end = start;
  while (end < path.length && isBareChar(path.charCodeAt(end))) end++;
  return end;
}

function parseBracket(path: string, open: number): [PathSegment, number] {
  const i = open + 1;
  const c = path.charCodeAt(i);
  if (c === 0x5d /* ] */) return [{ kind: 'each' }, i + 1];
  if (c >= 0x30 && c <= 0x39) {
    let end = i;
    while (end < path.length && path.charCodeAt(end) >= 0x30 && path.charCodeAt(end) <= 0x39) end++;
    const index = Number(path.slice(i, end));
    if (!Number.isSafeInteger(index)) throw new PathSyntaxError('index too large', i, path);
    if (path.charCodeAt(end) !== 0x5d) throw new PathSyntaxError(`expected ']' after the index`, end, path);
    return [{ kind: 'index', index }, end + 1];
  }
  if (c === 0x22 /* " */) {
    let end = i + 1;
    while (end < path.length) {
      const d = path.charCodeAt(end);
      if (d === 0x5c) end += 2;
      else if (d === 0x22) break;
      else end++;
    }
    if (end >= path.length) throw new PathSyntaxError('unterminated quoted key', i, path);
    let key: string;
    try {
      key = JSON.parse(path.slice(i, end + 1)) as string;
    } catch {
      throw new PathSyntaxError('invalid quoted key (use JSON string syntax)', i, path);
    }
    if (path.charCodeAt(end + 1) !== 0x5d) throw new PathSyntaxError(`expected ']' after the quoted key`, end + 1, path);
    return [{ kind: 'key', key }, end + 2];
  }
  if (i >= path.length) throw new PathSyntaxError(`unterminated '['`, open, path);
  throw new PathSyntaxError(`expected ']', an index or a quoted key after '['`, i, path);
}

/** Canonical text of a body path (or, with `root`, of a header/query path). `[]` → ''. */
export function formatPath(segments: readonly PathSegment[], root: PathRoot = 'body'): string {
  let out = root === 'body' ? '' : `$${root}`;
  segments.forEach((segment, position) => {
    out += formatSegment(segment, position === 0 && root === 'body');
  });
  return out;
}

/**
 * The text one segment adds to a canonical path; `first` = it starts a body path (a bare
 * key then has no leading dot). formatPath(s.concat(x)) === formatPath(s) + formatSegment(x, s.length === 0).
 */
export function formatSegment(segment: PathSegment, first: boolean): string {
  switch (segment.kind) {
    case 'each':
      return '[]';
    case 'index':
      return `[${segment.index}]`;
    case 'key':
      if (CANONICAL_BARE.test(segment.key)) return first ? segment.key : `.${segment.key}`;
      return `[${JSON.stringify(segment.key)}]`;
  }
}

/** Canonical text of a parsed path, including its root. */
export function formatParsedPath(path: ParsedPath): string {
  return formatPath(path.segments, path.root);
}

export interface PathInput {
  body: JsonValue;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/**
 * Every value the path reaches, in document order; `[]` fans out over array elements.
 * Keys only match own properties of objects (never arrays, never inherited members);
 * `[n]` and `[]` only apply to arrays. Nothing reached → [].
 */
export function selectValues(input: PathInput, path: string | ParsedPath): JsonValue[] {
  const out: JsonValue[] = [];
  select(input, path, out, Number.POSITIVE_INFINITY);
  return out;
}

/** The first value the path reaches, or undefined when it reaches none. */
export function selectValue(input: PathInput, path: string | ParsedPath): JsonValue | undefined {
  const out: JsonValue[] = [];
  select(input, path, out, 1);
  return out[0];
}

function select(input: PathInput, path: string | ParsedPath, out: JsonValue[], limit: number): void {
  const parsed = typeof path === 'string' ? parsePath(path) : path;
  const { segments } = parsed;
  if (parsed.root !== 'body') {
    const bag = parsed.root === 'headers' ? input.headers : input.query;
    const first = segments[0];
    if (!bag || !first || first.kind !== 'key') return;
    const value = parsed.root === 'headers' ? headerValue(bag, first.key) : ownValue(bag, first.key);
    if (value !== undefined) descend(value as JsonValue, segments, 1, out, limit);
    return;
  }
  descend(input.body, segments, 0, out, limit);
}

function descend(value: JsonValue, segments: readonly PathSegment[], at: number, out: JsonValue[], limit: number): void {
  if (out.length >= limit || value === undefined) return;
  if (at === segments.length) {
    out.push(value);
    return;
  }
  const segment = segments[at]!;
  switch (segment.kind) {
    case 'key': {
      if (!isJsonObject(value)) return;
      const child = ownValue(value, segment.key);
      if (child !== undefined) descend(child, segments, at + 1, out, limit);
      return;
    }
    case 'index':
      if (Array.isArray(value) && segment.index < value.length) descend(value[segment.index]!, segments, at + 1, out, limit);
      return;
    case 'each':
      if (!Array.isArray(value)) return;
      for (const element of value) {
        if (out.length >= limit) return;
        descend(element, segments, at + 1, out, limit);
      }
      return;
  }
}

function ownValue<T>(bag: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(bag, key) ? bag[key] : undefined;
}

function headerValue<T>(headers: Record<string, T>, name: string): T | undefined {
  const exact = ownValue(headers, name);
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headers[key];
  }
  return undefined;
}
