import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SecretBox } from '../verification/secret-box';
import { TriggerCache } from './trigger-cache';
import { ReconcileTriggerConfigsUseCase } from './use-cases/reconcile-trigger-configs.use-case';

const POLL_MS = 250;
const RETRY_MS = 5_000;

/** Runs the reconciliation once per start, as soon as the cache has read the topic, retrying until it succeeds. */
@Injectable()
export class TriggerCacheReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('trigger-cache');
  private done = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly cache: TriggerCache,
    private readonly reconcile: ReconcileTriggerConfigsUseCase,
    private readonly box: SecretBox,
  ) {}

  /** True once this process has reconciled the topic with Postgres. */
  isDone(): boolean {
    return this.done;
  }

  onApplicationBootstrap(): void {
    this.schedule(POLL_MS);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (!this.cache.isLoaded()) return this.schedule(POLL_MS);
    try {
      const count = await this.reconcile.execute();
      this.done = true;
      this.logger.log(`trigger cache loaded: ${this.cache.size} trigger(s), ${count} republished to match Postgres; new secrets are sealed with key ${this.box.keyId}`);
    } catch (error) {
      this.logger.warn(`could not reconcile the trigger cache with Postgres (retrying in ${RETRY_MS / 1000} s): ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(RETRY_MS);
    }
  }
}
