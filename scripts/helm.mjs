#!/usr/bin/env node
// Helm without a helm binary (helm-java from Maven Central; see scripts/lib/helm-local.mjs).
//
//   node scripts/helm.mjs fetch                      resolve the jars into .helm/lib
//   node scripts/helm.mjs version
//   node scripts/helm.mjs lint <chart> [-f values.yaml]...                     (--strict)
//   node scripts/helm.mjs template <chart> [--name N] [--namespace NS] [-f values.yaml]...
//                                  [--set key=value]... [--kube-version V]    manifests on stdout
//   node scripts/helm.mjs manifests [--check]        write k8s/manifests (or only check it is up to date)
//   node scripts/helm.mjs json                       {jobs, objects} on stdin → results on stdout (tests)

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFESTS_DIR, fetchHelm, renderManifests, runHelm, staleManifests } from './lib/helm-local.mjs';

const USAGE = 'usage: node scripts/helm.mjs fetch | version | lint <chart> [-f file]... | '
  + 'template <chart> [--name N] [--namespace NS] [-f file]... [--set k=v]... [--kube-version V] | manifests [--check] | json';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      values: { type: 'string', short: 'f', multiple: true },
      set: { type: 'string', multiple: true },
      name: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'kube-version': { type: 'string' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, chart] = positionals;
  if (values.help || !command) return usage(values.help ? 0 : 2);

  switch (command) {
    case 'fetch':
      await fetchHelm();
      return 0;
    case 'version':
      return print(await runHelm([{ command: 'version' }]));
    case 'lint':
      if (!chart) return usage(2);
      return print(await runHelm([{ command: 'lint', chart, values: values.values }]));
    case 'template': {
      if (!chart) return usage(2);
      const set = Object.fromEntries((values.set ?? []).map((kv) => {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new Error(`--set needs key=value, got ${kv}`);
        return [kv.slice(0, eq), kv.slice(eq + 1)];
      }));
      return print(await runHelm([{ command: 'template', chart, values: values.values, set, name: values.name, namespace: values.namespace, kubeVersion: values['kube-version'] }]));
    }
    case 'manifests': {
      if (values.check) {
        const stale = await staleManifests();
        if (stale.length === 0) {
          console.error('[helm] k8s/manifests is up to date');
          return 0;
        }
        console.error(`[helm] out of date: ${stale.join(', ')}; run npm run k8s:manifests`);
        return 1;
      }
      fs.mkdirSync(MANIFESTS_DIR, { recursive: true });
      for (const [file, text] of Object.entries(await renderManifests())) {
        fs.writeFileSync(path.join(MANIFESTS_DIR, file), text);
        console.error(`[helm] wrote k8s/manifests/${file}`);
      }
      return 0;
    }
    case 'json': {
      const { jobs, objects } = JSON.parse(fs.readFileSync(0, 'utf8'));
      process.stdout.write(JSON.stringify(await runHelm(jobs, { objects })));
      return 0;
    }
    default:
      return usage(2);
  }
}

function print([result]) {
  (result.ok ? process.stdout : process.stderr).write(result.output);
  return result.ok ? 0 : 1;
}

function usage(code) {
  (code === 0 ? process.stdout : process.stderr).write(`${USAGE}\n`);
  return code;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  console.error(`[helm] ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
