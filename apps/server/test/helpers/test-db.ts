import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/infra/db/db.ts';
import { createPgliteDatabase } from '../../src/infra/db/pglite.db.ts';
import { createPostgresDatabase } from '../../src/infra/db/postgres.db.ts';

/** Set by .ci/run for the PostgreSQL pass; unset means in-memory PGlite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/**
 * A fresh database (createInfra migrates it) for one test file: in-memory PGlite, or a new database on the PostgreSQL
 * server of TEST_DATABASE_URL (dropped again on close), so test files can run in parallel.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (!testDatabaseUrl) {
    return createPgliteDatabase(undefined);
  }
  const name = `ts_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const db = createPostgresDatabase(url.toString(), 10);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: testDatabaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
