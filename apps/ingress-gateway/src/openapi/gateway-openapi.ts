// The one OpenAPI document of the one base URL: the gateway's own routes (from its
// controllers), the webhook route (described by hand: it runs outside Nest), and the routes
// it forwards, as each owning service describes them from its own controllers (each serves
// its document at /openapi.json; fetched, cached and merged here). Browsable at /docs.
import { join } from 'node:path';
import express, { type Application, type Request, type Response, type Router } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway.config';
import { WEBHOOK_PATHS } from './webhook-route.openapi';

type Owner = 'schema-discovery' | 'mapping' | 'journey-trigger';

interface Fragment {
  document: OpenAPIObject;
  fetchedAt: number;
}

/** A service's document is fetched again after this; meanwhile the cached one is served. */
const REFRESH_MS = 60_000;

export class GatewayOpenApi {
  private readonly logger = new Logger('openapi');
  private readonly fragments = new Map<Owner, Fragment>();
  private readonly owners: Record<Owner, string>;

  constructor(
    private readonly own: OpenAPIObject,
    config: Pick<GatewayConfig, 'SCHEMA_DISCOVERY_URL' | 'MAPPING_URL' | 'JOURNEY_TRIGGER_URL' | 'publicBaseUrl'>,
  ) {
    this.owners = { 'schema-discovery': config.SCHEMA_DISCOVERY_URL, mapping: config.MAPPING_URL, 'journey-trigger': config.JOURNEY_TRIGGER_URL };
    this.own.servers = [{ url: config.publicBaseUrl }];
  }

  /** `GET /openapi.json` and the Swagger UI at `/docs`. */
  install(app: NestExpressApplication): void {
    (app.getHttpAdapter().getInstance() as Application).get('/openapi.json', (_req: Request, res: Response) => {
      this.document().then(
        (document) => {
          res.setHeader('cache-control', 'no-cache');
          res.json(document);
        },
        (error: unknown) => {
          res.status(503).setHeader('Retry-After', '2');
          res.json({ error: { code: 'UPSTREAM_UNAVAILABLE', message: error instanceof Error ? error.message : String(error), details: [] } });
        },
      );
    });
    app.use('/docs', swaggerUi());
  }

  /** The merged document; rejects while a service behind the gateway has never answered with its own. */
  async document(): Promise<OpenAPIObject> {
    const missing: Owner[] = [];
    await Promise.all(
      (Object.keys(this.owners) as Owner[]).map(async (owner) => {
        const cached = this.fragments.get(owner);
        if (cached && Date.now() - cached.fetchedAt < REFRESH_MS) return;
        const refreshed = this.fetchFragment(owner);
        // Stale is better than nothing: a cached document is served while it refreshes.
        if (cached) void refreshed;
        else if (!(await refreshed)) missing.push(owner);
      }),
    );
    if (missing.length > 0) throw new Error(`the API description of ${missing.join(', ')} is not available yet; retry later`);
    return merge(this.own, [...this.fragments.values()].map((f) => f.document));
  }

  private async fetchFragment(owner: Owner): Promise<boolean> {
    try {
      const res = await fetch(`${this.owners[owner]}/openapi.json`, { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
      this.fragments.set(owner, { document: (await res.json()) as OpenAPIObject, fetchedAt: Date.now() });
      return true;
    } catch (error) {
      this.logger.warn(`could not fetch the OpenAPI document of ${owner}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}

/** The gateway's document with the webhook route and each service's paths, schemas and tags. */
export function merge(own: OpenAPIObject, fragments: OpenAPIObject[]): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = { ...WEBHOOK_PATHS, ...own.paths };
  const schemas = { ...own.components?.schemas };
  const tags = new Map((own.tags ?? []).map((t) => [t.name, t]));
  for (const fragment of fragments) {
    for (const [path, item] of Object.entries(fragment.paths ?? {})) paths[path] = { ...paths[path], ...item };
    Object.assign(schemas, fragment.components?.schemas);
    for (const tag of fragment.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  // Every operation's tag, listed, so the page shows them in the order a user meets them.
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item ?? {})) {
      for (const name of (operation as { tags?: string[] } | undefined)?.tags ?? []) if (!tags.has(name)) tags.set(name, { name });
    }
  }
  return {
    ...own,
    info: {
      title: 'Hookline',
      version: own.info.version,
      description:
        'Webhook triggers for customer journeys: the public webhook route and the management API, both at one base URL. Management routes take a workspace API key as a bearer token, except `POST /v1/workspaces` (the admin token). Errors always have the shape `{"error": {"code", "message", "details"}}`.',
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { ...own.components, schemas },
    tags: [...tags.values()].sort((a, b) => tagRank(a.name) - tagRank(b.name)),
  };
}

const TAG_ORDER = ['webhooks', 'workspaces', 'triggers', 'samples and variables', 'mapping', 'event log', 'trigger a flow', 'customers'];
const tagRank = (name: string) => (TAG_ORDER.includes(name) ? TAG_ORDER.indexOf(name) : TAG_ORDER.length);

/** Swagger UI (swagger-ui-dist) on /docs, reading /openapi.json; no inline script, for a strict CSP. */
function swaggerUi(): Router {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const assets = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  const router = express.Router();
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Hookline API</title><link rel="icon" type="image/png" href="/docs/favicon-32x32.png"><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body>
</html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  router.get('/', (_req, res) => void res.type('html').send(page));
  router.get('/init.js', (_req, res) => void res.type('application/javascript').send(init));
  router.get(['/swagger-ui.css', '/swagger-ui-bundle.js', '/favicon-32x32.png'], (req, res) => res.sendFile(join(assets, req.path)));
  return router;
}
