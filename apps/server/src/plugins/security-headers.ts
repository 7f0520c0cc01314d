import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFileSync } from 'node:fs';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy of every response. Scripts only from this origin — no 'unsafe-inline': the
 * inline scripts that Next.js writes into its HTML are allowed one by one by hash (`htmlCsp`). Inline
 * styles are allowed (Next and the Swagger UI set style attributes; a style can't run code). Live updates
 * need the WebSocket of the same origin, which older browsers don't count as 'self'.
 */
export function baseCspDirectives(baseUrl: string): Directives {
  const url = new URL(baseUrl);
  const https = url.protocol === 'https:';
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", `${https ? 'wss' : 'ws'}://${url.host}`],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    // only over https: on a plain-http self-hosted address it would break every subresource
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

export function serializeCsp(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** `'sha256-…'` sources for the inline `<script>` elements (those without `src`) of an HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = m[1] ?? '';
    const body = m[2] ?? '';
    if (/\ssrc\s*=/i.test(attrs) || body === '') continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/**
 * `setHeaders` for @fastify/static: an HTML file gets the base policy plus the hashes of exactly its own
 * inline scripts, computed once per file version (path + mtime) when it is first served.
 */
export function htmlCsp(baseUrl: string): (reply: FastifyReply, path: string, stat: Stats) => void {
  const base = baseCspDirectives(baseUrl);
  const cache = new Map<string, { mtimeMs: number; header: string }>();
  return (reply, path, stat) => {
    if (!path.endsWith('.html')) return;
    let entry = cache.get(path);
    if (!entry || entry.mtimeMs !== stat.mtimeMs) {
      const hashes = inlineScriptHashes(readFileSync(path, 'utf8'));
      const scriptSrc = [...(base['script-src'] ?? []), ...hashes];
      entry = { mtimeMs: stat.mtimeMs, header: serializeCsp({ ...base, 'script-src': scriptSrc }) };
      cache.set(path, entry);
    }
    reply.header('content-security-policy', entry.header);
  };
}

/**
 * Security headers on every response (helmet): the CSP above, `nosniff`, `Referrer-Policy: no-referrer`,
 * `X-Frame-Options: DENY`, no `X-Powered-By`, and HSTS only when the public URL is https (on plain http a
 * browser ignores it, and a wrong one would lock users out of a self-hosted instance).
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, opts: { baseUrl: string }) => {
    const https = new URL(opts.baseUrl).protocol === 'https:';
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { useDefaults: false, directives: baseCspDirectives(opts.baseUrl) },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
    });
  },
  { name: 'security-headers' },
);
