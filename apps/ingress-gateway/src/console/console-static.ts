// The web console's static files (apps/console, built by Vite into dist/apps/console), served
// at /console by Express. The webhook route never gets here: EdgeServer answers /hooks on bare
// node:http before Express sees a request.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

export const CONSOLE_PATH = '/console';

/** dist/apps/console, beside this service's build (dist/apps/ingress-gateway/src/console). */
export function defaultConsoleDir(): string {
  return resolve(__dirname, '../../../console');
}

/**
 * The console is a page of the API's own origin that holds an API key: it loads nothing from
 * elsewhere, may not be framed, and sends no Referer (webhook URLs carry their token).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function setSecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function notFound(res: Response, message: string): void {
  setSecurityHeaders(res);
  res.status(404).json({ error: { code: 'NOT_FOUND', message, details: [] } });
}

/**
 * Serves `dir` under the mount path: files as they are (Vite's hashed assets cached for a
 * year), and index.html for every other GET of a page path, so the console's own routes
 * (/console/triggers/trg_…) survive a reload. A missing file with an extension is a 404,
 * never the page. Other methods fall through to the API's 404.
 */
export function consoleStatic(dir: string): RequestHandler {
  const index = join(dir, 'index.html');
  const files = express.static(dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: (res, path) => {
      setSecurityHeaders(res);
      res.setHeader('cache-control', path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (/\.[A-Za-z0-9]+$/.test(req.path)) return notFound(res, 'not found');
    if (!existsSync(index)) return notFound(res, 'the console is not built: run `npm run build`');
    setSecurityHeaders(res);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index, (error?: Error) => {
      if (error && !res.headersSent) notFound(res, 'not found');
    });
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A path the file server refuses (one that climbs out of `dir`) is just not found.
    files(req, res, (error?: unknown) => (error ? notFound(res, 'not found') : page(req, res, next)));
  };
}
