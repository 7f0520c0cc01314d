import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route of this app, as registered (HEAD left out: it is its GET route) */
    routeTable: readonly RouteEntry[];
  }
}

/**
 * Records the route table. Registered before every route, so nothing escapes it; the authorisation-matrix
 * test walks it, which is why a new route can't go untested.
 */
export const routeTablePlugin = fp(
  async (app: FastifyInstance) => {
    const routes: RouteEntry[] = [];
    app.decorate('routeTable', routes);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        // HEAD runs the GET route's handler and hooks, so it is covered with it
        if (method === 'HEAD') continue;
        routes.push({ method, url: route.url });
      }
    });
  },
  { name: 'route-table' },
);
