import { combineStatements } from './statement';

describe('combineStatements', () => {
  it('renumbers each statement’s parameters after the ones before it and nests all but the last as CTEs', () => {
    const combined = combineStatements([
      { sql: 'UPDATE a SET x = $2 WHERE id = $1', params: ['a1', 'x'] },
      { sql: 'DELETE FROM b WHERE id = $1', params: ['b1'] },
      { sql: 'INSERT INTO c VALUES ($1, $2, $1)', params: ['c1', 'c2'] },
    ]);
    expect(combined.sql).toBe('WITH s0 AS (UPDATE a SET x = $2 WHERE id = $1),\ns1 AS (DELETE FROM b WHERE id = $3)\nINSERT INTO c VALUES ($4, $5, $4)');
    expect(combined.params).toEqual(['a1', 'x', 'b1', 'c1', 'c2']);
  });

  it('gives a single statement back as it is, $10 and above included', () => {
    const params = Array.from({ length: 11 }, (_, i) => i);
    expect(combineStatements([{ sql: 'SELECT $11, $1', params }])).toEqual({ sql: 'SELECT $11, $1', params });
  });

  it('refuses a parameter the statement does not have, and no statement at all', () => {
    expect(() => combineStatements([{ sql: 'SELECT $2', params: [1] }])).toThrow('$2 is not a parameter');
    expect(() => combineStatements([])).toThrow('no statement');
  });
});
