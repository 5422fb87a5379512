import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { HmacVerificationOptions, SealedSecret, TriggerLimitsV1, TriggerStatus, UnknownCustomerPolicy, VerificationScheme } from '@hookline/contracts';

export type TriggerLimits = TriggerLimitsV1;

/** A scheme's settings other than its secrets. */
export interface VerificationOptions {
  /** Absent on rows written before verification existed: the default (300 s) applies. */
  toleranceSeconds?: number;
  hmac?: HmacVerificationOptions | null;
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

  /** The token replaced by the last rotation, still accepted until `previousTokenValidUntil`. */
  @Column({ name: 'previous_token_hash', type: 'text', nullable: true })
  previousTokenHash!: string | null;

  @Column({ name: 'previous_token_valid_until', type: 'timestamptz', nullable: true })
  previousTokenValidUntil!: Date | null;

  @Column({ name: 'verification_scheme', type: 'text' })
  verificationScheme!: VerificationScheme;

  @Column({ name: 'verification_options', type: 'jsonb' })
  verificationOptions!: VerificationOptions;

  /** Sealed with the gateway's key (never plaintext): the current secret first, then the previous one. */
  @Column({ name: 'signing_secrets', type: 'jsonb' })
  signingSecrets!: SealedSecret[];

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

/** The next `updatedAt` of a trigger: now, but always after the previous one, so readers of the config topic can keep the newest. */
export function nextUpdatedAt(previous: Date, now = new Date()): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}
