import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, testConfig } from '../../src/config.ts';
import { type Clock, systemClock } from '../../src/infra/clock/clock.ts';
import { createInfra, type Infra, type InfraOverrides } from '../../src/infra/infra.ts';
import { createTestDatabase } from './test-db.ts';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  infra: Infra;
  config: Config;
  signUp(opts?: { timeZone?: string; name?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

/**
 * Builds the whole app on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL), or on
 * `infra.database` when given (a restart on the same data).
 */
export async function createTestApp(
  opts: { clock?: Clock; config?: Partial<Config>; infra?: InfraOverrides } = {},
): Promise<TestApp> {
  const config = testConfig(opts.config);
  const database = opts.infra?.database ?? (await createTestDatabase());
  const infra = await createInfra(config, { ...opts.infra, database, clock: opts.clock ?? systemClock });
  const app = await buildApp(config, infra);
  await app.ready();
  return {
    app,
    infra,
    config,
    async signUp({ timeZone, name } = {}) {
      const email = `u${randomBytes(5).toString('hex')}@example.com`;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        payload: {
          email,
          password: 'correct-horse-battery',
          name: name ?? 'Test User',
          ...(timeZone ? { timeZone } : {}),
        },
      });
      if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
      const body = res.json() as { token: string; user: { id: string } };
      return {
        id: body.user.id,
        email,
        token: body.token,
        headers: { authorization: `Bearer ${body.token}` },
      };
    },
    async close() {
      await app.close();
    },
  };
}
