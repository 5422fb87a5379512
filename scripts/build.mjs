#!/usr/bin/env node
// Compiles every app and lib with tsc into dist/, then makes `@hookline/<lib>` resolvable at
// run time without a loader: dist/node_modules/@hookline/<lib> points at the compiled lib.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

for (const lib of readdirSync(join(root, 'libs'))) {
  if (!existsSync(join(root, 'dist/libs', lib, 'src/index.js'))) continue;
  const dir = join(root, 'dist/node_modules/@hookline', lib);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), `module.exports = require('../../../libs/${lib}/src/index.js');\n`);
}
