import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { UniqueIdType } from '@hookline/contracts';
import { combineStatements, type Statement } from '@hookline/persistence';

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
  /** The owners of whichever of these identifiers are known, by identifier key (one lookup by primary key each). */
  async findKnown(tx: EntityManager, workspaceId: string, identifiers: Identifier[]): Promise<Map<string, string>> {
    return (await this.lookup(tx, workspaceId, identifiers)).known;
  }

  /**
   * In one query: the owners of whichever of these identifiers are known (by identifier key),
   * and every identifier of those owners, one value per type (the oldest), by customer.
   */
  private async lookup(tx: EntityManager, workspaceId: string, identifiers: Identifier[]): Promise<{ known: Map<string, string>; owned: Map<string, Record<string, string>> }> {
    if (identifiers.length === 0) return { known: new Map(), owned: new Map() };
    const rows = (await tx.query(
      `WITH given AS (
         SELECT i.type, i.value, i.customer_id FROM journey.identifiers i
         JOIN unnest($2::text[], $3::text[]) AS g(type, value) ON i.type = g.type AND i.value = g.value
         WHERE i.workspace_id = $1
       )
       SELECT i.type, i.value, i.customer_id, EXISTS (SELECT 1 FROM given WHERE given.type = i.type AND given.value = i.value) AS given
       FROM journey.identifiers i
       WHERE i.workspace_id = $1 AND i.customer_id IN (SELECT customer_id FROM given)
       ORDER BY i.created_at, i.type, i.value`,
      [workspaceId, identifiers.map((i) => i.type), identifiers.map((i) => i.value)],
    )) as Array<{ type: UniqueIdType; value: string; customer_id: string; given: boolean }>;
    const known = new Map<string, string>();
    const owned = new Map<string, Record<string, string>>();
    for (const r of rows) {
      if (r.given) known.set(identifierKey(r), r.customer_id);
      const of = owned.get(r.customer_id) ?? {};
      of[r.type] ??= r.value;
      owned.set(r.customer_id, of);
    }
    return { known, owned };
  }

  /**
   * Links identifiers that arrived together to one customer. The customer is `customerId`
   * when given (created if new), else the owner of the first known identifier in the given
   * order (the unique id comes first, so it wins), else a new one when `createIfUnknown`.
   * An identifier that already belongs to someone else stays theirs and is returned as a
   * conflict. Returns null when nothing is known and nothing may be created.
   *
   * On the hot path this is one lookup (which also reads a known customer's identifiers),
   * then, when the event brings identifiers nobody had, one statement that links them (with
   * a new customer's row).
   */
  async link(tx: EntityManager, workspaceId: string, given: Identifier[], options: { customerId?: string; createIfUnknown: boolean }): Promise<LinkResult | null> {
    const identifiers = [...new Map(given.map((i) => [identifierKey(i), i])).values()];
    const { known, owned } = await this.lookup(tx, workspaceId, identifiers);
    let customerId: string;
    let created = false;
    if (options.customerId) {
      customerId = options.customerId;
      const inserted = (await tx.query('INSERT INTO journey.customers (id, workspace_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id', [customerId, workspaceId])) as unknown[];
      created = inserted.length === 1;
    } else {
      const owner = identifiers.map((i) => known.get(identifierKey(i))).find((c) => c !== undefined);
      if (owner) customerId = owner;
      else if (!options.createIfUnknown || identifiers.length === 0) return null;
      else {
        customerId = `cus_${randomBytes(12).toString('base64url')}`;
        created = true;
      }
    }
    // The identifiers nobody had, linked to the customer in one statement (combined with a
    // new customer's row). An identifier another transaction linked first is theirs: it
    // comes back as not inserted and is looked up below.
    const unknown = identifiers.filter((i) => !known.has(identifierKey(i)));
    const inserted = new Set<string>();
    const linkUnknown: Statement = {
      sql: `INSERT INTO journey.identifiers (workspace_id, type, value, customer_id)
            SELECT $2, type, value, $1 FROM unnest($3::text[], $4::text[]) AS given(type, value)
            ON CONFLICT (workspace_id, type, value) DO NOTHING RETURNING type, value`,
      params: [customerId, workspaceId, unknown.map((i) => i.type), unknown.map((i) => i.value)],
    };
    const newCustomer = created && !options.customerId;
    if (newCustomer || unknown.length > 0) {
      const { sql, params } = combineStatements(newCustomer ? [{ sql: 'INSERT INTO journey.customers (id, workspace_id) VALUES ($1, $2)', params: [customerId, workspaceId] }, linkUnknown] : [linkUnknown]);
      for (const r of (await tx.query(sql, params)) as Identifier[]) inserted.add(identifierKey(r));
    }
    if (newCustomer && !inserted.has(identifierKey(identifiers[0]!))) {
      // The first identifier was linked by a concurrent transaction meanwhile: its customer
      // is the one, and ours (with whatever we linked to it) goes.
      await tx.query('DELETE FROM journey.customers WHERE workspace_id = $1 AND id = $2', [workspaceId, customerId]);
      return this.link(tx, workspaceId, given, options);
    }
    const raced = unknown.filter((i) => !inserted.has(identifierKey(i)));
    if (raced.length > 0) for (const [key, owner] of await this.findKnown(tx, workspaceId, raced)) known.set(key, owner);
    const conflicts: IdentityConflict[] = [];
    const current: Record<string, string> = {};
    for (const i of identifiers) {
      const owner = inserted.has(identifierKey(i)) ? customerId : (known.get(identifierKey(i)) ?? customerId);
      if (owner === customerId) current[i.type] ??= i.value;
      else conflicts.push({ type: i.type, value: i.value, customerId: owner });
    }
    // A customer created here has exactly the identifiers just linked; a known one's were read
    // with the lookup; a customer given by id (identify) may have others, read here.
    const all = created ? {} : (owned.get(customerId) ?? (options.customerId ? await this.identifiersOf(tx, workspaceId, customerId) : {}));
    return { customerId, created, identifiers: { ...all, ...current }, conflicts, linked: [...inserted] };
  }

  /**
   * The identity graph as a batch of events finds it, in one query: for identifiers of any
   * workspace, their owners, and every identifier of those owners (oldest first). The
   * starting point of `IdentityView`.
   */
  async view(tx: EntityManager, given: Array<{ workspaceId: string } & Identifier>): Promise<IdentityView> {
    const view = new IdentityView();
    if (given.length === 0) return view;
    const rows = (await tx.query(
      `WITH given AS (
         SELECT i.workspace_id, i.customer_id FROM journey.identifiers i
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS g(workspace_id, type, value) ON i.workspace_id = g.workspace_id AND i.type = g.type AND i.value = g.value
       )
       SELECT i.workspace_id, i.type, i.value, i.customer_id FROM journey.identifiers i
       WHERE (i.workspace_id, i.customer_id) IN (SELECT workspace_id, customer_id FROM given)
       ORDER BY i.created_at, i.type, i.value`,
      [given.map((g) => g.workspaceId), given.map((g) => g.type), given.map((g) => g.value)],
    )) as Array<{ workspace_id: string; type: UniqueIdType; value: string; customer_id: string }>;
    for (const r of rows) view.known(r.workspace_id, r, r.customer_id);
    return view;
  }

  /**
   * The links a batch made (`IdentityView.resolve`), written in one statement: the new
   * customers' rows and the new identifiers, in key order (two batches that link the same
   * identifiers wait for each other instead of deadlocking). Returns false when another
   * transaction linked one of those identifiers first: the batch's view was wrong and the
   * transaction must be rolled back.
   */
  async writeLinks(tx: EntityManager, view: IdentityView): Promise<boolean> {
    const { customers, identifiers } = view.changes();
    if (identifiers.length === 0 && customers.length === 0) return true;
    const statements: Statement[] = [];
    if (customers.length > 0) {
      statements.push({
        sql: 'INSERT INTO journey.customers (id, workspace_id) SELECT * FROM unnest($1::text[], $2::text[])',
        params: [customers.map((c) => c.customerId), customers.map((c) => c.workspaceId)],
      });
    }
    // Written in key order; created in the order of the events that linked them (a microsecond
    // apart), so "the oldest value of a type" is the one it would be had each event committed alone.
    statements.push({
      sql: `INSERT INTO journey.identifiers (workspace_id, type, value, customer_id, created_at)
            SELECT workspace_id, type, value, customer_id, now() + make_interval(secs => ord / 1e6) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS t(workspace_id, type, value, customer_id, ord)
            ON CONFLICT (workspace_id, type, value) DO NOTHING RETURNING 1`,
      params: [identifiers.map((i) => i.workspaceId), identifiers.map((i) => i.type), identifiers.map((i) => i.value), identifiers.map((i) => i.customerId), identifiers.map((i) => i.order)],
    });
    const { sql, params } = combineStatements(statements);
    return ((await tx.query(sql, params)) as unknown[]).length === identifiers.length;
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

/**
 * The identity graph as seen by a batch of events resolved one after another in memory:
 * what the batch's lookup found, plus what each event linked, so that a later event of the
 * batch finds the customer an earlier one created or extended, exactly as if each had been
 * its own transaction. `resolve` follows the rules of `IdentityRepository.link`.
 */
export class IdentityView {
  /** workspace \0 type:value → customer. */
  private readonly owners = new Map<string, string>();
  /** workspace \0 customer → its identifiers, one value per type (the oldest). */
  private readonly owned = new Map<string, Record<string, string>>();
  private readonly newCustomers: Array<{ workspaceId: string; customerId: string }> = [];
  private readonly newIdentifiers: Array<NewIdentifier> = [];
  /** Events resolved so far: the position of the next one, which orders its identifiers' creation times. */
  private resolved = 0;

  /** An identifier found in the graph (in the order of its creation). */
  known(workspaceId: string, identifier: Identifier, customerId: string): void {
    this.owners.set(`${workspaceId}\0${identifierKey(identifier)}`, customerId);
    const of = this.owned.get(`${workspaceId}\0${customerId}`) ?? {};
    of[identifier.type] ??= identifier.value;
    this.owned.set(`${workspaceId}\0${customerId}`, of);
  }

  /** Every identifier the view knows to be new or known (for a lookup), without repeats. */
  static wanted(events: Array<{ workspaceId: string; identifiers: Identifier[] }>): Array<{ workspaceId: string } & Identifier> {
    const out = new Map<string, { workspaceId: string } & Identifier>();
    for (const e of events) for (const i of e.identifiers) out.set(`${e.workspaceId}\0${identifierKey(i)}`, { workspaceId: e.workspaceId, ...i });
    return [...out.values()];
  }

  /**
   * One event's link, applied to the view: the owner of the first known identifier (the
   * unique id first), else a new customer when `createIfUnknown`, else null (nothing is
   * changed). Identifiers nobody had are linked to the customer; one owned by another is a
   * conflict.
   */
  resolve(workspaceId: string, given: Identifier[], options: { createIfUnknown: boolean }): LinkResult | null {
    const identifiers = [...new Map(given.map((i) => [identifierKey(i), i])).values()];
    const ownerOf = (i: Identifier) => this.owners.get(`${workspaceId}\0${identifierKey(i)}`);
    let customerId = identifiers.map(ownerOf).find((c) => c !== undefined);
    const created = customerId === undefined;
    if (customerId === undefined) {
      if (!options.createIfUnknown || identifiers.length === 0) return null;
      customerId = `cus_${randomBytes(12).toString('base64url')}`;
      this.newCustomers.push({ workspaceId, customerId });
    }
    const before = created ? {} : { ...this.owned.get(`${workspaceId}\0${customerId}`) };
    const conflicts: IdentityConflict[] = [];
    const current: Record<string, string> = {};
    const unknown: Identifier[] = [];
    for (const i of identifiers) {
      const owner = ownerOf(i);
      if (owner === undefined) unknown.push(i);
      if ((owner ?? customerId) === customerId) current[i.type] ??= i.value;
      else conflicts.push({ type: i.type, value: i.value, customerId: owner! });
    }
    // One event's identifiers share a creation time, so the graph's "oldest" among them is the
    // smallest (created_at, type, value): the view learns them in that order too.
    for (const i of unknown.sort((a, b) => compare(identifierKey(a), identifierKey(b)))) {
      this.known(workspaceId, i, customerId);
      this.newIdentifiers.push({ workspaceId, type: i.type, value: i.value, customerId, order: this.resolved });
    }
    this.resolved++;
    return { customerId, created, identifiers: { ...before, ...current }, conflicts, linked: unknown.map(identifierKey) };
  }

  /** What the resolved events linked: new customers, and new identifiers in key order. */
  changes(): { customers: Array<{ workspaceId: string; customerId: string }>; identifiers: NewIdentifier[] } {
    const key = (i: NewIdentifier) => `${i.workspaceId}\0${i.type}\0${i.value}`;
    return { customers: this.newCustomers, identifiers: [...this.newIdentifiers].sort((a, b) => compare(key(a), key(b))) };
  }
}

/** An identifier a batch links: `order` is the position of the event that linked it. */
interface NewIdentifier {
  workspaceId: string;
  type: UniqueIdType;
  value: string;
  customerId: string;
  order: number;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
