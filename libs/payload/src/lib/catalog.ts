import { SCHEMA_FORMATS, looksLikePhone, type StringFormat } from './formats';
import { setOwn, type JsonTypeName } from './json';
import { formatPath, parsePath, type PathSegment } from './path';
import type { ProfileNode, SchemaProfile } from './profile';

export type VariableRole =
  | 'email'
  | 'phone'
  | 'order_id'
  | 'order_name'
  | 'customer_id'
  | 'shopify_customer_id'
  | 'external_id'
  | 'product_name'
  | 'product_url'
  | 'image_url'
  | 'price'
  | 'currency'
  | 'quantity'
  | 'collection_id'
  | 'date'
  | 'url';

/** Roles are listed in this order. */
export const VARIABLE_ROLES: readonly VariableRole[] = [
  'email',
  'phone',
  'order_id',
  'order_name',
  'customer_id',
  'shopify_customer_id',
  'external_id',
  'product_name',
  'product_url',
  'image_url',
  'price',
  'currency',
  'quantity',
  'collection_id',
  'date',
  'url',
];

export interface Variable {
  path: string;
  /** Sorted: array, boolean, integer, null, number, object, string (bigint counts as integer). */
  types: string[];
  /** Share of samples that carried the path (0..1); under [], samples where at least one element did. */
  presence: number;
  /** A JSON-safe example: a scalar (bigint as string, long strings cut), null for containers or when only null was seen. */
  example: unknown;
  formats?: string[];
  roles: string[];
}

export interface VariableCatalog {
  sampleCount: number;
  /** JSON Schema 2020-12 of all samples merged. */
  schema: Record<string, unknown>;
  /** Every path seen (leaves and containers, not the body itself), in first-seen document order. */
  variables: Variable[];
}

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

interface Entry {
  node: ProfileNode;
  segments: PathSegment[];
}

export function catalogOf(profile: SchemaProfile): VariableCatalog {
  const entries = profile.nodes.map((node): Entry => ({ node, segments: node.path === '' ? [] : parsePath(node.path).segments }));
  const byPath = new Map(entries.map((entry) => [entry.node.path, entry]));
  const children = new Map<string, Entry[]>();
  for (const entry of entries) {
    if (entry.segments.length === 0) continue;
    const parent = formatPath(entry.segments.slice(0, -1));
    const list = children.get(parent);
    if (list) list.push(entry);
    else children.set(parent, [entry]);
  }
  for (const list of children.values()) list.sort(displayOrder);

  const context = payloadContext(entries);
  const variables = entries
    .filter((entry) => entry.segments.length > 0)
    .sort(displayOrder)
    .map((entry) => variableOf(entry, profile.sampleCount, context));

  const root = byPath.get('');
  const schema: Record<string, unknown> = { $schema: JSON_SCHEMA_DIALECT };
  if (root) Object.assign(schema, schemaOf(root, children));
  return { sampleCount: profile.sampleCount, schema, variables };
}

function displayOrder(a: Entry, b: Entry): number {
  return a.node.ord - b.node.ord || (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0);
}

const TYPE_ORDER: readonly JsonTypeName[] = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

function typesOf(node: ProfileNode): JsonTypeName[] {
  return TYPE_ORDER.filter((type) => (node.types[type] ?? 0) > 0);
}

function occurrences(node: ProfileNode): number {
  return Object.values(node.types).reduce((sum: number, count) => sum + (count ?? 0), 0);
}

function variableOf(entry: Entry, sampleCount: number, context: PayloadContext): Variable {
  const { node } = entry;
  const types = typesOf(node);
  const variable: Variable = {
    path: node.path,
    types,
    presence: sampleCount > 0 ? Math.min(1, node.samples / sampleCount) : 0,
    example: node.example ? node.example.value : null,
    roles: [],
  };
  const formats = (node.types.string ?? 0) > 0 ? (node.formats ?? []) : [];
  if (formats.length > 0) variable.formats = [...formats];
  variable.roles = rolesOf(entry, types, formats, context);
  return variable;
}

// ---------------------------------------------------------------------------------------
// JSON Schema

function schemaOf(entry: Entry, children: Map<string, Entry[]>): Record<string, unknown> {
  const { node } = entry;
  let types = typesOf(node);
  if (types.includes('integer') && types.includes('number')) types = types.filter((type) => type !== 'integer');
  const schema: Record<string, unknown> = {};
  if (types.length === 1) schema.type = types[0];
  else if (types.length > 1) schema.type = types;

  const kids = children.get(node.path) ?? [];
  if (types.includes('object')) {
    const objects = node.types.object ?? 0;
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const kid of kids) {
      const last = kid.segments[kid.segments.length - 1]!;
      if (last.kind !== 'key') continue;
      setOwn(properties, last.key, schemaOf(kid, children));
      if (objects > 0 && occurrences(kid.node) === objects) required.push(last.key);
    }
    if (kids.some((kid) => kid.segments[kid.segments.length - 1]!.kind === 'key')) schema.properties = properties;
    if (required.length > 0) schema.required = required;
  }
  if (types.includes('array')) {
    const items = kids.find((kid) => kid.segments[kid.segments.length - 1]!.kind === 'each');
    if (items) schema.items = schemaOf(items, children);
  }
  if (types.includes('string') && node.formats) {
    const format = SCHEMA_FORMATS.find((candidate) => node.formats!.includes(candidate));
    if (format) schema.format = format;
  }
  return schema;
}

// ---------------------------------------------------------------------------------------
// Roles: name + format + type heuristics. Deliberately simple; a later pass can weigh them.

interface PayloadContext {
  order: boolean;
  customer: boolean;
  product: boolean;
  shopify: boolean;
  /** What an object says it is (Stripe `object`, Razorpay `entity`), by the object's path. */
  kinds: Map<string, string>;
}

function payloadContext(entries: Entry[]): PayloadContext {
  const top = new Set(
    entries.filter((entry) => entry.segments.length === 1 && entry.segments[0]!.kind === 'key').map((entry) => (entry.segments[0] as { key: string }).key.toLowerCase()),
  );
  const order = ['line_items', 'order_number', 'financial_status', 'order_key', 'order_status_url'].some((key) => top.has(key));
  const customer = !order && top.has('email') && (top.has('first_name') || top.has('last_name'));
  const product =
    !order && (top.has('variants') || (top.has('permalink') && (top.has('sku') || top.has('price'))) || (top.has('handle') && top.has('product_type')));
  const shopify = entries.some((entry) => {
    const last = entry.segments[entry.segments.length - 1];
    const example = entry.node.example?.value;
    return last?.kind === 'key' && last.key === 'admin_graphql_api_id' && typeof example === 'string' && example.startsWith('gid://shopify/');
  });
  const kinds = new Map<string, string>();
  for (const { segments, node } of entries) {
    const last = segments[segments.length - 1];
    const example = node.example?.value;
    if (last?.kind === 'key' && (last.key === 'object' || last.key === 'entity') && typeof example === 'string') {
      kinds.set(formatPath(segments.slice(0, -1)), example.toLowerCase());
    }
  }
  return { order, customer, product, shopify, kinds };
}

const PRODUCT_ARRAYS = new Set(['line_items', 'items', 'products', 'order_items', 'cart_items', 'lineitems']);
/** Object kinds (Stripe `object`, Razorpay `entity`) whose `id` is an order id. */
const ORDER_KINDS = new Set(['order', 'payment_intent', 'checkout.session', 'invoice']);
/** Objects whose `id` is the id of the person the event is about. */
const PERSON_KEYS = new Set(['customer', 'buyer', 'user', 'sender']);
/** Objects whose `token` identifies the submission (Typeform's response token). */
const RESPONSE_KEYS = new Set(['form_response', 'response', 'submission']);
const EXTERNAL_ID_NAME =
  /^(external_?id|external_?ref|admin_graphql_api_id|cart_token|checkout_token|order_key|confirmation_number|transaction_id|multipass_identifier|event_id)$/;
/** A Stripe/Razorpay-style prefixed object id: `evt_3PBW…`, `pay_QUg6…`, `acc_PUL8…`. */
const PREFIXED_ID = /^[a-z]{2,5}_(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10,}$/;

function rolesOf(entry: Entry, types: JsonTypeName[], formats: StringFormat[], context: PayloadContext): VariableRole[] {
  const { segments, node } = entry;
  const last = segments[segments.length - 1]!;
  // the name of the field: its key, or for `tags[]` the array's key
  const keyIndex = last.kind === 'key' ? segments.length - 1 : lastKeyIndex(segments, segments.length - 1);
  if (keyIndex < 0) return [];
  const rawName = (segments[keyIndex] as { key: string }).key;
  const name = rawName.toLowerCase();
  const topLevel = segments.length === 1 && last.kind === 'key';
  const parentKey = keyIndex > 0 && segments[keyIndex - 1]!.kind === 'key' ? (segments[keyIndex - 1] as { key: string }).key.toLowerCase() : undefined;
  // `line_items[].title` → 'line_items'
  const arrayKey =
    keyIndex >= 2 && segments[keyIndex - 1]!.kind === 'each' && segments[keyIndex - 2]!.kind === 'key'
      ? (segments[keyIndex - 2] as { key: string }).key.toLowerCase()
      : undefined;
  const has = (type: JsonTypeName) => types.includes(type);
  const fmt = (format: StringFormat) => formats.includes(format);
  const nullOnly = types.length === 1 && types[0] === 'null';
  const scalar = types.every((type) => type !== 'object' && type !== 'array');
  const numeric = (has('integer') || has('number') || fmt('numeric-string')) && !has('boolean');
  const idLike = scalar && (has('integer') || has('string')) && !has('boolean');
  const example = node.example?.value;
  const exampleText = typeof example === 'string' ? example : typeof example === 'number' ? String(example) : undefined;
  const endsWithId = /(^|_)id$/.test(name) || /[a-z]Id$/.test(rawName);
  const underKey = (wanted: string) => ancestorKeys(segments, keyIndex).includes(wanted);
  // secrets are never offered as identifiers; a field that was only null may still be an id field
  const secret = /secret|password|passwd|signature|api_?key|access_?key|private/.test(name);
  const idOrNull = (idLike || nullOnly) && !secret;
  const kind = name === 'id' ? context.kinds.get(formatPath(segments.slice(0, keyIndex))) : undefined;

  const roles = new Set<VariableRole>();
  if (!scalar) return [];

  // email
  if (fmt('email') || (name.includes('email') && nullOnly)) roles.add('email');

  // phone
  if (!endsWithId || name === 'wa_id') {
    const phoneName = /phone|mobile|msisdn/.test(name);
    const phoneishName = /^(from|to|caller|called|contact|wa_id|whatsapp)$/.test(name);
    const looseExample = exampleText !== undefined && looksLikePhone(exampleText, false);
    // under a phone-ish name, vanity numbers such as 555-555-SHIP count too
    const vanityExample = exampleText !== undefined && /^\+?[\dA-Za-z\s().-]{7,24}$/.test(exampleText) && /\d{3}/.test(exampleText);
    if (!fmt('email') && (fmt('phone') || (phoneName && (nullOnly || looseExample || vanityExample)) || (phoneishName && looseExample))) roles.add('phone');
  }

  // order id / name
  if (
    idLike &&
    (name === 'order_id' ||
      (name === 'id' && ((topLevel && context.order) || underKey('order') || (kind !== undefined && ORDER_KINDS.has(kind)))) ||
      (name === 'token' && ((topLevel && context.order) || (parentKey !== undefined && RESPONSE_KEYS.has(parentKey)))))
  ) {
    roles.add('order_id');
  }
  if (
    (name === 'name' && topLevel && context.order && exampleText?.startsWith('#')) ||
    ((name === 'order_name' || name === 'order_number') && idLike) ||
    (name === 'number' && topLevel && context.order && idLike) ||
    (name === 'receipt' && idOrNull && (underKey('order') || (topLevel && context.order)))
  ) {
    roles.add('order_name');
  }

  // customer id
  const customerId =
    (idLike &&
      ((name === 'id' && ((parentKey !== undefined && PERSON_KEYS.has(parentKey)) || kind === 'customer')) ||
        (name === 'id' && topLevel && context.customer) ||
        name === 'wa_id')) ||
    (idOrNull && (name === 'customer_id' || (name === 'customer' && !has('object'))));
  if (customerId) roles.add('customer_id');
  if (customerId && context.shopify && has('integer')) roles.add('shopify_customer_id');

  // external ids: other identifiers of the thing the event is about (not when it is already an order or customer id)
  const externalId =
    (idOrNull && (EXTERNAL_ID_NAME.test(name) || /^[A-Z][A-Za-z]*Sid$/.test(rawName))) ||
    (idLike &&
      !secret &&
      ((typeof example === 'string' && PREFIXED_ID.test(example)) ||
        (name === 'id' && (topLevel || (context.product && arrayKey === 'variants'))) ||
        (name === 'sku' && topLevel && context.product)));
  if (externalId && !roles.has('order_id') && !roles.has('customer_id')) roles.add('external_id');

  // products
  const productField = name === 'product_name' || name === 'product_title';
  if (
    has('string') &&
    (productField ||
      ((name === 'title' || name === 'name' || name === 'presentment_title') && arrayKey !== undefined && PRODUCT_ARRAYS.has(arrayKey)) ||
      (topLevel && context.product && (name === 'title' || name === 'name')))
  ) {
    roles.add('product_name');
  }
  if ((has('string') || nullOnly) && (/^(permalink|product_url|product_link)$/.test(name) || (topLevel && context.product && name === 'url'))) roles.add('product_url');
  const imageName = /image|img|avatar|photo|picture|thumbnail|logo|icon/.test(name) || (parentKey !== undefined && /image/.test(parentKey)) || (arrayKey !== undefined && /image/.test(arrayKey));
  if (imageName && (fmt('uri') || (nullOnly && /(url|src)$/.test(name)))) roles.add('image_url');

  // money
  const priceName =
    /(^|_)(price|amount|total|subtotal|cost|fee|fees)(_|$)/.test(name) && !/(^|_)(weight|count|quantity|qty|rate|percent|sales|items|lines|id)$/.test(name);
  // money as text: "19.99", or "" where a price is not set (WooCommerce's sale_price)
  const moneyText = typeof example === 'string' && /^(?:-?\d+(?:\.\d+)?)?$/.test(example.trim());
  if (priceName && (numeric || (has('string') && !has('boolean') && moneyText))) roles.add('price');
  if (name.includes('currency') && has('string') && !fmt('numeric-string')) roles.add('currency');
  if (/(^|_)(quantity|qty)$/.test(name) && (has('integer') || fmt('numeric-string')) && !has('boolean')) roles.add('quantity');

  // collections
  if (idLike && (/^(collection_id|category_id)$/.test(name) || (name === 'id' && (arrayKey === 'collections' || arrayKey === 'categories' || parentKey === 'collection')))) {
    roles.add('collection_id');
  }

  // dates
  const dateName = /(_at|_date|_time|_on)$/.test(name) || /^(date|date_.+|timestamp|created|updated|time)$/.test(name);
  const epoch = (value: number) => (value >= 1e9 && value < 1e10) || (value >= 1e12 && value < 1e13);
  const exampleIsDate =
    typeof example === 'number'
      ? epoch(example)
      : typeof example === 'string'
        ? /^\d+$/.test(example)
          ? epoch(Number(example))
          : !Number.isNaN(Date.parse(example)) && /\d{4}/.test(example)
        : example === null;
  if (fmt('date-time') || fmt('date') || (dateName && !has('boolean') && (nullOnly || exampleIsDate))) roles.add('date');

  if (fmt('uri')) roles.add('url');

  return VARIABLE_ROLES.filter((role) => roles.has(role));
}

function lastKeyIndex(segments: PathSegment[], before: number): number {
  for (let i = before; i >= 0; i--) if (segments[i]!.kind === 'key') return i;
  return -1;
}

/** Lower-cased keys of the objects enclosing segment `keyIndex`, stopping at the nearest array. */
function ancestorKeys(segments: PathSegment[], keyIndex: number): string[] {
  const keys: string[] = [];
  for (let i = keyIndex - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (segment.kind !== 'key') break;
    keys.push(segment.key.toLowerCase());
  }
  return keys;
}
