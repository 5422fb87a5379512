import { Logger } from '@nestjs/common';

/**
 * Runs `task` every `everyMs`, never twice at once (a run still going when the next is due
 * skips it), logging a failure and trying again next time. `stop()` waits for a run in
 * progress: the sweeps of journey-trigger are its periodic work.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.task()
        .catch((error: unknown) => this.logger.warn(`${this.name}: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = null));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
