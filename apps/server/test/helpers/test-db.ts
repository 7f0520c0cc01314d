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
  const scratch = await createScratchDatabase(testDatabaseUrl);
  const db = createPostgresDatabase(scratch.url, 10);
  return {
    ...db,
    url: scratch.url,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}

/** A new, empty database on the PostgreSQL server of `adminUrl`; `drop()` removes it (and its connections). */
export async function createScratchDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ts_test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
