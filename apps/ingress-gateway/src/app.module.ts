import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerList, killAfterEffects } from '@hookline/config';
import { BatchingProducer, EventProducer, type HooklineKafkaServer, MessageHandler, stopConsumingFirst } from '@hookline/kafka';
import { HealthController, HealthModule, MetricsController, READINESS_CHECKS } from '@hookline/http';
import { ServiceMetrics } from '@hookline/observability';
import { AdminTokenGuard, ApiKeyAuthenticator, ApiKeyGuard } from './auth/auth.guards';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { gatewayDataSource } from './database/data-source';
import { EdgeServer } from './edge/edge-server';
import { ForwardingMiddleware } from './forwarding/forwarding';
import { gatewayReadinessChecks } from './health.checks';
import { HooksHttpHandler } from './hooks/hooks.http-handler';
import { TokenBuckets } from './hooks/token-buckets';
import { ReceiveWebhookUseCase } from './hooks/use-cases/receive-webhook.use-case';
import { TriggerCache } from './triggers/trigger-cache';
import { TriggerCacheReconciler } from './triggers/trigger-cache.reconciler';
import { TriggerConfigConsumer } from './triggers/trigger-config.consumer';
import { TriggerConfigPublisher } from './triggers/trigger-config.publisher';
import { TriggersController } from './triggers/triggers.controller';
import { TriggersRepository } from './triggers/triggers.repository';
import { ManageTriggersUseCase } from './triggers/use-cases/manage-triggers.use-case';
import { ReconcileTriggerConfigsUseCase } from './triggers/use-cases/reconcile-trigger-configs.use-case';
import { RotateTokenUseCase } from './triggers/use-cases/rotate-token.use-case';
import { SecretBox } from './verification/secret-box';
import { CreateWorkspaceUseCase } from './workspaces/use-cases/create-workspace.use-case';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { ApiKeysController } from './workspaces/api-keys.controller';
import { ManageApiKeysUseCase } from './workspaces/use-cases/manage-api-keys.use-case';
import { GatewayMetrics } from './metrics/gateway-metrics';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
  ) {}

  /** `consumer`: the broadcast consumer of the trigger-config topic that feeds the trigger cache. */
  static register(config: GatewayConfig, consumer: HooklineKafkaServer): DynamicModule {
    const metrics = new GatewayMetrics();
    metrics.consumerLag(() => consumer.lag());
    return {
      module: AppModule,
      imports: [HealthModule],
      controllers: [WorkspacesController, ApiKeysController, TriggersController, HealthController, MetricsController, TriggerConfigConsumer],
      providers: [
        stopConsumingFirst(consumer),
        { provide: GatewayMetrics, useValue: metrics },
        { provide: ServiceMetrics, useValue: metrics },
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: DataSource,
          useFactory: async () => gatewayDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE).initialize(),
        },
        {
          provide: EventProducer,
          useFactory: () =>
            new EventProducer({ brokers: brokerList(config.KAFKA_BROKERS), clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-ingress-gateway`, topicPrefix: config.KAFKA_TOPIC_PREFIX, timeoutMs: config.PRODUCE_TIMEOUT_MS, retries: 1, observer: metrics.producerObserver() }),
        },
        {
          provide: BatchingProducer,
          inject: [EventProducer],
          // Its produce calls are measured by the EventProducer's observer.
          useFactory: (producer: EventProducer) => new BatchingProducer(producer, { maxInFlight: config.PRODUCE_MAX_IN_FLIGHT, maxQueuedMessages: config.PRODUCE_MAX_QUEUED }),
        },
        { provide: TokenBuckets, useValue: new TokenBuckets() },
        HooksHttpHandler,
        EdgeServer,
        { provide: SecretBox, useFactory: () => new SecretBox(config.encryptionKey, config.previousEncryptionKeys) },
        { provide: TriggerCache, inject: [SecretBox], useFactory: (box: SecretBox) => new TriggerCache(box, () => consumer.isCaughtUp()) },
        { provide: MessageHandler, inject: [EventProducer], useFactory: (p: EventProducer) => new MessageHandler(p, 'ingress-gateway', undefined, { killAfterEffects: killAfterEffects(config), observer: metrics.messageObserver() }) },
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, EventProducer, TriggerCache, TriggerCacheReconciler],
          useFactory: (ds: DataSource, p: EventProducer, c: TriggerCache, r: TriggerCacheReconciler) => gatewayReadinessChecks(ds, p, () => c.isLoaded() && r.isDone(), config),
        },
        ApiKeyAuthenticator,
        ApiKeyGuard,
        AdminTokenGuard,
        TriggersRepository,
        TriggerConfigPublisher,
        ManageTriggersUseCase,
        RotateTokenUseCase,
        ReconcileTriggerConfigsUseCase,
        TriggerCacheReconciler,
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
