import { createServiceDataSource } from '@hookline/persistence';
import { ApiKeyEntity, WorkspaceEntity } from '../workspaces/workspace.entity';
import { TriggerEntity } from '../triggers/trigger.entity';
import { InitGateway1764079200000 } from './migrations/1764079200000-InitGateway';
import { TriggerVerificationAndTokenRotation1764090000000 } from './migrations/1764090000000-TriggerVerificationAndTokenRotation';

export const GATEWAY_SCHEMA = 'gateway';

export function gatewayDataSource(url: string, poolSize?: number) {
  return createServiceDataSource({
    poolSize,
    url,
    schema: GATEWAY_SCHEMA,
    entities: [WorkspaceEntity, ApiKeyEntity, TriggerEntity],
    migrations: [InitGateway1764079200000, TriggerVerificationAndTokenRotation1764090000000],
  });
}
