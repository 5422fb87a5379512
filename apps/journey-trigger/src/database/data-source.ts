import { createServiceDataSource } from '@hookline/persistence';
import { InitJourney1764079200000 } from './migrations/1764079200000-InitJourney';
import { IdentityGraph1764100000000 } from './migrations/1764100000000-IdentityGraph';
import { ReplayableEvents1764100000001 } from './migrations/1764100000001-ReplayableEvents';
import { Retention1764600000000 } from './migrations/1764600000000-Retention';
import { OutboxTraceparent1764700000000 } from './migrations/1764700000000-OutboxTraceparent';

export const JOURNEY_SCHEMA = 'journey';

/** journey-trigger works in plain SQL: its writes are few, transactional and hand-tuned. */
export const journeyDataSource = (url: string, poolSize?: number) =>
  createServiceDataSource({ url, poolSize, schema: JOURNEY_SCHEMA, entities: [], migrations: [InitJourney1764079200000, IdentityGraph1764100000000, ReplayableEvents1764100000001, Retention1764600000000, OutboxTraceparent1764700000000] });
