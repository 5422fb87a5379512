// The README is the format's documentation: keep its example valid and its catalogue true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMapping } from './validate-mapping';
import { VARIABLE_SETS } from './variable-sets';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it('shows an example definition that validates', () => {
    const section = README.slice(README.indexOf('## The definition'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    expect(validateMapping(JSON.parse(json))).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it.each(Object.keys(VARIABLE_SETS) as Array<keyof typeof VARIABLE_SETS>)('documents exactly the fields of the %s set, with their types', (set) => {
    const start = README.indexOf(`#### \`${set}\``);
    expect(start).toBeGreaterThan(0);
    const end = README.indexOf('\n#', start + 1);
    const rows = [...README.slice(start, end).matchAll(/^\| `(\w+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(VARIABLE_SETS[set].fields).map(([name, field]) => [name, field.type]));
  });
});
