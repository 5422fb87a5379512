import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { ApiException, ErrorShapeFilter, INTERNAL_HEADERS } from '@hookline/http';
import { ApiKeyAuthenticator } from '../auth/auth.guards';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { TriggersRepository } from '../triggers/triggers.repository';

type Owner = 'SCHEMA_DISCOVERY_URL' | 'MAPPING_URL' | 'JOURNEY_TRIGGER_URL';

/**
 * One base URL for users: management routes owned by another service are authenticated
 * here (API key → workspace; the trigger must belong to it) and forwarded with the
 * internal token and the workspace id. The request body is streamed through untouched.
 */
export const FORWARDED_ROUTES: Array<{ pattern: RegExp; owner: Owner; triggerScoped: boolean }> = [
  { pattern: /^\/v1\/triggers\/([^/]+)\/(samples|variables|drift)(\/|$)/, owner: 'SCHEMA_DISCOVERY_URL', triggerScoped: true },
  { pattern: /^\/v1\/triggers\/([^/]+)\/mapping(\/|$)/, owner: 'MAPPING_URL', triggerScoped: true },
  { pattern: /^\/v1\/variable-sets\/?$/, owner: 'MAPPING_URL', triggerScoped: false },
  { pattern: /^\/v1\/triggers\/([^/]+)\/events(\/|$)/, owner: 'JOURNEY_TRIGGER_URL', triggerScoped: true },
  { pattern: /^\/v1\/flows\/[^/]+\/trigger\/?$/, owner: 'JOURNEY_TRIGGER_URL', triggerScoped: false },
  { pattern: /^\/v1\/customers(\/|$)/, owner: 'JOURNEY_TRIGGER_URL', triggerScoped: false },
];

@Injectable()
export class ForwardingMiddleware {
  private readonly proxies: Record<Owner, RequestHandler>;
  private readonly filter = new ErrorShapeFilter();

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly triggers: TriggersRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    const proxy = (target: string) =>
      createProxyMiddleware<Request, Response>({
        target,
        changeOrigin: true,
        xfwd: true,
        proxyTimeout: 30_000,
        on: {
          error: (_err, _req, res) => {
            const response = res as Response;
            if (!response.headersSent) response.status(503).setHeader('Retry-After', '2').json({ error: { code: 'UPSTREAM_UNAVAILABLE', message: 'the owning service is not reachable', details: [] } });
          },
        },
      });
    this.proxies = {
      SCHEMA_DISCOVERY_URL: proxy(config.SCHEMA_DISCOVERY_URL),
      MAPPING_URL: proxy(config.MAPPING_URL),
      JOURNEY_TRIGGER_URL: proxy(config.JOURNEY_TRIGGER_URL),
    };
  }

  handler(): RequestHandler {
    return (req, res, next) => {
      this.route(req, res, next).catch((error: unknown) => this.fail(error, req, res));
    };
  }

  private async route(req: Request, res: Response, next: NextFunction): Promise<void> {
    const path = req.path;
    const route = FORWARDED_ROUTES.find((r) => r.pattern.test(path));
    if (!route) return next();
    const workspaceId = await this.authenticator.workspaceOf(req);
    if (route.triggerScoped) {
      const triggerId = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
      const trigger = await this.triggers.findInWorkspace(workspaceId, triggerId);
      if (!trigger) throw new ApiException(404, 'NOT_FOUND', 'trigger not found');
    }
    for (const name of Object.keys(req.headers)) if (name.startsWith('x-hookline-')) delete req.headers[name];
    delete req.headers.authorization;
    req.headers[INTERNAL_HEADERS.TOKEN] = this.config.HOOKLINE_INTERNAL_TOKEN;
    req.headers[INTERNAL_HEADERS.WORKSPACE_ID] = workspaceId;
    this.proxies[route.owner](req, res, next);
  }

  private fail(error: unknown, req: Request, res: Response) {
    this.filter.catch(error, { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as never);
  }
}
