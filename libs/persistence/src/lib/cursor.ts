/**
 * Opaque cursors for keyset paging: the sort key of the last item of a page, encoded so
 * clients treat it as a token, not as something to build by hand.
 */
export interface CursorKey {
  at: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');
}

/** Returns null for a cursor that is not one of ours (the caller answers 400). */
export function decodeCursor(cursor: string): CursorKey | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
    return null;
  } catch {
    return null;
  }
}
