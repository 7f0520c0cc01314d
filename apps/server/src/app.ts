import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Infra } from './infra/infra.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { createAuth } from './modules/auth/auth.ts';
import { listsRoutes } from './modules/lists/lists.routes.ts';
import { tagsRoutes } from './modules/tags/tags.routes.ts';
import { tasksRoutes } from './modules/tasks/tasks.routes.ts';
import { TasksService } from './modules/tasks/tasks.service.ts';
import { tokensRoutes } from './modules/tokens/tokens.routes.ts';
import { authenticatePlugin } from './plugins/authenticate.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { healthRoutes } from './plugins/health.ts';
import { openapiPlugin } from './plugins/openapi.ts';

export const webRoot = new URL('../../web/public', import.meta.url).pathname;

export interface AppServices {
  tasks: TasksService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

/** Builds the app for the configured roles. Never listens: `server.ts` does, tests use `inject()`. */
export async function buildApp(config: Config, infra: Infra): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorHandlerPlugin);

  const db = infra.database.db;
  const clock = infra.clock;
  const tasks = new TasksService(db, clock, () => infra.outboxWritten());
  app.decorate('services', { tasks });

  await healthRoutes(app, { checks: { database: () => infra.database.ping() } });

  if (config.roles.has('api')) {
    await app.register(openapiPlugin);
    const auth = createAuth(config, db);
    await app.register(authRoutes, { auth, perMinute: config.authRateLimit });
    await app.register(authenticatePlugin, { db, auth, clock });
    await app.register(
      async (v1) => {
        await v1.register(tasksRoutes, { tasks });
        await v1.register(listsRoutes, { db, clock });
        await v1.register(tagsRoutes, { db });
        await v1.register(tokensRoutes, { db, clock });
      },
      { prefix: '/api/v1' },
    );
    if (existsSync(webRoot)) await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  }

  app.addHook('onClose', async () => {
    await infra.close();
  });
  return app;
}
