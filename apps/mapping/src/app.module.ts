import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerList, killAfterEffects } from '@hookline/config';
import { TOPICS } from '@hookline/contracts';
import { BatchingProducer, EventProducer, type HooklineKafkaServer, MessageHandler, stopConsumingFirst } from '@hookline/kafka';
import { HealthController, HealthModule, INTERNAL_TOKEN, InternalAuthGuard, MetricsController, READINESS_CHECKS, type ReadinessCheck } from '@hookline/http';
import { ServiceMetrics } from '@hookline/observability';
import { MAPPING_CONFIG, type MappingConfig } from './config/mapping.config';
import { mappingDataSource } from './database/data-source';
import { CompiledMappingsCache } from './mappings/compiled-mappings.cache';
import { MappingsConsumer } from './mappings/mappings.consumer';
import { MappingsController } from './mappings/mappings.controller';
import { MappingsRepository } from './mappings/mappings.repository';
import { ManageMappingUseCase } from './mappings/use-cases/manage-mapping.use-case';
import { MapEventUseCase } from './mappings/use-cases/map-event.use-case';
import { postgresReadiness } from '@hookline/persistence';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
  ) {}

  static register(config: MappingConfig, consumer: HooklineKafkaServer): DynamicModule {
    const metrics = new ServiceMetrics();
    metrics.consumerLag(() => consumer.lag());
    return {
      module: AppModule,
      imports: [HealthModule],
      controllers: [MappingsController, MappingsConsumer, HealthController, MetricsController],
      providers: [
        stopConsumingFirst(consumer),
        { provide: ServiceMetrics, useValue: metrics },
        { provide: MAPPING_CONFIG, useValue: config },
        { provide: INTERNAL_TOKEN, useValue: config.HOOKLINE_INTERNAL_TOKEN },
        { provide: DataSource, useFactory: () => mappingDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE).initialize() },
        { provide: EventProducer, useFactory: () => new EventProducer({ brokers: brokerList(config.KAFKA_BROKERS), clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-mapping`, topicPrefix: config.KAFKA_TOPIC_PREFIX, observer: metrics.producerObserver() }) },
        // The partitions consumed at once share produce calls for their mapped events.
        { provide: BatchingProducer, inject: [EventProducer], useFactory: (p: EventProducer) => new BatchingProducer(p) },
        { provide: MessageHandler, inject: [EventProducer], useFactory: (p: EventProducer) => new MessageHandler(p, 'mapping', undefined, { killAfterEffects: killAfterEffects(config), observer: metrics.messageObserver() }) },
        {
          provide: READINESS_CHECKS,
          inject: [EventProducer],
          useFactory: (p: EventProducer): ReadinessCheck[] => [
            // On a connection of its own: a pool busy with a backlog is not a Postgres that is down.
            { name: 'postgres', check: postgresReadiness(config.DATABASE_URL) },
            { name: 'kafka', check: () => p.ping([TOPICS.TRIGGER_MAPPED]) },
            { name: 'consumer', check: async () => consumer.isReady() },
          ],
        },
        InternalAuthGuard,
        MappingsRepository,
        CompiledMappingsCache,
        MapEventUseCase,
        ManageMappingUseCase,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
