import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UniqueIdType } from '@hookline/contracts';
import { validationFailed } from '@hookline/http';
import { normalizeIdentifier } from '@hookline/mapping-rules';
import { type Identifier, identifierKey, type IdentityConflict, IdentityRepository } from '../../journeys/identity.repository';
import { TriggerJourneyUseCase } from '../../journeys/use-cases/trigger-journey.use-case';

/** The identifier types identify accepts, in the order that decides the customer when no id is given. */
export const IDENTIFY_TYPES = ['external_id', 'email', 'phone', 'shopify_customer_id'] as const satisfies readonly UniqueIdType[];

export interface IdentifyCustomerCommand {
  workspaceId: string;
  identifiers: Partial<Record<(typeof IDENTIFY_TYPES)[number], string | number>>;
  customerId?: string;
}

export interface IdentifyCustomerResult {
  customerId: string;
  identifiers: Record<string, string>;
  conflicts: IdentityConflict[];
}

/**
 * `POST /v1/customers/identify`: links identifiers to one customer — the platform's own id
 * when given (created if new), else the customer one of them already belongs to, else a new
 * one — and then releases the events parked for them. An identifier that belongs to another
 * customer is reported as a conflict and stays where it is.
 */
@Injectable()
export class IdentifyCustomerUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly triggerJourney: TriggerJourneyUseCase,
  ) {}

  async execute(command: IdentifyCustomerCommand): Promise<IdentifyCustomerResult> {
    const identifiers: Identifier[] = [];
    const problems: Array<{ pointer: string; message: string }> = [];
    for (const type of IDENTIFY_TYPES) {
      const raw = command.identifiers[type];
      if (raw === undefined) continue;
      const normalized = normalizeIdentifier(type, raw);
      if (normalized.ok) identifiers.push({ type, value: normalized.value });
      else problems.push({ pointer: `/identifiers/${type}`, message: normalized.reason });
    }
    if (problems.length > 0) throw validationFailed(problems);
    const link = await this.dataSource.transaction((tx) => this.identity.link(tx, command.workspaceId, identifiers, { customerId: command.customerId, createIfUnknown: true }));
    // Never null: createIfUnknown with at least one identifier or a customer id.
    const result = link!;
    await this.triggerJourney.releaseParked(command.workspaceId, [...identifiers.filter((i) => !result.conflicts.some((c) => c.type === i.type && c.value === i.value)).map(identifierKey)]);
    return { customerId: result.customerId, identifiers: result.identifiers, conflicts: result.conflicts };
  }
}
