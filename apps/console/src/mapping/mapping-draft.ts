// The mapping as the console edits it, and the definition it saves (libs/mapping-rules'
// MappingDefinition). The API validates; the console only leaves out what is empty and keeps
// every problem's JSON pointer pointing at the field that produced it.
import type { PickerVariable, ProblemDetail, UniqueIdType } from '@hookline/contracts';
import type { MappingDefinition, VariableDefinition, VariableSetsDefinition, VariableType } from '@hookline/mapping-rules';
import { typeForRoles } from './unique-id-candidates';

export const VARIABLE_TYPES = ['string', 'number', 'integer', 'boolean', 'datetime', 'email', 'phone', 'url', 'json'] as const satisfies readonly VariableType[];

/** The sets whose fields each take one path (products takes an array and paths inside it). */
export type FlatSetName = 'order' | 'customer' | 'shopify';
export const FLAT_SETS: readonly FlatSetName[] = ['order', 'customer', 'shopify'];

export interface VariableDraft {
  path: string;
  name: string;
  type: VariableType | '';
  /** Anything else the saved variable had (default, transform, defaultCountry): kept as it was. */
  rest: Omit<VariableDefinition, 'name' | 'path' | 'type'>;
}

export interface MappingDraft {
  uniqueId: { type: UniqueIdType | ''; path: string; fallbacks: string[]; defaultCountry: string };
  allVariables: boolean;
  variables: VariableDraft[];
  sets: Record<FlatSetName, Record<string, string>> & { products: { from: string; fields: Record<string, string> } };
  /** Parts of a saved mapping the console does not edit (filter, dedupe key): saved as they were. */
  kept: Pick<MappingDefinition, 'filter' | 'dedupeKey'>;
}

export function emptyDraft(): MappingDraft {
  return {
    uniqueId: { type: '', path: '', fallbacks: [], defaultCountry: '' },
    allVariables: false,
    variables: [],
    sets: { order: {}, customer: {}, shopify: {}, products: { from: '', fields: {} } },
    kept: {},
  };
}

function nonEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, path]) => path.trim() !== '').map(([field, path]) => [field, path.trim()]));
}

/**
 * The definition to save or preview. Empty fields are left out, so the API names what is
 * missing (`/uniqueId/path: is required`); variables keep their order, so `/variables/2/name`
 * is the third row.
 */
export function toDefinition(draft: MappingDraft): MappingDefinition {
  const uniqueId: Record<string, unknown> = {};
  if (draft.uniqueId.type !== '') uniqueId.type = draft.uniqueId.type;
  if (draft.uniqueId.path.trim() !== '') uniqueId.path = draft.uniqueId.path.trim();
  const fallbacks = draft.uniqueId.fallbacks.map((f) => f.trim()).filter(Boolean);
  if (fallbacks.length > 0) uniqueId.fallbacks = fallbacks;
  if (draft.uniqueId.defaultCountry.trim() !== '') uniqueId.defaultCountry = draft.uniqueId.defaultCountry.trim().toUpperCase();

  const definition: Record<string, unknown> = { uniqueId };
  if (draft.allVariables) definition.variables = 'all';
  else if (draft.variables.length > 0) {
    definition.variables = draft.variables.map((v) => ({ ...v.rest, name: v.name.trim(), path: v.path, ...(v.type ? { type: v.type } : {}) }));
  }
  const sets: VariableSetsDefinition = {};
  for (const name of FLAT_SETS) {
    const fields = nonEmpty(draft.sets[name]);
    if (Object.keys(fields).length > 0) sets[name] = fields;
  }
  const productFields = nonEmpty(draft.sets.products.fields);
  if (draft.sets.products.from.trim() !== '' || Object.keys(productFields).length > 0) {
    sets.products = { from: draft.sets.products.from.trim(), fields: productFields };
  }
  if (Object.keys(sets).length > 0) definition.variableSets = sets;
  if (draft.kept.filter !== undefined) definition.filter = draft.kept.filter;
  if (draft.kept.dedupeKey !== undefined) definition.dedupeKey = draft.kept.dedupeKey;
  return definition as unknown as MappingDefinition;
}

/** A saved definition, to edit. */
export function fromDefinition(definition: MappingDefinition): MappingDraft {
  const draft = emptyDraft();
  draft.uniqueId = {
    type: definition.uniqueId.type,
    path: definition.uniqueId.path,
    fallbacks: [...(definition.uniqueId.fallbacks ?? [])],
    defaultCountry: definition.uniqueId.defaultCountry ?? '',
  };
  if (definition.variables === 'all') draft.allVariables = true;
  else {
    draft.variables = (definition.variables ?? []).map(({ name, path, type, ...rest }) => ({ name, path, type: type ?? '', rest }));
  }
  const sets = definition.variableSets ?? {};
  for (const name of FLAT_SETS) draft.sets[name] = { ...(sets[name] ?? {}) };
  if (sets.products) draft.sets.products = { from: sets.products.from, fields: { ...sets.products.fields } };
  if (definition.filter !== undefined) draft.kept.filter = definition.filter;
  if (definition.dedupeKey !== undefined) draft.kept.dedupeKey = definition.dedupeKey;
  return draft;
}

/** The value at a JSON pointer (RFC 6901) in a definition, or undefined. */
export function valueAt(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Problems grouped by pointer, for the fields that show them. */
export class Problems {
  private readonly byPointer = new Map<string, ProblemDetail[]>();

  constructor(
    readonly all: readonly ProblemDetail[] = [],
    /** 'error' for a 422, 'warning' for a save's warnings (UNKNOWN_PATH). */
    readonly severity: 'error' | 'warning' = 'error',
    /** The definition the API judged: a problem lasts while its field holds the same value. */
    readonly judged?: MappingDefinition,
  ) {
    for (const p of all) this.byPointer.set(p.pointer, [...(this.byPointer.get(p.pointer) ?? []), p]);
  }

  /** The problems still true of `definition`: those whose field was not edited since. */
  stillFor(definition: MappingDefinition): Problems {
    if (!this.judged) return this;
    const judged = this.judged;
    const kept = this.all.filter((p) => JSON.stringify(valueAt(judged, p.pointer)) === JSON.stringify(valueAt(definition, p.pointer)));
    return kept.length === this.all.length ? this : new Problems(kept, this.severity, judged);
  }

  at(pointer: string): ProblemDetail[] {
    return this.byPointer.get(pointer) ?? [];
  }

  /** Problems at a pointer or under it (a fieldset's own and its fields'). */
  under(pointer: string): ProblemDetail[] {
    return this.all.filter((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`));
  }

  /** The problems no field in `shown` displays (listed in the summary instead). */
  unplaced(shown: ReadonlySet<string>): ProblemDetail[] {
    return this.all.filter((p) => !shown.has(p.pointer));
  }
}

/**
 * Puts a path picked in the tree into the field at `pointer`. Applied to the draft as it is
 * when the pick lands, so edits made between "Pick" and "Use" stay. A unique id path picked
 * while no type is chosen brings the type its role suggests.
 */
export function applyPick(draft: MappingDraft, pointer: string, path: string, variable?: PickerVariable): MappingDraft {
  const parts = pointer.split('/').slice(1);
  if (pointer === '/uniqueId/path') {
    const type = draft.uniqueId.type || (variable ? (typeForRoles(variable.roles) ?? '') : '');
    return { ...draft, uniqueId: { ...draft.uniqueId, path, type } };
  }
  if (parts[0] === 'uniqueId' && parts[1] === 'fallbacks' && parts.length === 3) {
    const index = Number(parts[2]);
    return { ...draft, uniqueId: { ...draft.uniqueId, fallbacks: draft.uniqueId.fallbacks.map((f, i) => (i === index ? path : f)) } };
  }
  if (pointer === '/variableSets/products/from') return { ...draft, sets: { ...draft.sets, products: { ...draft.sets.products, from: path } } };
  if (parts[0] === 'variableSets' && parts[1] === 'products' && parts[2] === 'fields' && parts.length === 4) {
    const products = draft.sets.products;
    return { ...draft, sets: { ...draft.sets, products: { ...products, fields: { ...products.fields, [parts[3]]: path } } } };
  }
  if (parts[0] === 'variableSets' && (FLAT_SETS as readonly string[]).includes(parts[1]) && parts.length === 3) {
    const set = parts[1] as FlatSetName;
    return { ...draft, sets: { ...draft.sets, [set]: { ...draft.sets[set], [parts[2]]: path } } };
  }
  throw new Error(`no field picks a path at ${pointer}`);
}

/** A unique variable name for a new pick, given the names taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
