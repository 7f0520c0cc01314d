import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const roles = ['api', 'realtime', 'recurring', 'notifier', 'audit'] as const;
export type Role = (typeof roles)[number];

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  BASE_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  ROLE: z.string().default('all'),
  EVENT_BUS: z.enum(['embedded', 'dapr']).default('embedded'),
  SCHEDULER: z.enum(['embedded', 'dapr']).default('embedded'),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3500),
  DAPR_API_TOKEN: z.string().optional(),
  APP_API_TOKEN: z.string().optional(),
  DAPR_PUBSUB: z.string().min(1).default('kafka-pubsub'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  // the assistant (issue 10); the key itself is read through the secrets port, never kept in Config
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_API_KEY_FILE: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).max(200).optional(),
  STATE_STORE: z.enum(['embedded', 'dapr']).default('embedded'),
  DAPR_STATESTORE: z.string().min(1).default('statestore'),
  SECRET_STORE: z.enum(['env', 'dapr']).default('env'),
  DAPR_SECRETSTORE: z.string().min(1).default('kubernetes'),
  CHAT_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  MCP_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  /** undefined = in-memory PGlite (tests only) */
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  baseUrl: string;
  authSecret: string;
  logLevel: (typeof logLevels)[number];
  roles: ReadonlySet<Role>;
  eventBus: 'embedded' | 'dapr';
  scheduler: 'embedded' | 'dapr';
  dapr: { httpPort: number; apiToken: string | undefined; appApiToken: string | undefined; pubsub: string };
  smtpUrl: string | undefined;
  /** sign-in / sign-up attempts per IP per minute */
  authRateLimit: number;
  dbPoolSize: number;
  /** OpenTelemetry traces: off (the SDK is not even loaded) unless `endpoint`, an OTLP/HTTP base URL, is set */
  otel: { endpoint: string | undefined; serviceName: string };
  /** webhooks may target loopback and private networks (off by default: a user's URL must not reach the server's network) */
  webhookAllowPrivate: boolean;
  /** responses are checked against their schema even where the handler builds them in it (off when NODE_ENV=production) */
  checkResponses: boolean;
  /** STATE_STORE: embedded (the kv table) or dapr (State API, component DAPR_STATESTORE) */
  state: { store: 'embedded' | 'dapr'; daprComponent: string };
  /**
   * SECRET_STORE: env (variables, or files named by `<NAME>_FILE`) or dapr (Secrets API, component
   * DAPR_SECRETSTORE). `env` holds the raw values for the env adapter; only createInfra reads them, once.
   */
  secrets: {
    store: 'env' | 'dapr';
    daprComponent: string;
    env: Readonly<Record<string, string | undefined>>;
  };
  assistant: {
    /** OpenAI-compatible endpoint; with neither a key nor a base URL the offline assistant answers */
    baseUrl: string | undefined;
    model: string;
    /** chat turns per user per minute */
    chatRateLimit: number;
    /** MCP requests per user per minute */
    mcpRateLimit: number;
  };
}

/** OPENAI_MODEL when unset: small, cheap and good at tool calls. */
const defaultModel = 'gpt-4.1-mini';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseRoles(value: string): ReadonlySet<Role> {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0 || names.includes('all')) return new Set(roles);
  const bad = names.filter((n) => !(roles as readonly string[]).includes(n));
  if (bad.length)
    throw new ConfigError(`ROLE: unknown role ${bad.join(', ')} (expected all or ${roles.join(', ')})`);
  return new Set(names as Role[]);
}

/** Reads and validates the environment once. A bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  if (e.DATABASE_URL && !e.AUTH_SECRET) {
    throw new ConfigError('AUTH_SECRET: required when DATABASE_URL is set (at least 32 characters)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    baseUrl: e.BASE_URL ?? `http://localhost:${e.PORT}`,
    authSecret: e.AUTH_SECRET ?? embeddedAuthSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    roles: parseRoles(e.ROLE),
    eventBus: e.EVENT_BUS,
    scheduler: e.SCHEDULER,
    dapr: {
      httpPort: e.DAPR_HTTP_PORT,
      apiToken: e.DAPR_API_TOKEN,
      appApiToken: e.APP_API_TOKEN,
      pubsub: e.DAPR_PUBSUB,
    },
    smtpUrl: e.SMTP_URL,
    authRateLimit: e.AUTH_RATE_LIMIT,
    dbPoolSize: e.DB_POOL_SIZE,
    otel: {
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: e.OTEL_SERVICE_NAME ?? serviceName(e.ROLE),
    },
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    checkResponses: e.NODE_ENV !== 'production',
    state: { store: e.STATE_STORE, daprComponent: e.DAPR_STATESTORE },
    secrets: {
      store: e.SECRET_STORE,
      daprComponent: e.DAPR_SECRETSTORE,
      env: { OPENAI_API_KEY: e.OPENAI_API_KEY, OPENAI_API_KEY_FILE: e.OPENAI_API_KEY_FILE },
    },
    assistant: {
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL ?? defaultModel,
      chatRateLimit: e.CHAT_RATE_LIMIT,
      mcpRateLimit: e.MCP_RATE_LIMIT,
    },
  };
}

/** `taskstream` for the all-in-one process, `taskstream-<role>` for one role (one service per Deployment). */
function serviceName(role: string): string {
  const names = role
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length === 0 || names.includes('all') ? 'taskstream' : `taskstream-${names.join('-')}`;
}

/** The embedded shape keeps a generated secret in DATA_DIR so sessions survive restarts. */
function embeddedAuthSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Config for tests: in-memory PGlite (or TEST_DATABASE_URL), fixed secret, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: undefined,
    databaseUrl: undefined,
    baseUrl: 'http://localhost:8080',
    authSecret: 'test-secret-test-secret-test-secret-0123',
    logLevel: 'silent',
    roles: new Set(roles),
    eventBus: 'embedded',
    scheduler: 'embedded',
    dapr: { httpPort: 3500, apiToken: undefined, appApiToken: undefined, pubsub: 'kafka-pubsub' },
    smtpUrl: undefined,
    authRateLimit: 10_000,
    dbPoolSize: 10,
    otel: { endpoint: undefined, serviceName: 'taskstream' },
    webhookAllowPrivate: false,
    checkResponses: true,
    state: { store: 'embedded', daprComponent: 'statestore' },
    secrets: { store: 'env', daprComponent: 'kubernetes', env: {} },
    assistant: { baseUrl: undefined, model: defaultModel, chatRateLimit: 10_000, mcpRateLimit: 10_000 },
    ...overrides,
  };
}

/** What `taskstream mcp` (stdio) needs: the running server to talk to and the user's token. */
export function loadMcpClientConfig(env: NodeJS.ProcessEnv = process.env): { url: string; token: string } {
  const parsed = z
    .object({
      TASKSTREAM_URL: z.url().default('http://localhost:8080'),
      TASKSTREAM_TOKEN: z.string().min(1, 'required: a personal access token (tsk_…) or session token'),
    })
    .safeParse({ TASKSTREAM_URL: env.TASKSTREAM_URL, TASKSTREAM_TOKEN: env.TASKSTREAM_TOKEN ?? '' });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { url: parsed.data.TASKSTREAM_URL.replace(/\/+$/, ''), token: parsed.data.TASKSTREAM_TOKEN };
}
