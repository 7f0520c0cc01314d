import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { traceQueries } from '../telemetry/tracing.ts';
import { type Database, type Db, migrationsFolder } from './db.ts';
import * as schema from './schema.ts';

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined means in memory (tests).
 * drizzle-kit's own migrate loads no extensions, so migrations are applied here with pg_trgm and btree_gin loaded.
 */
/** Extensions the migrations need (pg_trgm for fuzzy search, btree_gin for the per-user search index). */
export const pgliteExtensions = { pg_trgm, btree_gin };

/**
 * PGlite hands Postgres its shared memory zero-filled, so all of `shared_buffers` (128 MB by default) is
 * resident from the first second. 32 MB holds a personal instance's working set; other pages are read back
 * from the data directory. A start parameter rather than `postgresqlconf`, which writes postgresql.conf into
 * the data directory.
 */
const sharedBuffers = '32MB';

export function createPgliteDatabase(dataDir: string | undefined): Database {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    extensions: pgliteExtensions,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`],
  });
  // database spans when tracing is on, in and out of transactions (a no-op check per query otherwise)
  traceQueries(client);
  const transaction = client.transaction.bind(client);
  client.transaction = (fn) =>
    transaction((tx) => {
      traceQueries(tx);
      return fn(tx);
    });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async migrate() {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
