// Validates rendered Kubernetes objects against the API's schemas (the kubernetes-models
// packages: the OpenAPI schemas of Kubernetes and of the Prometheus Operator's CRDs, compiled
// with ajv), strictly: besides types, enums and required fields, a field the schema does not
// know is an error, as with `kubectl apply --validate=strict`. kubernetes-models alone lets
// unknown fields through, and a misspelt or mis-indented field in a template is the bug it
// would miss, so each object is validated through a Proxy that records which fields the
// validator reads: a field it never reads is one the schema does not have. (Objects that the
// validator enumerates, such as labels or resource limits, are open maps and exempt.)
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface Validatable {
  prototype: { validate(this: unknown): void };
}

const MODELS: Record<string, Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

interface Visit {
  path: string;
  value: Record<string, unknown>;
  read: Set<string>;
  enumerated: boolean;
}

/** A deep copy of `value` whose objects record, in `visits`, which fields are read. */
function tracked(value: unknown, path: string, visits: Visit[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((item, i) => tracked(item, `${path}[${i}]`, visits));
    return new Proxy(items, {});
  }
  const source = value as Record<string, unknown>;
  const visit: Visit = { path, value: source, read: new Set(), enumerated: false };
  visits.push(visit);
  const copy = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, tracked(v, path ? `${path}.${k}` : k, visits)]));
  return new Proxy(copy, {
    get(target, key, receiver) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      visit.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** Every schema problem of `object`, as readable lines (empty: valid). */
export function schemaProblems(object: KubeObject): string[] {
  const id = `${object.kind}/${object.metadata?.name ?? '?'}`;
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`${id}: no schema for ${object.apiVersion} ${object.kind} (add it to k8s/testing/kube-schemas.ts)`];
  const visits: Visit[] = [];
  const proxy = tracked(object, '', visits);
  try {
    model.prototype.validate.call(proxy);
  } catch (error) {
    return [`${id}: ${error instanceof Error ? error.message : String(error)}`];
  }
  const unknown = visits.flatMap((v) => (v.enumerated ? [] : Object.keys(v.value).filter((k) => !v.read.has(k)).map((k) => (v.path ? `${v.path}.${k}` : k))));
  // Inside an unknown field nothing is read either: report the outermost one only.
  const outermost = unknown.filter((field) => !unknown.some((other) => field.startsWith(`${other}.`) || field.startsWith(`${other}[`)));
  return outermost.map((field) => `${id}: unknown field ${field}`);
}
