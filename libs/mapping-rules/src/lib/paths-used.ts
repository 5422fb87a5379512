import type { ParsedPath } from '@hookline/payload';
import type { Condition, MappingDefinition, Transform } from './mapping-definition';
import { catalogKey, tryParsePath } from './paths';

const TEMPLATE_PLACEHOLDER = /\{\{\s*([^}]+?)\s*\}\}/g;

/**
 * The body paths a (valid) mapping reads, in catalog spelling (`[n]` read as `[]`, products'
 * relative paths joined to their array). Discovery uses them to flag a mapped field that
 * stops arriving. `variables: "all"` reads everything and names no path of its own.
 */
export function pathsUsed(definition: MappingDefinition): string[] {
  const out = new Set<string>();
  const add = (text: string | undefined, base?: ParsedPath) => {
    if (!text) return;
    const parsed = tryParsePath(text);
    if (!parsed.ok || parsed.path.root !== 'body') return;
    out.add(catalogKey(base ? [...base.segments, ...parsed.path.segments] : parsed.path.segments));
  };
  const addTransforms = (t: Transform | Transform[] | undefined) => {
    for (const one of Array.isArray(t) ? t : t ? [t] : []) {
      if (one.op === 'template') for (const m of one.template.matchAll(TEMPLATE_PLACEHOLDER)) add(m[1]);
    }
  };
  const addCondition = (c: Condition | undefined) => {
    if (!c) return;
    if ('all' in c) c.all.forEach(addCondition);
    else if ('any' in c) c.any.forEach(addCondition);
    else add(c.path);
  };

  add(definition.uniqueId.path);
  definition.uniqueId.fallbacks?.forEach((f) => add(f));
  if (Array.isArray(definition.variables)) {
    for (const v of definition.variables) {
      add(v.path);
      addTransforms(v.transform);
    }
  }
  const sets = definition.variableSets;
  for (const fields of [sets?.order, sets?.customer, sets?.shopify]) for (const path of Object.values(fields ?? {})) add(path);
  if (sets?.products) {
    const from = tryParsePath(sets.products.from);
    if (from.ok && from.path.root === 'body') {
      out.add(catalogKey(from.path.segments));
      for (const path of Object.values(sets.products.fields)) add(path, from.path);
    }
  }
  addCondition(definition.filter);
  add(definition.dedupeKey?.path);
  return [...out].sort();
}
