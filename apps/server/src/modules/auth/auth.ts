import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer, jwt } from 'better-auth/plugins';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../infra/db/db.ts';
import { accounts, jwks, sessions, users, verifications } from '../../infra/db/schema.ts';
import { ensureInbox } from '../lists/lists.repository.ts';

/**
 * better-auth's own log lines, through the app's JSON logger at the app's level. Only the message and Error
 * arguments are kept: other arguments may be request data (a sign-in body holds a password).
 */
function authLogger(config: Config, log: FastifyBaseLogger | undefined) {
  if (!log || config.logLevel === 'silent') return { disabled: true };
  const level = (
    { fatal: 'error', error: 'error', warn: 'warn', info: 'info', debug: 'debug', trace: 'debug' } as const
  )[config.logLevel];
  return {
    level,
    log(lvl: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]) {
      const err = args.find((a): a is Error => a instanceof Error);
      log[lvl]({ component: 'auth', ...(err ? { err } : {}) }, message);
    },
  };
}

/** better-auth: email + password, cookie sessions, bearer tokens (the session token) and JWT with JWKS. */
export function createAuth(config: Config, db: Db, log?: FastifyBaseLogger) {
  return betterAuth({
    logger: authLogger(config, log),
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    secret: config.authSecret,
    trustedOrigins: [config.baseUrl],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications, jwks },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: {
        timeZone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
      },
    },
    // Per-IP limits are enforced by the route (see auth.routes.ts), where the socket address is known.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [bearer(), jwt()],
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await ensureInbox(db, user.id);
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
