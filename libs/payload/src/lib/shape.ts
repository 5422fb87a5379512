import { isJsonObject, jsonTypeOf, type JsonValue } from './json';

/**
 * A fingerprint of a value's shape: the set of its paths (array elements merged under `[]`,
 * as in the schema profile) with the JSON type found at each, in the order first met. Two
 * bodies with the same fields and types share it whatever their values and however many
 * items their arrays hold; a field added, dropped or retyped changes it. Used to decide
 * which live events are worth learning from (a new shape always is).
 */
export function shapeSignature(value: JsonValue): string {
  const seen = new Set<string>();
  visit(value, '$', seen);
  // FNV-1a over the entries: short, stable across processes, cheap to compare and keep.
  let hash = 0x811c9dc5;
  for (const entry of seen) {
    for (let i = 0; i < entry.length; i++) {
      hash ^= entry.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x1f;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${seen.size}:${(hash >>> 0).toString(36)}`;
}

function visit(value: JsonValue, path: string, seen: Set<string>): void {
  seen.add(`${path}:${jsonTypeOf(value)}`);
  if (Array.isArray(value)) {
    const items = `${path}[]`;
    for (const item of value) visit(item, items, seen);
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) visit(value[key]!, `${path}.${key}`, seen);
  }
}
