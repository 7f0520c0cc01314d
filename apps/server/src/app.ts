import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Infra } from './infra/infra.ts';
import { DaprScheduler, daprSchedulerRoutes } from './infra/scheduler/dapr.scheduler.ts';
import { auditSubscription } from './modules/audit/audit.consumer.ts';
import { auditInternalPrefix, auditInternalRoutes, auditPublicRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { createAuth } from './modules/auth/auth.ts';
import { chatRoutes } from './modules/chat/chat.routes.ts';
import { ConversationStore } from './modules/chat/conversations.store.ts';
import { daprRoutes } from './modules/dapr/dapr.routes.ts';
import { filtersRoutes } from './modules/filters/filters.routes.ts';
import { listsRoutes } from './modules/lists/lists.routes.ts';
import { mcpRoutes } from './modules/mcp/mcp.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { NotificationsService } from './modules/notifications/notifications.service.ts';
import { createNotifierRole, type NotifierRole } from './modules/notifications/notifier.role.ts';
import { quickAddRoutes } from './modules/quick-add/quick-add.routes.ts';
import { RealtimeGateway } from './modules/realtime/realtime.gateway.ts';
import { realtimeRoutes } from './modules/realtime/realtime.routes.ts';
import { recurrenceRoutes } from './modules/recurring/recurrence.routes.ts';
import { RecurringService } from './modules/recurring/recurring.service.ts';
import { reminderWriteHook } from './modules/reminders/reminders.sync.ts';
import { tagsRoutes } from './modules/tags/tags.routes.ts';
import { tasksRoutes } from './modules/tasks/tasks.routes.ts';
import { TasksService } from './modules/tasks/tasks.service.ts';
import { tokensRoutes } from './modules/tokens/tokens.routes.ts';
import { authenticatePlugin } from './plugins/authenticate.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { healthRoutes } from './plugins/health.ts';
import { quietInProcessRequests } from './plugins/in-process-logging.ts';
import { inputGuardPlugin } from './plugins/input-guard.ts';
import { logRequest } from './plugins/log-redaction.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { routeTablePlugin } from './plugins/route-table.ts';
import { htmlCsp, securityHeadersPlugin } from './plugins/security-headers.ts';
import { requestTracing } from './plugins/tracing.ts';
import { UserRateLimiter } from './plugins/user-rate-limit.ts';
import { webAppPlugin } from './plugins/web-app.ts';

export interface AppServices {
  tasks: TasksService;
  recurring: RecurringService;
  /** present when this process runs the notifier role */
  notifier?: NotifierRole;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

/** Builds the app for the configured roles. Never listens: `server.ts` does, tests use `inject()`. */
export async function buildApp(config: Config, infra: Infra): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent' ? false : { level: config.logLevel, serializers: { req: logRequest } },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    childLoggerFactory: quietInProcessRequests(infra.internalGuard),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(routeTablePlugin);
  await app.register(errorHandlerPlugin);
  // trace context (and trace_id on log lines) for every request, before anything can log
  await requestTracing(app);
  await app.register(inputGuardPlugin);
  await app.register(securityHeadersPlugin, { baseUrl: config.baseUrl });
  // before any route, so upgrade requests to non-WebSocket routes are refused cleanly
  if (config.roles.has('realtime'))
    await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const db = infra.database.db;
  const clock = infra.clock;
  const tasks = new TasksService(db, clock, () => infra.outboxWritten());
  // every role that writes tasks (api, recurring) keeps their reminder rows in step (issue 5)
  tasks.onWrite(reminderWriteHook);
  const recurring = new RecurringService(db, clock, tasks, () => infra.outboxWritten());
  const services: AppServices = { tasks, recurring };
  app.decorate('services', services);

  // registered before any route so that the document lists them all
  if (config.roles.has('api')) await app.register(openapiPlugin);
  await healthRoutes(app, {
    checks: { database: () => infra.database.ping(), bus: () => infra.bus.checkReady() },
  });

  // the realtime role authenticates WebSocket upgrades exactly like the api role's routes
  const auth =
    config.roles.has('api') || config.roles.has('realtime') ? createAuth(config, db, app.log) : undefined;
  if (auth) await app.register(authenticatePlugin, { db, auth });

  if (config.roles.has('api')) {
    await app.register(authRoutes, { auth: auth!, perMinute: config.authRateLimit });
    await app.register(
      async (v1) => {
        await v1.register(tasksRoutes, { tasks, checkResponses: config.checkResponses });
        await v1.register(quickAddRoutes, { db, clock, tasks });
        await v1.register(listsRoutes, { db, clock, tasks });
        await v1.register(filtersRoutes, { db, clock });
        await v1.register(tagsRoutes, { db });
        await v1.register(tokensRoutes, { db, clock });
        await v1.register(recurrenceRoutes, { recurring });
        await v1.register(notificationsRoutes, {
          notifications: new NotificationsService(db, clock, () => infra.outboxWritten(), {
            webhookAllowPrivate: config.webhookAllowPrivate,
          }),
        });
        await v1.register(auditPublicRoutes, { invoker: infra.invoker });
        await v1.register(chatRoutes, {
          store: new ConversationStore(infra.state, clock),
          invoker: infra.invoker,
          clock,
          model: infra.model,
          log: app.log.child({ component: 'chat' }),
          limiter: new UserRateLimiter(config.assistant.chatRateLimit, clock),
        });
      },
      { prefix: '/api/v1' },
    );
    // MCP tools for any MCP client; they reach task data through the invoker, as the caller (issue 10)
    await app.register(mcpRoutes, {
      invoker: infra.invoker,
      guard: infra.internalGuard,
      limiter: new UserRateLimiter(config.assistant.mcpRateLimit, clock),
    });
    await app.register(webAppPlugin, { setHeaders: htmlCsp(config.baseUrl) });
  }

  // ---- event roles: each registers only its own subscriptions and routes (issue 3) ----
  if (config.roles.has('audit')) {
    infra.bus.subscribe(auditSubscription(db));
    await app.register(auditInternalRoutes, { db, guard: infra.internalGuard, prefix: auditInternalPrefix });
  }
  let liveConnections: (() => number) | undefined;
  if (config.roles.has('realtime')) {
    const gateway = new RealtimeGateway({ clock }, app.log.child({ component: 'realtime' }));
    infra.bus.subscribe(gateway.subscription());
    await app.register(realtimeRoutes, { gateway, db, clock, prefix: '/api/v1' });
    app.addHook('preClose', async () => gateway.close());
    liveConnections = () => gateway.connectionCount();
  }
  if (config.eventBus === 'dapr') {
    await app.register(daprRoutes, {
      bus: infra.bus,
      db,
      pubsub: config.dapr.pubsub,
      roles: config.roles,
      guard: infra.internalGuard,
    });
  }
  if (config.roles.has('recurring')) infra.bus.subscribe(recurring.subscription());
  if (config.roles.has('notifier')) {
    const notifier = createNotifierRole({
      db,
      clock,
      scheduler: infra.scheduler,
      outboxWritten: () => infra.outboxWritten(),
      smtpUrl: config.smtpUrl,
      webhookAllowPrivate: config.webhookAllowPrivate,
      baseUrl: config.baseUrl,
      log: app.log.child({ component: 'notifier' }),
    });
    services.notifier = notifier;
    for (const sub of notifier.subscriptions) infra.bus.subscribe(sub);
    if (infra.scheduler instanceof DaprScheduler) {
      await app.register(daprSchedulerRoutes, {
        scheduler: infra.scheduler,
        guard: infra.internalGuard.requireSidecar,
      });
    }
    app.addHook('onReady', async () => notifier.start(app.log));
    app.addHook('preClose', async () => notifier.stop());
  }
  infra.invoker.attach(app);
  await metricsPlugin(app, {
    database: infra.database,
    clock,
    relaysOutbox: config.eventBus === 'dapr' && config.roles.has('api'),
    ...(liveConnections ? { websocketConnections: liveConnections } : {}),
  });
  // every role has subscribed by the time the app is ready (subscriptions are fixed from then on)
  app.addHook('onReady', async () => {
    await infra.bus.start(app.log);
  });

  app.addHook('onClose', async () => {
    await infra.close();
  });
  return app;
}
