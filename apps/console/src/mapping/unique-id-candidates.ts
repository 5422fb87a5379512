// Which fields to offer first for the unique id: those whose suggested role fits one of the
// unique id types, best fit first, then the fallbacks that share the role.
import type { PickerVariable, UniqueIdType } from '@hookline/contracts';
import { fansOut, firstElementPath } from '../lib/paths';

/** The unique id types, in the order the console offers them (API.md). */
export const UNIQUE_ID_TYPES = ['email', 'phone', 'external_id', 'shopify_customer_id', 'order_id', 'order_name'] as const satisfies readonly UniqueIdType[];

export const UNIQUE_ID_LABELS: Record<UniqueIdType, string> = {
  email: 'Email',
  phone: 'Phone',
  external_id: 'External id',
  shopify_customer_id: 'Shopify customer id',
  order_id: 'Order id',
  order_name: 'Order name',
};

/** The picker roles that fit each unique id type (a generic customer id fits an external id). */
const FITTING_ROLES: Record<UniqueIdType, readonly string[]> = {
  email: ['email'],
  phone: ['phone'],
  external_id: ['external_id', 'customer_id'],
  shopify_customer_id: ['shopify_customer_id'],
  order_id: ['order_id'],
  order_name: ['order_name'],
};

export interface UniqueIdCandidate {
  type: UniqueIdType;
  /** A path that selects one value (`[]` taken as the first element). */
  path: string;
  variable: PickerVariable;
}

/** The unique id type a variable's roles suggest, or null when none fits. */
export function typeForRoles(roles: readonly string[]): UniqueIdType | null {
  for (const type of UNIQUE_ID_TYPES) if (FITTING_ROLES[type].some((r) => roles.includes(r))) return type;
  return null;
}

/**
 * Every variable whose role fits a unique id type, ordered by type (email first, as the
 * journeys' most common key), then by how often the samples carried it, then paths outside
 * arrays before those inside, then document order.
 */
export function uniqueIdCandidates(variables: readonly PickerVariable[]): UniqueIdCandidate[] {
  const candidates: Array<UniqueIdCandidate & { order: number }> = [];
  variables.forEach((variable, order) => {
    for (const type of UNIQUE_ID_TYPES) {
      if (FITTING_ROLES[type].some((r) => variable.roles.includes(r))) candidates.push({ type, path: firstElementPath(variable.path), variable, order });
    }
  });
  const rank = (t: UniqueIdType) => UNIQUE_ID_TYPES.indexOf(t);
  candidates.sort(
    (a, b) =>
      rank(a.type) - rank(b.type) ||
      b.variable.presence - a.variable.presence ||
      Number(fansOut(a.variable.path)) - Number(fansOut(b.variable.path)) ||
      a.order - b.order,
  );
  return candidates.map(({ type, path, variable }) => ({ type, path, variable }));
}

/** Fallbacks for a chosen unique id: the other candidates of the same type, best first. */
export function fallbackCandidates(candidates: readonly UniqueIdCandidate[], type: UniqueIdType | '', path: string): UniqueIdCandidate[] {
  if (type === '') return [];
  return candidates.filter((c) => c.type === type && c.path !== path);
}
