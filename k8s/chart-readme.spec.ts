// The chart's README documents every value of values.yaml, and nothing that is not one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const CHART = join(__dirname, 'charts', 'hookline');
const SERVICES = ['ingressGateway', 'schemaDiscovery', 'mapping', 'journeyTrigger'];
// Objects documented as a whole (free-form Kubernetes fields or maps), not key by key.
const WHOLE = new Set(['resources', 'podSecurityContext', 'containerSecurityContext', 'annotations', 'labels', 'podAnnotations', 'podLabels', 'nodeSelector', 'affinity', 'commonLabels', 'commonAnnotations']);

/** values.yaml's keys as README rows name them: `<service>.x` for the four service blocks. */
function valuePaths(): Set<string> {
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && !WHOLE.has(key) && Object.keys(value).length > 0) walk(value as Record<string, unknown>, path);
      else out.add(path.replace(new RegExp(`^(${SERVICES.join('|')})\\.`), '<service>.'));
    }
  };
  walk(values, '');
  return out;
}

/** The values the README's tables name (first column). */
function documentedPaths(): Set<string> {
  const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
  return new Set([...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
}

describe('k8s/charts/hookline/README.md', () => {
  it('documents every value', () => {
    const documented = documentedPaths();
    expect([...valuePaths()].filter((p) => !documented.has(p))).toEqual([]);
  });

  it('documents no value that does not exist', () => {
    const values = valuePaths();
    expect([...documentedPaths()].filter((p) => !values.has(p))).toEqual([]);
  });

  it('has a block for each service with the same keys', () => {
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    const keys = (s: string) => Object.keys(values[s]).filter((k) => k !== 'shutdownGraceMs').sort();
    for (const service of SERVICES) expect(keys(service)).toEqual(keys('ingressGateway'));
  });
});
