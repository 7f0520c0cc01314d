import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** `next build` writes the web app's static export here (apps/web/out). */
export const webExportRoot = new URL('../../../web/out', import.meta.url).pathname;
/** Served instead when the export has not been built, so `/` still says the API is up. */
export const webPlaceholderRoot = new URL('../../../web/placeholder', import.meta.url).pathname;

/** Paths that belong to the server, never to the web app. */
const serverPaths = /^\/(api|mcp|healthz|readyz|metrics|dapr|job|internal|v1\.0)(\/|$)/;

/** Every exported page by its URL path: `inbox.html` → `/inbox`, `index.html` → `/`. */
function exportedPages(root: string): Map<string, string> {
  const pages = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_next') walk(full);
      } else if (entry.name.endsWith('.html')) {
        const file = relative(root, full).split(sep).join('/');
        const path = `/${file.replace(/(^|\/)index\.html$/, '').replace(/\.html$/, '')}`;
        pages.set(path.length > 1 ? path.replace(/\/$/, '') : '/', file);
      }
    }
  };
  walk(root);
  return pages;
}

/**
 * Serves the web app's static export. Files are served as they are (hashed `_next/static` assets cached
 * for a year); a page is reachable without its `.html`; any other GET that asks for HTML gets the export's
 * 404 page, while API clients keep the JSON 404. Client-side routes carry their state in the query string
 * (`/list?id=…`), so every route is one exported page.
 */
export async function webAppPlugin(
  app: FastifyInstance,
  opts: { root?: string; setHeaders?: FastifyStaticOptions['setHeaders'] } = {},
) {
  const built = opts.root ?? webExportRoot;
  const root = existsSync(join(built, 'index.html')) ? built : webPlaceholderRoot;
  if (!existsSync(root)) return;
  const pages = exportedPages(root);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders(reply, path, stat) {
      reply.header(
        'cache-control',
        path.includes(`${sep}_next${sep}static${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      opts.setHeaders?.(reply, path, stat);
    },
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0]!.replace(/\/+$/, '') || '/';
    if (serverPaths.test(path)) return reply.callNotFound();
    // the router fetches pages with `Accept: */*` too (route discovery), so a known page answers any client
    const page = pages.get(path);
    if (page) return reply.sendFile(page);
    if (pages.has('/404') && String(request.headers.accept ?? '').includes('text/html')) {
      return reply.code(404).sendFile('404.html');
    }
    return reply.callNotFound();
  });
}
