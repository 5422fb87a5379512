import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TriggerStatus, UnknownCustomerPolicy } from '@hookline/contracts';

export interface TriggerLimits {
  maxBodyBytes: number;
  ratePerSecond: number | null;
  burst: number | null;
}

/** A webhook trigger: the URL's identity (id + hashed token) and what it starts. */
@Entity({ name: 'triggers' })
export class TriggerEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: TriggerStatus;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'verification_scheme', type: 'text' })
  verificationScheme!: string;

  @Column({ name: 'unknown_customer', type: 'text' })
  unknownCustomer!: UnknownCustomerPolicy;

  @Column({ type: 'jsonb' })
  limits!: TriggerLimits;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
