// schema-discovery's migrations on the real Postgres: apply, re-apply, undo and apply again.
import { migrate } from '@hookline/persistence';
import { describeServiceMigrations } from '@hookline/testing';
import { discoveryDataSource, DISCOVERY_SCHEMA } from './data-source';

describeServiceMigrations('schema-discovery', DISCOVERY_SCHEMA, discoveryDataSource, migrate, { checkEntities: true });
