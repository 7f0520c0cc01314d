import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { traceQueries } from '../telemetry/tracing.ts';
import { type Database, type Db, migrationsFolder } from './db.ts';
import * as schema from './schema.ts';

export function createPostgresDatabase(url: string, poolSize = 20): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (e.g. the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // A checked-out client loses that listener; if its connection dies between two queries (a transaction
  // awaiting JS), its 'error' would be unhandled and kill the process. Its next query fails instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  // database spans when tracing is on (a no-op check per query otherwise)
  pool.on('connect', (client) => traceQueries(client as unknown as Parameters<typeof traceQueries>[0]));
  const db = drizzle(pool, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: 'postgres',
    db,
    async migrate() {
      await migrate(drizzle(pool, { schema }), { migrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
