import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Auth } from './auth.ts';

const limitedPaths = /^\/api\/auth\/sign-(in|up)\//;

/** Mounts better-auth's handler under /api/auth/*; sign-in and sign-up are rate-limited per IP. */
export async function authRoutes(app: FastifyInstance, opts: { auth: Auth; perMinute: number }) {
  await app.register(rateLimit, {
    global: false,
    max: opts.perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip,
    allowList: (req) => !limitedPaths.test(req.url),
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { rateLimit: {} },
    schema: { hide: true },
    async handler(request, reply) {
      const url = new URL(request.url, opts.auth.options.baseURL);
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) {
        if (v === undefined) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      }
      // better-auth refuses a POST without Origin (CSRF guard). Browsers always send one; a request with no
      // cookie can't ride on a browser session, so scripts and curl get the server's own origin.
      if (!headers.has('origin') && !headers.has('cookie'))
        headers.set('origin', new URL(opts.auth.options.baseURL!).origin);
      const hasBody = request.method !== 'GET' && request.body !== undefined;
      if (hasBody) headers.set('content-type', 'application/json');
      headers.delete('content-length');
      const response = await opts.auth.handler(
        new Request(url, {
          method: request.method,
          headers,
          body: hasBody ? JSON.stringify(request.body) : undefined,
        }),
      );
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key === 'set-cookie') return;
        reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
    },
  });
}
