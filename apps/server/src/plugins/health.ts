import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { json } from './openapi.responses.ts';

/** A readiness check: resolves when the dependency is usable, throws otherwise. */
export type ReadinessCheck = () => Promise<void>;

const liveness = z.object({ status: z.literal('ok') });
const readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.string()).describe('per dependency: "ok", or why it is not'),
  })
  .meta({
    id: 'Readiness',
    description: 'Whether every dependency is usable',
    examples: [{ status: 'ready', checks: { database: 'ok', bus: 'ok' } }],
  });

/** `/healthz` answers while the process runs; `/readyz` only when every check passes (503 otherwise). */
export async function healthRoutes(app: FastifyInstance, opts: { checks: Record<string, ReadinessCheck> }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['health'], security: [] };
  r.get(
    '/healthz',
    {
      schema: {
        ...schema,
        operationId: 'getLiveness',
        summary: 'Liveness',
        response: { 200: json(liveness, 'The process is running') },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      schema: {
        ...schema,
        operationId: 'getReadiness',
        summary: 'Readiness: database and bus',
        response: {
          200: json(readiness, 'Ready to serve'),
          503: json(readiness, 'A dependency is not usable; `checks` says which'),
        },
      },
    },
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
