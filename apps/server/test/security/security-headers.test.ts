import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlCsp, inlineScriptHashes, securityHeadersPlugin } from '../../src/plugins/security-headers.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

let t: TestApp;
let u: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp();
});
afterAll(() => t.close());

function directives(header: string | undefined): Map<string, string[]> {
  expect(header, 'content-security-policy').toBeTruthy();
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name ?? '', values]),
  );
}

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('security headers', () => {
  it('/ and /api/v1/tasks carry a CSP without inline scripts, nosniff, frame and referrer policies', async () => {
    for (const [url, headers] of [
      ['/', {}],
      ['/api/v1/tasks', u.headers],
      ['/api/v1/tasks', {}],
      ['/healthz', {}],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      const csp = directives(res.headers['content-security-policy'] as string);
      expect(csp.get('script-src'), url).not.toContain("'unsafe-inline'");
      expect(csp.get('script-src')?.[0], url).toBe("'self'");
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('connect-src'), url).toEqual(["'self'", 'ws://localhost:8080']);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('the web root allows exactly the inline scripts of the page it serves', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    if (res.statusCode !== 200) return; // no web build in this checkout: covered by the next test
    const allowed = directives(res.headers['content-security-policy'] as string).get('script-src') ?? [];
    expect(allowed.slice(1).sort()).toEqual(inlineScriptHashes(res.body).sort());
  });

  it('hashes every inline script of an HTML file, and only those, on the static route', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ts-web-'));
    const a = 'self.__next_f=self.__next_f||[]';
    const b = 'self.__next_f.push([1,"x"])';
    writeFileSync(
      join(root, 'index.html'),
      `<html><head><script src="/_next/app.js" async=""></script><script>${a}</script></head>` +
        `<body><script>${b}</script><SCRIPT type="module">${a}</SCRIPT></body></html>`,
    );
    writeFileSync(join(root, 'app.js'), 'console.log(1)');
    const app = Fastify();
    await app.register(securityHeadersPlugin, { baseUrl: 'https://tasks.example.com' });
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      setHeaders: htmlCsp('https://tasks.example.com'),
    });
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      const csp = directives(page.headers['content-security-policy'] as string);
      expect(csp.get('script-src')?.sort()).toEqual(["'self'", sha(a), sha(b)].sort());
      expect(csp.get('connect-src')).toEqual(["'self'", 'wss://tasks.example.com']);
      expect(csp.has('upgrade-insecure-requests')).toBe(true);
      expect(page.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      const js = await app.inject({ method: 'GET', url: '/app.js' });
      expect(directives(js.headers['content-security-policy'] as string).get('script-src')).toEqual([
        "'self'",
      ]);
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the API docs are served under the same policy', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(directives(ui.headers['content-security-policy'] as string).get('script-src')).not.toContain(
      "'unsafe-inline'",
    );
    // the UI's page loads only its own scripts (no inline script to allow)
    expect(inlineScriptHashes(ui.body)).toEqual([]);
  });
});
