// journey-trigger's migrations on the real Postgres: apply, re-apply, undo and apply again.
import { migrate } from '@hookline/persistence';
import { describeServiceMigrations } from '@hookline/testing';
import { journeyDataSource, JOURNEY_SCHEMA } from './data-source';

describeServiceMigrations('journey-trigger', JOURNEY_SCHEMA, journeyDataSource, migrate, { checkEntities: false });
