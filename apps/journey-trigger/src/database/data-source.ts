import { createServiceDataSource } from '@hookline/persistence';
import { InitJourney1764079200000 } from './migrations/1764079200000-InitJourney';

export const JOURNEY_SCHEMA = 'journey';

/** journey-trigger works in plain SQL: its writes are few, transactional and hand-tuned. */
export const journeyDataSource = (url: string) =>
  createServiceDataSource({ url, schema: JOURNEY_SCHEMA, entities: [], migrations: [InitJourney1764079200000] });
