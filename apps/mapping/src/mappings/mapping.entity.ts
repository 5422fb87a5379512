import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CatalogVariable } from '@hookline/contracts';
import type { MappingDefinition } from '@hookline/mapping-rules';

/** One saved version of a trigger's mapping; versions are never edited, only added. */
@Entity({ name: 'mappings' })
export class MappingEntity {
  @PrimaryColumn({ name: 'trigger_id', type: 'text' })
  triggerId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'jsonb' })
  definition!: MappingDefinition;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The variable catalog of a trigger, as schema-discovery last published it. */
@Entity({ name: 'trigger_catalogs' })
export class TriggerCatalogEntity {
  @PrimaryColumn({ name: 'trigger_id', type: 'text' })
  triggerId!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'jsonb' })
  variables!: CatalogVariable[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
