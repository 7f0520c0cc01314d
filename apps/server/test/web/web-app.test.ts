import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandlerPlugin } from '../../src/plugins/error-handler.ts';
import { webAppPlugin } from '../../src/plugins/web-app.ts';

async function appFor(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(errorHandlerPlugin);
  app.get('/api/v1/ping', async () => ({ ok: true }));
  await app.register(webAppPlugin, { root });
  return app;
}

describe('web app serving (static export)', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ts-export-'));
    mkdirSync(join(root, '_next/static/chunks'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<html>home</html>');
    writeFileSync(join(root, 'inbox.html'), '<html>inbox</html>');
    writeFileSync(join(root, '404.html'), '<html>not found</html>');
    writeFileSync(join(root, '_next/static/chunks/a1.js'), 'console.log(1)');
    app = await appFor(root);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a page at its path without .html, for any Accept (the router fetches pages too)', async () => {
    for (const accept of ['text/html', '*/*']) {
      const res = await app.inject({ url: '/inbox?x=1', headers: { accept } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('<html>inbox</html>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    expect((await app.inject({ url: '/' })).body).toBe('<html>home</html>');
  });

  it('caches hashed assets for a year', async () => {
    const res = await app.inject({ url: '/_next/static/chunks/a1.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it("answers an unknown page with the export's 404 page to browsers and JSON to API clients", async () => {
    const html = await app.inject({ url: '/nowhere', headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(404);
    expect(html.body).toBe('<html>not found</html>');
    const json = await app.inject({ url: '/nowhere', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('NOT_FOUND');
  });

  it('never answers server paths with a page', async () => {
    const res = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ url: '/api/v1/ping' })).json()).toEqual({ ok: true });
  });

  it('falls back to the placeholder page when the export has not been built', async () => {
    const missing = await appFor(join(root, 'does-not-exist'));
    try {
      const res = await missing.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('The API is running');
    } finally {
      await missing.close();
    }
  });
});
