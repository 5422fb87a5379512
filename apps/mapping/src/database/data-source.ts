import { createServiceDataSource } from '@hookline/persistence';
import { MappingEntity, TriggerCatalogEntity } from '../mappings/mapping.entity';
import { InitMapping1764079200000 } from './migrations/1764079200000-InitMapping';

export const MAPPING_SCHEMA = 'mapping';

export const mappingDataSource = (url: string, poolSize?: number) =>
  createServiceDataSource({ url, poolSize, schema: MAPPING_SCHEMA, entities: [MappingEntity, TriggerCatalogEntity], migrations: [InitMapping1764079200000] });
