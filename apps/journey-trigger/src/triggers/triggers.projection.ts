import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TriggerConfigV1 } from '@hookline/contracts';

/** journey-trigger's own copy of each trigger's settings, kept from the compacted config topic. */
@Injectable()
export class TriggersProjection {
  constructor(private readonly dataSource: DataSource) {}

  async apply(triggerId: string, config: TriggerConfigV1 | null): Promise<void> {
    if (config === null) {
      await this.dataSource.query('UPDATE journey.triggers SET deleted = true, updated_at = now() WHERE trigger_id = $1', [triggerId]);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO journey.triggers (trigger_id, workspace_id, flow_id, status, unknown_customer, deleted, updated_at)
       VALUES ($1, $2, $3, $4, $5, false, $6)
       ON CONFLICT (trigger_id) DO UPDATE SET flow_id = EXCLUDED.flow_id, status = EXCLUDED.status,
         unknown_customer = EXCLUDED.unknown_customer, deleted = false, updated_at = EXCLUDED.updated_at
       WHERE journey.triggers.updated_at <= EXCLUDED.updated_at`,
      [config.triggerId, config.workspaceId, config.flowId, config.status, config.unknownCustomer, config.updatedAt],
    );
  }
}
