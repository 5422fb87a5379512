#!/usr/bin/env node
// Compiles every app and lib with tsc into dist/, then makes `@hookline/<lib>` resolvable at
// run time without a loader: dist/node_modules/@hookline/<lib> points at the compiled lib.
// Then builds the web console (apps/console) with Vite into dist/apps/console, unless its
// inputs are the same as for the build already there.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
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

await buildConsole();

/**
 * The console: a type check (Vite only strips types) and the Vite build, side by side. Skipped
 * when nothing it is built from changed: its sources, the libraries whose types it imports,
 * the lockfile and the shared TypeScript settings, hashed by content.
 */
async function buildConsole() {
  const out = join(root, 'dist/apps/console');
  const stamp = join(out, '.inputs-sha256');
  const hash = inputsHash(['apps/console', 'libs/contracts/src', 'libs/mapping-rules/src', 'libs/payload/src', 'package-lock.json', 'tsconfig.base.json', 'scripts/build.mjs']);
  if (existsSync(stamp) && existsSync(join(out, 'index.html')) && readFileSync(stamp, 'utf8') === hash) {
    console.error('[hookline] console: unchanged, not rebuilt');
    return;
  }
  const started = Date.now();
  const [checked, built] = await Promise.all([
    run([tsc, '-p', join(root, 'apps/console/tsconfig.json')]),
    run([join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(root, 'apps/console/vite.config.mts'), '--logLevel', 'warn']),
  ]);
  if (checked !== 0 || built !== 0) {
    console.error(`[hookline] console: ${checked !== 0 ? 'type check' : 'vite build'} failed`);
    process.exit(1);
  }
  writeFileSync(stamp, hash);
  console.error(`[hookline] console: built into dist/apps/console in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function inputsHash(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules') continue;
      visit(join(path, entry.name));
    }
  };
  for (const path of paths) visit(join(root, path));
  return hash.digest('hex');
}
