import type { FastifyInstance } from 'fastify';

/** A readiness check: resolves when the dependency is usable, throws otherwise. */
export type ReadinessCheck = () => Promise<void>;

/** `/healthz` answers while the process runs; `/readyz` only when every check passes (503 otherwise). */
export async function healthRoutes(app: FastifyInstance, opts: { checks: Record<string, ReadinessCheck> }) {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness: database and bus' } },
    async (_req, reply) => {
      const results: Record<string, string> = {};
      let ready = true;
      await Promise.all(
        Object.entries(opts.checks).map(async ([name, check]) => {
          try {
            await check();
            results[name] = 'ok';
          } catch (err) {
            ready = false;
            results[name] = err instanceof Error ? err.message.slice(0, 200) : 'failed';
          }
        }),
      );
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
    },
  );
}
