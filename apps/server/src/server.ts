import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { createInfra } from './infra/infra.ts';

/** config → infra → app → listen, with graceful shutdown on SIGINT/SIGTERM (drain, then close infra). */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const infra = await createInfra(config);
  const app = await buildApp(config, infra);
  await app.listen({ port: config.port, host: config.host });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return app;
}
