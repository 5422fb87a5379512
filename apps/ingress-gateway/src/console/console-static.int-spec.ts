import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { CONSOLE_PATH, consoleStatic } from './console-static';

describe('the console at /console (static files with a page fallback)', () => {
  let parent: string;
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'hookline-console-'));
    dir = join(parent, 'console');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(parent, 'outside.txt'), 'OUTSIDE');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, '.secret'), 'no');
    const app = express();
    app.use(CONSOLE_PATH, consoleStatic(dir));
    app.use((_req, res) => void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'api 404', details: [] } }));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(parent, { recursive: true, force: true });
  });

  it('serves the page at /console and /console/, not cached, with the security headers', async () => {
    for (const path of ['/console', '/console/']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it("answers the page for the console's own routes, so a reload keeps the screen", async () => {
    const res = await fetch(`${base}/console/triggers/trg_abc`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<title>console</title>');
  });

  it('serves hashed assets for a year, and a missing file is a 404, not the page', async () => {
    const asset = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1)');
    const missing = await fetch(`${base}/console/assets/gone-000.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('keeps dot files and paths outside the directory out of reach', async () => {
    expect((await fetch(`${base}/console/.secret`)).status).toBe(404);
    for (const path of ['/console/..%2foutside.txt', '/console/%2e%2e/outside.txt', '/console/assets/..%2f..%2foutside.txt']) {
      const escaped = await fetch(base + path);
      expect(escaped.status).toBeGreaterThanOrEqual(400);
      expect(await escaped.text()).not.toContain('OUTSIDE');
    }
  });

  it('leaves other methods to the API', async () => {
    const res = await fetch(`${base}/console/`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { message: 'api 404' } });
  });

  it('says the console is not built when its directory is empty', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hookline-console-empty-'));
    const app = express();
    app.use(CONSOLE_PATH, consoleStatic(empty));
    const other = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const address = other.address();
      const res = await fetch(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/console/`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('not built') } });
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
