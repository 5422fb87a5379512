import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { UniqueIdType } from '@hookline/contracts';

export interface ResolvedCustomer {
  id: string;
  created: boolean;
}

/** One identifier: its type and normalised value. */
export interface Identifier {
  type: UniqueIdType;
  value: string;
}

/** An identifier that belongs to another customer than the one it arrived with: recorded, never merged. */
export interface IdentityConflict {
  type: UniqueIdType;
  value: string;
  /** The customer the identifier already belongs to. */
  customerId: string;
}

export interface LinkResult {
  customerId: string;
  created: boolean;
  /** Every identifier of the customer after linking, one value per type (the one just seen wins). */
  identifiers: Record<string, string>;
  conflicts: IdentityConflict[];
  /** Keys ("type:value") of the identifiers this call linked for the first time: only these can release parked events. */
  linked: string[];
}

export const identifierKey = (i: Identifier) => `${i.type}:${i.value}`;

/** The identity graph: (workspace, identifier type, normalised value) → customer. */
@Injectable()
export class IdentityRepository {
  /** Finds the customer an identifier belongs to, creating one when nobody has it yet (race-safe). */
  async resolveOrCreate(tx: EntityManager, workspaceId: string, type: string, value: string): Promise<ResolvedCustomer> {
    const found = await this.find(tx, workspaceId, type, value);
    if (found) return { id: found, created: false };
    const id = `cus_${randomBytes(12).toString('base64url')}`;
    await tx.query('INSERT INTO journey.customers (id, workspace_id) VALUES ($1, $2)', [id, workspaceId]);
    const inserted = (await tx.query(
      `INSERT INTO journey.identifiers (workspace_id, type, value, customer_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, type, value) DO NOTHING RETURNING customer_id`,
      [workspaceId, type, value, id],
    )) as Array<{ customer_id: string }>;
    if (inserted.length === 1) return { id, created: true };
    // Another transaction linked it first: use theirs and drop ours.
    await tx.query('DELETE FROM journey.customers WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return { id: (await this.find(tx, workspaceId, type, value))!, created: false };
  }

  async find(tx: EntityManager, workspaceId: string, type: string, value: string): Promise<string | null> {
    const rows = (await tx.query('SELECT customer_id FROM journey.identifiers WHERE workspace_id = $1 AND type = $2 AND value = $3', [workspaceId, type, value])) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id ?? null;
  }

  /** The owners of whichever of these identifiers are known, by identifier key. */
  async findKnown(tx: EntityManager, workspaceId: string, identifiers: Identifier[]): Promise<Map<string, string>> {
    if (identifiers.length === 0) return new Map();
    const rows = (await tx.query(
      `SELECT type, value, customer_id FROM journey.identifiers WHERE workspace_id = $1 AND (type || ':' || value) = ANY($2::text[])`,
      [workspaceId, identifiers.map(identifierKey)],
    )) as Array<{ type: UniqueIdType; value: string; customer_id: string }>;
    return new Map(rows.map((r) => [identifierKey(r), r.customer_id]));
  }

  /**
   * Links identifiers that arrived together to one customer. The customer is `customerId`
   * when given (created if new), else the owner of the first known identifier in the given
   * order (the unique id comes first, so it wins), else a new one when `createIfUnknown`.
   * An identifier that already belongs to someone else stays theirs and is returned as a
   * conflict. Returns null when nothing is known and nothing may be created.
   */
  async link(tx: EntityManager, workspaceId: string, given: Identifier[], options: { customerId?: string; createIfUnknown: boolean }): Promise<LinkResult | null> {
    const identifiers = [...new Map(given.map((i) => [identifierKey(i), i])).values()];
    const known = await this.findKnown(tx, workspaceId, identifiers);
    let customerId: string;
    let created = false;
    const linked: string[] = [];
    if (options.customerId) {
      customerId = options.customerId;
      const inserted = (await tx.query('INSERT INTO journey.customers (id, workspace_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id', [customerId, workspaceId])) as unknown[];
      created = inserted.length === 1;
    } else {
      const owner = identifiers.map((i) => known.get(identifierKey(i))).find((c) => c !== undefined);
      if (owner) customerId = owner;
      else if (!options.createIfUnknown || identifiers.length === 0) return null;
      else {
        const first = identifiers[0]!;
        const resolved = await this.resolveOrCreate(tx, workspaceId, first.type, first.value);
        customerId = resolved.id;
        created = resolved.created;
        if (created) linked.push(identifierKey(first));
      }
    }
    const conflicts: IdentityConflict[] = [];
    const current: Record<string, string> = {};
    for (const i of identifiers) {
      let owner = known.get(identifierKey(i));
      if (owner === undefined) {
        const inserted = (await tx.query(
          `INSERT INTO journey.identifiers (workspace_id, type, value, customer_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace_id, type, value) DO NOTHING RETURNING customer_id`,
          [workspaceId, i.type, i.value, customerId],
        )) as unknown[];
        if (inserted.length === 1) linked.push(identifierKey(i));
        owner = inserted.length === 1 ? customerId : ((await this.find(tx, workspaceId, i.type, i.value)) ?? customerId);
      }
      if (owner === customerId) current[i.type] ??= i.value;
      else conflicts.push({ type: i.type, value: i.value, customerId: owner });
    }
    return { customerId, created, identifiers: { ...(await this.identifiersOf(tx, workspaceId, customerId)), ...current }, conflicts, linked };
  }

  /** Every identifier of a customer, one value per type (the oldest), or null when the customer does not exist. */
  async identifiersOf(tx: EntityManager, workspaceId: string, customerId: string): Promise<Record<string, string>> {
    const rows = (await tx.query('SELECT type, value FROM journey.identifiers WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, type, value', [
      workspaceId,
      customerId,
    ])) as Array<{ type: string; value: string }>;
    const out: Record<string, string> = {};
    for (const r of rows) out[r.type] ??= r.value;
    return out;
  }

  async exists(tx: EntityManager, workspaceId: string, customerId: string): Promise<boolean> {
    return ((await tx.query('SELECT 1 FROM journey.customers WHERE workspace_id = $1 AND id = $2', [workspaceId, customerId])) as unknown[]).length === 1;
  }
}
