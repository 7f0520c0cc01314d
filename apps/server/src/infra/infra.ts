import type { Config } from '../config.ts';
import { type Clock, systemClock } from './clock/clock.ts';
import type { Database } from './db/db.ts';
import { createPgliteDatabase } from './db/pglite.db.ts';
import { createPostgresDatabase } from './db/postgres.db.ts';

/** Everything outside the process the app talks to, behind ports. Built once by `createInfra`. */
export interface Infra {
  database: Database;
  clock: Clock;
  /** Called after a transaction that appended outbox rows commits, so dispatch starts without polling. */
  outboxWritten(): void;
  close(): Promise<void>;
}

export interface InfraOverrides {
  clock?: Clock;
  database?: Database;
}

/** The one place that picks adapters from config (DESIGN §1). */
export async function createInfra(config: Config, overrides: InfraOverrides = {}): Promise<Infra> {
  const database =
    overrides.database ??
    (config.databaseUrl
      ? createPostgresDatabase(config.databaseUrl, config.dbPoolSize)
      : createPgliteDatabase(config.dataDir ? `${config.dataDir}/pglite` : undefined));
  await database.migrate();
  return {
    database,
    clock: overrides.clock ?? systemClock,
    outboxWritten() {},
    async close() {
      await database.close();
    },
  };
}
