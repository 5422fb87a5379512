import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SchemaProfile } from '@hookline/payload';

/** A captured webhook body (personal data: bounded per trigger, deletable). */
@Entity({ name: 'samples' })
export class SampleEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'trigger_id', type: 'text' })
  triggerId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'body_bytes', type: 'integer' })
  bodyBytes!: number;

  /** The raw body text, so big integers keep every digit; null when over the size cap. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'jsonb' })
  query!: Record<string, string>;
}

/** The merged profile of a trigger's samples: what the variable picker is built from. */
@Entity({ name: 'trigger_profiles' })
export class TriggerProfileEntity {
  @PrimaryColumn({ name: 'trigger_id', type: 'text' })
  triggerId!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'jsonb' })
  profile!: SchemaProfile;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
