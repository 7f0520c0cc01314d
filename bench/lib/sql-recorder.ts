/**
 * Captures the SQL the app actually runs (through Drizzle's logger), so a benchmark can time the very same
 * statement with the driver alone and compare.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Logger } from 'drizzle-orm/logger';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Database, Db } from '../../apps/server/src/infra/db/db.ts';
import { migrationsFolder } from '../../apps/server/src/infra/db/db.ts';
import { pgliteExtensions } from '../../apps/server/src/infra/db/pglite.db.ts';
import * as schema from '../../apps/server/src/infra/db/schema.ts';

export interface CapturedQuery {
  text: string;
  params: unknown[];
}

export class SqlRecorder implements Logger {
  recording = false;
  readonly queries: CapturedQuery[] = [];

  logQuery(text: string, params: unknown[]): void {
    if (this.recording) this.queries.push({ text, params: [...params] });
  }

  /** Records the queries `run` causes and returns them. */
  async capture(run: () => Promise<unknown>): Promise<CapturedQuery[]> {
    this.queries.length = 0;
    this.recording = true;
    try {
      await run();
    } finally {
      this.recording = false;
    }
    return [...this.queries];
  }
}

/** A PostgreSQL Database port whose queries go through `recorder` (a small pool: it only captures). */
export function recordingPostgres(url: string, recorder: SqlRecorder): Database {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema, logger: recorder }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async migrate() {},
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * In-memory PGlite with the embedded adapter's extensions, but logging through `recorder` and exposing the
 * client so the same statements can be timed on it directly.
 */
export function recordingPglite(recorder: SqlRecorder): { database: Database; client: PGlite } {
  const client = new PGlite({ extensions: pgliteExtensions });
  const db = drizzlePglite(client, { schema, logger: recorder }) as unknown as Db;
  const database: Database = {
    kind: 'pglite',
    db,
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
  return { database, client };
}
