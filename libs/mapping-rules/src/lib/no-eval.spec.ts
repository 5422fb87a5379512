// The mapping format is data: no user text is ever evaluated. Keep the library free of the
// tools that could do it, so a later change cannot slip one in unnoticed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('library source', () => {
  const files = sourceFiles(SRC);

  it('is found (the check below is not vacuous)', () => {
    const names = files.map((f) => relative(SRC, f));
    expect(names).toEqual(expect.arrayContaining(['index.ts', 'lib/compile-mapping.ts', 'lib/transforms.ts', 'lib/filter.ts']));
  });

  it.each([
    ['eval(', /\beval\s*\(/],
    ['new Function', /\bnew\s+Function\b/],
    ['Function(', /(?<![\w.])Function\s*\(/],
    ['vm module', /from\s+['"](node:)?vm['"]|require\(\s*['"](node:)?vm['"]\s*\)/],
    ['setTimeout with a string', /setTimeout\s*\(\s*['"`]/],
  ])('never uses %s', (_name, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
