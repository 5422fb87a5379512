import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerList, killAfterEffects } from '@hookline/config';
import { TOPICS } from '@hookline/contracts';
import { EventProducer, type HooklineKafkaServer, MessageHandler, stopConsumingFirst } from '@hookline/kafka';
import { HealthController, HealthModule, INTERNAL_TOKEN, InternalAuthGuard, MetricsController, READINESS_CHECKS, type ReadinessCheck } from '@hookline/http';
import { ServiceMetrics } from '@hookline/observability';
import { DISCOVERY_CONFIG, type DiscoveryConfig } from './config/discovery.config';
import { discoveryDataSource } from './database/data-source';
import { SamplesConsumer } from './samples/samples.consumer';
import { SamplesController } from './samples/samples.controller';
import { SamplesRepository } from './samples/samples.repository';
import { ManageSamplesUseCase } from './samples/use-cases/manage-samples.use-case';
import { LiveSampler } from './samples/live-sampler';
import { SchemaPublisher } from './samples/schema-publisher';
import { RecordSampleUseCase } from './samples/use-cases/record-sample.use-case';
import { postgresReadiness } from '@hookline/persistence';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
  ) {}

  static register(config: DiscoveryConfig, consumer: HooklineKafkaServer): DynamicModule {
    const metrics = new ServiceMetrics();
    metrics.consumerLag(() => consumer.lag());
    return {
      module: AppModule,
      imports: [HealthModule],
      controllers: [SamplesController, SamplesConsumer, HealthController, MetricsController],
      providers: [
        stopConsumingFirst(consumer),
        { provide: ServiceMetrics, useValue: metrics },
        { provide: DISCOVERY_CONFIG, useValue: config },
        { provide: INTERNAL_TOKEN, useValue: config.HOOKLINE_INTERNAL_TOKEN },
        { provide: DataSource, useFactory: () => discoveryDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE).initialize() },
        { provide: EventProducer, useFactory: () => new EventProducer({ brokers: brokerList(config.KAFKA_BROKERS), clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-schema-discovery`, topicPrefix: config.KAFKA_TOPIC_PREFIX, observer: metrics.producerObserver() }) },
        { provide: MessageHandler, inject: [EventProducer], useFactory: (p: EventProducer) => new MessageHandler(p, 'schema-discovery', undefined, { killAfterEffects: killAfterEffects(config), observer: metrics.messageObserver() }) },
        {
          provide: READINESS_CHECKS,
          inject: [EventProducer],
          useFactory: (p: EventProducer): ReadinessCheck[] => [
            // On a connection of its own: a pool busy with a backlog is not a Postgres that is down.
            { name: 'postgres', check: postgresReadiness(config.DATABASE_URL) },
            { name: 'kafka', check: () => p.ping([TOPICS.TRIGGER_SCHEMA]) },
            { name: 'consumer', check: async () => consumer.isReady() },
          ],
        },
        InternalAuthGuard,
        SamplesRepository,
        RecordSampleUseCase,
        ManageSamplesUseCase,
        SchemaPublisher,
        { provide: LiveSampler, useValue: new LiveSampler(config.LIVE_SAMPLE_INTERVAL_MS) },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
