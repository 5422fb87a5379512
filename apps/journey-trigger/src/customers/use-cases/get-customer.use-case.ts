import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@hookline/http';
import { IdentityRepository } from '../../journeys/identity.repository';

export interface CustomerView {
  customerId: string;
  identifiers: Record<string, string>;
  /** Every identifier of the customer (a type may hold several values), oldest first. */
  allIdentifiers: Array<{ type: string; value: string }>;
  journeys: Array<{ eventId: string; outputEventId: string; flowId: string | null; triggerId: string | null; startedAt: string }>;
}

/** `GET /v1/customers/{customerId}`: the customer's identifiers and the journeys started for it (from the ledger). */
@Injectable()
export class GetCustomerUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
  ) {}

  async execute(workspaceId: string, customerId: string): Promise<CustomerView> {
    const tx = this.dataSource.manager;
    if (!(await this.identity.exists(tx, workspaceId, customerId))) throw notFound('customer');
    const all = (await tx.query('SELECT type, value FROM journey.identifiers WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, type, value', [workspaceId, customerId])) as Array<{
      type: string;
      value: string;
    }>;
    const journeys = (await tx.query(
      `SELECT l.source_event_id, l.output_event_id, l.scope, l.created_at, o.payload->>'flowId' AS flow_id
       FROM journey.ledger l LEFT JOIN journey.outbox o ON o.id = l.output_event_id
       WHERE l.workspace_id = $1 AND l.customer_id = $2 ORDER BY l.created_at DESC LIMIT 500`,
      [workspaceId, customerId],
    )) as Array<{ source_event_id: string; output_event_id: string; scope: string; created_at: Date; flow_id: string | null }>;
    return {
      customerId,
      identifiers: await this.identity.identifiersOf(tx, workspaceId, customerId),
      allIdentifiers: all,
      journeys: journeys.map((j) => ({
        eventId: j.source_event_id,
        outputEventId: j.output_event_id,
        flowId: j.flow_id,
        triggerId: j.scope === 'api' ? null : j.scope,
        startedAt: j.created_at.toISOString(),
      })),
    };
  }
}
