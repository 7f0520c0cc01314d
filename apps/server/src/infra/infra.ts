import type { Model } from '@openai/agents';
import type { Config } from '../config.ts';
import { type Clock, systemClock } from './clock/clock.ts';
import type { Database } from './db/db.ts';
import { createPgliteDatabase } from './db/pglite.db.ts';
import { createPostgresDatabase } from './db/postgres.db.ts';
import { DaprEventBus } from './events/dapr.event-bus.ts';
import { EmbeddedEventBus } from './events/embedded.event-bus.ts';
import type { EventBus } from './events/event-bus.ts';
import { DaprInvokeTransport } from './invoke/dapr.invoke.ts';
import { RoleInvoker } from './invoke/embedded.invoke.ts';
import { InternalCallGuard } from './invoke/internal-guard.ts';
import { DaprScheduler } from './scheduler/dapr.scheduler.ts';
import { EmbeddedScheduler } from './scheduler/embedded.scheduler.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import { DaprSecrets } from './secrets/dapr.secrets.ts';
import { EnvSecrets } from './secrets/env.secrets.ts';
import type { Secrets } from './secrets/secrets.ts';
import { DaprStateStore } from './state/dapr.state.ts';
import { EmbeddedStateStore } from './state/embedded.state.ts';
import type { StateStore } from './state/state.ts';
import { startTracing, stopTracing } from './telemetry/tracing.ts';

/** Everything outside the process the app talks to, behind ports. Built once by `createInfra`. */
export interface Infra {
  database: Database;
  clock: Clock;
  /** Called after a transaction that appended outbox rows commits, so dispatch starts without polling. */
  outboxWritten(): void;
  /** EVENT_BUS: embedded (the outbox dispatched in process) or dapr (relay + sidecar subscriptions). */
  bus: EventBus;
  /** Calls between roles: in process when the target role runs here, else through the Dapr sidecar. */
  invoker: RoleInvoker;
  /** Who may call internal and Dapr-facing routes. */
  internalGuard: InternalCallGuard;
  /** SCHEDULER: embedded (timers table) or dapr (Jobs API); started by the notifier role. */
  scheduler: Scheduler;
  /** STATE_STORE: embedded (kv table) or dapr (State API); chat history lives here. */
  state: StateStore;
  /** SECRET_STORE: env / files, or the Dapr Secrets API. */
  secrets: Secrets;
  /** The assistant's model; undefined = no model configured, the offline assistant answers. */
  model: Model | undefined;
  close(): Promise<void>;
}

export interface InfraOverrides {
  clock?: Clock;
  database?: Database;
  bus?: EventBus;
  scheduler?: Scheduler;
  state?: StateStore;
  /** null forces the offline assistant even when a model is configured */
  model?: Model | null;
}

/** The one place that picks adapters from config (DESIGN §1). */
export async function createInfra(config: Config, overrides: InfraOverrides = {}): Promise<Infra> {
  const tracing = config.otel.endpoint !== undefined;
  if (tracing) await startTracing({ endpoint: config.otel.endpoint!, serviceName: config.otel.serviceName });
  const database =
    overrides.database ??
    (config.databaseUrl
      ? createPostgresDatabase(config.databaseUrl, config.dbPoolSize)
      : createPgliteDatabase(config.dataDir ? `${config.dataDir}/pglite` : undefined));
  await database.migrate();
  const clock = overrides.clock ?? systemClock;
  const sidecarUrl = `http://127.0.0.1:${config.dapr.httpPort}`;
  const bus =
    overrides.bus ??
    (config.eventBus === 'dapr'
      ? new DaprEventBus(database.db, clock, {
          sidecarUrl,
          apiToken: config.dapr.apiToken,
          pubsub: config.dapr.pubsub,
          relay: config.roles.has('api'),
        })
      : new EmbeddedEventBus(database.db));
  const internalGuard = new InternalCallGuard({
    sidecar: config.eventBus === 'dapr' || config.scheduler === 'dapr',
    appApiToken: config.dapr.appApiToken,
  });
  const invoker = new RoleInvoker(
    config.roles,
    internalGuard,
    config.eventBus === 'dapr'
      ? new DaprInvokeTransport({ sidecarUrl, apiToken: config.dapr.apiToken })
      : undefined,
  );
  const scheduler =
    overrides.scheduler ??
    (config.scheduler === 'dapr'
      ? new DaprScheduler({ httpPort: config.dapr.httpPort, apiToken: config.dapr.apiToken })
      : new EmbeddedScheduler({ db: database.db, clock }));
  const state =
    overrides.state ??
    (config.state.store === 'dapr'
      ? new DaprStateStore({ sidecarUrl, apiToken: config.dapr.apiToken, store: config.state.daprComponent })
      : new EmbeddedStateStore(database.db));
  const secrets: Secrets =
    config.secrets.store === 'dapr'
      ? new DaprSecrets({ sidecarUrl, apiToken: config.dapr.apiToken, store: config.secrets.daprComponent })
      : new EnvSecrets(config.secrets.env);
  const model =
    overrides.model === undefined ? await createModel(config, secrets) : (overrides.model ?? undefined);
  return {
    database,
    clock,
    outboxWritten() {
      bus.notify();
    },
    bus,
    invoker,
    internalGuard,
    scheduler,
    state,
    secrets,
    model,
    async close() {
      // no trigger may start while the bus and the database shut down
      await scheduler.stop();
      // handlers finish and offsets are saved before the database goes away
      await bus.stop();
      await database.close();
      // the last spans (shutdown included) are flushed to the collector
      if (tracing) await stopTracing();
    },
  };
}

/**
 * An OpenAI-compatible Chat Completions model when OPENAI_API_KEY (read once, through the secrets port) or
 * OPENAI_BASE_URL is set — Chat Completions because local servers (Ollama, vLLM, llama.cpp) speak it too.
 * Loaded on demand so a process without a model never loads the OpenAI client.
 */
async function createModel(config: Config, secrets: Secrets): Promise<Model | undefined> {
  const apiKey = await secrets.get('OPENAI_API_KEY');
  if (!apiKey && !config.assistant.baseUrl) return undefined;
  const { OpenAIProvider } = await import('@openai/agents');
  const provider = new OpenAIProvider({
    // local servers accept any key; the client refuses to start without one
    apiKey: apiKey ?? 'unused',
    ...(config.assistant.baseUrl ? { baseURL: config.assistant.baseUrl } : {}),
    useResponses: false,
  });
  return provider.getModel(config.assistant.model);
}
