import { Controller, Get, Inject, Logger, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** One dependency's readiness: resolves true when it can serve. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
  /**
   * `system`: another service this one reports on (the gateway's view of the services behind
   * it). Left out of `/health/ready/self`, the readiness of this process alone.
   */
  scope?: 'self' | 'system';
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

let shuttingDown = false;

/** From the shutdown signal on, readiness answers 503 `shutting_down` (bootstrapService calls it first thing). */
export function markShuttingDown(): void {
  shuttingDown = true;
}

/** Terminus, without its own error log: HealthController logs each change of readiness once. */
export const HealthModule = TerminusModule.forRoot({ logger: false });

const CHECK_TIMEOUT_MS = 2_000;

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live` answers while the process runs; `/health/ready` when every dependency does
 * (terminus: `{"status": "ok" | "error" | "shutting_down", "info", "error", "details"}`, 503
 * unless ok). From SIGTERM on, readiness answers 503 `shutting_down` while the service
 * drains: its consumers stop first, with HTTP still answering.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('health');
  private lastDown: string | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = [],
  ) {}

  @Get('live')
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  @Get('ready')
  @HealthCheck()
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.run(res, this.checks);
  }

  /** This process's own dependencies only (the gateway: without the services behind it). */
  @Get('ready/self')
  @HealthCheck()
  readySelf(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.run(
      res,
      this.checks.filter((c) => c.scope !== 'system'),
    );
  }

  private async run(res: Response, checks: ReadinessCheck[]): Promise<HealthCheckResult> {
    if (shuttingDown) {
      // Before anything else stops: load balancers and Services stop sending work here.
      res.status(503);
      return { status: 'shutting_down', info: {}, error: {}, details: {} };
    }
    const indicators = checks.map((c) => async (): Promise<HealthIndicatorResult> => {
      const session = this.indicator.check(c.name);
      return (await withTimeout(c.check(), CHECK_TIMEOUT_MS)) ? session.up() : session.down();
    });
    try {
      const result = await this.health.check(indicators);
      this.changed(result);
      return result;
    } catch (error) {
      // Terminus answers 503 with its result as the body; our error filter would reshape it.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      this.changed(result);
      res.status(503);
      return result;
    }
  }

  /** One line when readiness changes, not one per probe. */
  private changed(result: HealthCheckResult): void {
    const down = result.status === 'ok' ? '' : `${result.status}: ${Object.keys(result.error ?? {}).join(', ')}`;
    if (down === (this.lastDown ?? '')) return;
    if (down) this.logger.warn({ msg: `not ready (${down})`, down: Object.keys(result.error ?? {}) });
    else if (this.lastDown !== undefined) this.logger.log('ready again');
    this.lastDown = down;
  }
}
