// Runs Helm jobs through scripts/helm.mjs (helm-java in one JVM, see scripts/lib/helm-local.mjs)
// and parses what they render.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './kube-schemas';

export const REPO_ROOT = join(__dirname, '..', '..');
export const CHART = join(REPO_ROOT, 'k8s', 'charts', 'hookline');

export type HelmJob =
  | { command: 'lint'; chart: string; values?: string[] }
  | { command: 'template'; chart: string; name?: string; namespace?: string; values?: string[]; set?: Record<string, string | number | boolean>; kubeVersion?: string };

export interface HelmResult {
  ok: boolean;
  output: string;
}

/** Run a node script of the repo to completion: its exit code and output. */
export function runNode(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Run the jobs in one JVM; `objects` are what the stand-in cluster holds for `lookup`. */
export async function helm(jobs: HelmJob[], objects: KubeObject[] = []): Promise<HelmResult[]> {
  const { code, stdout, stderr } = await runNode([join(REPO_ROOT, 'scripts', 'helm.mjs'), 'json'], JSON.stringify({ jobs, objects }));
  if (code !== 0) throw new Error(`scripts/helm.mjs json exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout) as HelmResult[];
}

/** The objects of a rendered manifest stream. */
export function objectsOf(rendered: string): KubeObject[] {
  return parseAllDocuments(rendered)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}
