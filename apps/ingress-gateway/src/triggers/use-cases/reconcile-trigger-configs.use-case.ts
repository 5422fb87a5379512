import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nextUpdatedAt } from '../trigger.entity';
import { TriggerCache } from '../trigger-cache';
import { TriggerConfigPublisher } from '../trigger-config.publisher';
import { TriggersRepository } from '../triggers.repository';

/**
 * Postgres is the record of every trigger; the compacted config topic is what the edge
 * serves from. They can part: a trigger written before its config carried the edge's
 * settings, or a change published whose commit then failed. Once the cache has read the
 * topic, every live trigger the cache lacks, or holds at another version than Postgres, is
 * published again (row locked, `updatedAt` moved on, so the new message supersedes any
 * other). Returns how many were.
 */
@Injectable()
export class ReconcileTriggerConfigsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triggers: TriggersRepository,
    private readonly publisher: TriggerConfigPublisher,
    private readonly cache: TriggerCache,
  ) {}

  async execute(): Promise<number> {
    const stale = (await this.triggers.aliveVersions()).filter((t) => this.cache.find(t.id)?.updatedAt !== t.updatedAt.getTime());
    for (const { id } of stale) {
      const published = await this.dataSource.transaction(async (tx) => {
        const trigger = await this.triggers.lockAlive(id, tx);
        if (!trigger) return null;
        trigger.updatedAt = nextUpdatedAt(new Date(Math.max(trigger.updatedAt.getTime(), this.cache.find(id)?.updatedAt ?? 0)));
        await this.triggers.save(trigger, tx);
        return this.publisher.publish(trigger);
      });
      if (published) this.cache.apply(id, published);
    }
    return stale.length;
  }
}
