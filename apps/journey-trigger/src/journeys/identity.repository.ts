import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface ResolvedCustomer {
  id: string;
  created: boolean;
}

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
    await tx.query('DELETE FROM journey.customers WHERE id = $1', [id]);
    return { id: (await this.find(tx, workspaceId, type, value))!, created: false };
  }

  async find(tx: EntityManager, workspaceId: string, type: string, value: string): Promise<string | null> {
    const rows = (await tx.query('SELECT customer_id FROM journey.identifiers WHERE workspace_id = $1 AND type = $2 AND value = $3', [workspaceId, type, value])) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id ?? null;
  }
}
