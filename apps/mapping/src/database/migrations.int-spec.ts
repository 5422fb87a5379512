// mapping's migrations on the real Postgres: apply, re-apply, undo and apply again.
import { migrate } from '@hookline/persistence';
import { describeServiceMigrations } from '@hookline/testing';
import { mappingDataSource, MAPPING_SCHEMA } from './data-source';

describeServiceMigrations('mapping', MAPPING_SCHEMA, mappingDataSource, migrate, { checkEntities: true });
