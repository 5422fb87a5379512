import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerList, killAfterEffects } from '@hookline/config';
import { TOPICS } from '@hookline/contracts';
import { EventProducer, type HooklineKafkaServer, MessageHandler, stopConsumingFirst } from '@hookline/kafka';
import { HealthController, HealthModule, INTERNAL_TOKEN, InternalAuthGuard, MetricsController, READINESS_CHECKS, type ReadinessCheck } from '@hookline/http';
import { ServiceMetrics } from '@hookline/observability';
import { JOURNEY_CONFIG, type JourneyConfig } from './config/journey.config';
import { journeyDataSource } from './database/data-source';
import { CustomersController } from './customers/customers.controller';
import { GetCustomerUseCase } from './customers/use-cases/get-customer.use-case';
import { IdentifyCustomerUseCase } from './customers/use-cases/identify-customer.use-case';
import { EventLogRepository } from './events/event-log.repository';
import { EventsController } from './events/events.controller';
import { RecordReceivedUseCase } from './events/use-cases/record-received.use-case';
import { ReplayEventUseCase } from './events/use-cases/replay-event.use-case';
import { FlowsController } from './journeys/flows.controller';
import { IdentityRepository } from './journeys/identity.repository';
import { JourneysConsumer } from './journeys/journeys.consumer';
import { SweepParkedUseCase } from './journeys/use-cases/sweep-parked.use-case';
import { SweepRetentionUseCase } from './retention/sweep-retention.use-case';
import { TriggerFlowUseCase } from './journeys/use-cases/trigger-flow.use-case';
import { TriggerJourneyUseCase } from './journeys/use-cases/trigger-journey.use-case';
import { Outbox } from './outbox/outbox';
import { TriggersProjection } from './triggers/triggers.projection';
import { postgresReadiness } from '@hookline/persistence';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
  ) {}

  static register(config: JourneyConfig, consumer: HooklineKafkaServer): DynamicModule {
    const metrics = new ServiceMetrics();
    metrics.consumerLag(() => consumer.lag());
    return {
      module: AppModule,
      imports: [HealthModule],
      controllers: [EventsController, FlowsController, CustomersController, JourneysConsumer, HealthController, MetricsController],
      providers: [
        stopConsumingFirst(consumer),
        { provide: ServiceMetrics, useValue: metrics },
        { provide: JOURNEY_CONFIG, useValue: config },
        { provide: INTERNAL_TOKEN, useValue: config.HOOKLINE_INTERNAL_TOKEN },
        { provide: DataSource, useFactory: () => journeyDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE).initialize() },
        { provide: EventProducer, useFactory: () => new EventProducer({ brokers: brokerList(config.KAFKA_BROKERS), clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-journey-trigger`, topicPrefix: config.KAFKA_TOPIC_PREFIX, observer: metrics.producerObserver() }) },
        { provide: MessageHandler, inject: [EventProducer], useFactory: (p: EventProducer) => new MessageHandler(p, 'journey-trigger', undefined, { killAfterEffects: killAfterEffects(config), observer: metrics.messageObserver() }) },
        {
          provide: READINESS_CHECKS,
          inject: [EventProducer],
          useFactory: (p: EventProducer): ReadinessCheck[] => [
            // On a connection of its own: a pool busy with a backlog is not a Postgres that is down.
            { name: 'postgres', check: postgresReadiness(config.DATABASE_URL) },
            { name: 'kafka', check: () => p.ping([TOPICS.JOURNEY_TRIGGERED]) },
            { name: 'consumer', check: async () => consumer.isReady() },
          ],
        },
        InternalAuthGuard,
        EventLogRepository,
        IdentityRepository,
        Outbox,
        TriggersProjection,
        TriggerJourneyUseCase,
        TriggerFlowUseCase,
        SweepParkedUseCase,
        SweepRetentionUseCase,
        IdentifyCustomerUseCase,
        GetCustomerUseCase,
        RecordReceivedUseCase,
        ReplayEventUseCase,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
