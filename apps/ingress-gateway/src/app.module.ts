import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerList } from '@hookline/config';
import { EventProducer } from '@hookline/kafka';
import { HealthController, READINESS_CHECKS } from '@hookline/http';
import { AdminTokenGuard, ApiKeyAuthenticator, ApiKeyGuard } from './auth/auth.guards';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { gatewayDataSource } from './database/data-source';
import { ForwardingMiddleware } from './forwarding/forwarding';
import { gatewayReadinessChecks } from './health.checks';
import { HooksController } from './hooks/hooks.controller';
import { ReceiveWebhookUseCase } from './hooks/use-cases/receive-webhook.use-case';
import { TriggerConfigPublisher } from './triggers/trigger-config.publisher';
import { TriggersController } from './triggers/triggers.controller';
import { TriggersRepository } from './triggers/triggers.repository';
import { ManageTriggersUseCase } from './triggers/use-cases/manage-triggers.use-case';
import { CreateWorkspaceUseCase } from './workspaces/use-cases/create-workspace.use-case';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { ApiKeysController } from './workspaces/api-keys.controller';
import { ManageApiKeysUseCase } from './workspaces/use-cases/manage-api-keys.use-case';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
  ) {}

  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [WorkspacesController, ApiKeysController, TriggersController, HooksController, HealthController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: DataSource,
          useFactory: async () => gatewayDataSource(config.DATABASE_URL).initialize(),
        },
        {
          provide: EventProducer,
          useFactory: () =>
            new EventProducer({ brokers: brokerList(config.KAFKA_BROKERS), clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-ingress-gateway`, topicPrefix: config.KAFKA_TOPIC_PREFIX, timeoutMs: config.PRODUCE_TIMEOUT_MS, retries: 1 }),
        },
        { provide: READINESS_CHECKS, inject: [DataSource, EventProducer], useFactory: (ds: DataSource, p: EventProducer) => gatewayReadinessChecks(ds, p, config) },
        ApiKeyAuthenticator,
        ApiKeyGuard,
        AdminTokenGuard,
        TriggersRepository,
        TriggerConfigPublisher,
        ManageTriggersUseCase,
        CreateWorkspaceUseCase,
        ManageApiKeysUseCase,
        ReceiveWebhookUseCase,
        ForwardingMiddleware,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
