/** A SQL statement with its parameters, numbered from $1. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Several data-modifying statements as one: every statement but the last becomes a CTE of
 * the last (`WITH s0 AS (...), s1 AS (...) <last>`), each statement's parameters renumbered
 * after the ones before it. Postgres runs each CTE once and to completion whether or not
 * the last statement reads it, all on one snapshot: one round trip, atomic without a
 * transaction. The statements must not modify the same rows (they would not see each
 * other's changes), and their text must not hold a `$` of its own (a dollar-quoted string).
 */
export function combineStatements(statements: readonly Statement[]): Statement {
  if (statements.length === 0) throw new Error('no statement to combine');
  const params: unknown[] = [];
  const parts = statements.map((s) => {
    const offset = params.length;
    params.push(...s.params);
    return s.sql.replace(/\$(\d+)/g, (_, n: string) => {
      const index = Number(n);
      if (index < 1 || index > s.params.length) throw new Error(`$${n} is not a parameter of: ${s.sql}`);
      return `$${index + offset}`;
    });
  });
  const last = parts.pop()!;
  return { sql: parts.length === 0 ? last : `WITH ${parts.map((sql, i) => `s${i} AS (${sql})`).join(',\n')}\n${last}`, params };
}
