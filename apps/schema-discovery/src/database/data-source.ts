import { createServiceDataSource } from '@hookline/persistence';
import { SampleEntity, TriggerProfileEntity } from '../samples/sample.entity';
import { InitDiscovery1764079200000 } from './migrations/1764079200000-InitDiscovery';
import { DriftAndMappedPaths1764086400000 } from './migrations/1764086400000-DriftAndMappedPaths';

export const DISCOVERY_SCHEMA = 'discovery';

export const discoveryDataSource = (url: string, poolSize?: number) =>
  createServiceDataSource({ url, poolSize, schema: DISCOVERY_SCHEMA, entities: [SampleEntity, TriggerProfileEntity], migrations: [InitDiscovery1764079200000, DriftAndMappedPaths1764086400000] });
