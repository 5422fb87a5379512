// The mapping definition a user saves for a trigger (API.md "The mapping definition").
import type { JsonValue } from '@hookline/payload';

export type UniqueIdType = 'order_id' | 'order_name' | 'shopify_customer_id' | 'phone' | 'email' | 'external_id';

export const UNIQUE_ID_TYPES: readonly UniqueIdType[] = [
  'order_id',
  'order_name',
  'shopify_customer_id',
  'phone',
  'email',
  'external_id',
];

export type VariableType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'email' | 'phone' | 'url' | 'json';

export const VARIABLE_TYPES: readonly VariableType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'datetime',
  'email',
  'phone',
  'url',
  'json',
];

/** Data-only transforms: each is a tagged object, never user code. */
export type Transform =
  | { op: 'scale'; factor: number }
  | { op: 'trim' }
  | { op: 'lowercase' }
  | { op: 'uppercase' }
  | { op: 'default'; value: unknown }
  | { op: 'template'; template: string };

export type TransformOp = Transform['op'];

export const TRANSFORM_OPS: readonly TransformOp[] = ['scale', 'trim', 'lowercase', 'uppercase', 'default', 'template'];

export type ConditionOp = 'eq' | 'neq' | 'in' | 'exists' | 'gt' | 'gte' | 'lt' | 'lte';

export const CONDITION_OPS: readonly ConditionOp[] = ['eq', 'neq', 'in', 'exists', 'gt', 'gte', 'lt', 'lte'];

export interface LeafCondition {
  path: string;
  op: ConditionOp;
  value?: unknown;
}

export type Condition = { all: Condition[] } | { any: Condition[] } | LeafCondition;

export interface VariableDefinition {
  name: string;
  path: string;
  type?: VariableType;
  default?: unknown;
  transform?: Transform | Transform[];
  /** ISO 3166-1 alpha-2 country for `type: "phone"`; falls back to `uniqueId.defaultCountry`. */
  defaultCountry?: string;
}

export interface UniqueIdDefinition {
  type: UniqueIdType;
  path: string;
  fallbacks?: string[];
  defaultCountry?: string;
}

export interface ProductsSetDefinition {
  /** An array path ending in `[]`; each element becomes one product. */
  from: string;
  /** Product field name → path relative to the element. */
  fields: Record<string, string>;
}

export interface VariableSetsDefinition {
  order?: Record<string, string>;
  products?: ProductsSetDefinition;
  customer?: Record<string, string>;
  shopify?: Record<string, string>;
}

export interface MappingDefinition {
  uniqueId: UniqueIdDefinition;
  variables?: 'all' | VariableDefinition[];
  variableSets?: VariableSetsDefinition;
  filter?: Condition;
  dedupeKey?: { path: string };
}

/** One event as the compiled mapping sees it: the parsed body (see parseBody) and the request's headers and query. */
export interface MappingInput {
  body: JsonValue;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}
