// ingress-gateway's migrations on the real Postgres: apply, re-apply, undo and apply again.
import { migrate } from '@hookline/persistence';
import { describeServiceMigrations } from '@hookline/testing';
import { gatewayDataSource, GATEWAY_SCHEMA } from './data-source';

describeServiceMigrations('ingress-gateway', GATEWAY_SCHEMA, gatewayDataSource, migrate, { checkEntities: true });
