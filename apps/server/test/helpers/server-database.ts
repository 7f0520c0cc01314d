import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/infra/db/db.ts';
import { createPgliteDatabase } from '../../src/infra/db/pglite.db.ts';
import { createPostgresDatabase } from '../../src/infra/db/postgres.db.ts';
import { createScratchDatabase } from './test-db.ts';

/**
 * Where a child server (`taskstream serve`) keeps its data, so one crash or restart scenario can run on
 * either shape: PGlite in a temp DATA_DIR (the embedded default) or a fresh PostgreSQL database.
 */
export interface ServerDatabase {
  kind: 'pglite' | 'postgres';
  /** what the child server's environment needs */
  env: Record<string, string>;
  /** the database, for assertions; on PGlite only while no server runs on it (single process) */
  open(): Promise<Database>;
  /** deletes the data (files or database) */
  remove(): Promise<void>;
}

export function pgliteServerDatabase(): ServerDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-server-'));
  return {
    kind: 'pglite',
    env: { DATA_DIR: dir },
    open: async () => createPgliteDatabase(join(dir, 'pglite')),
    async remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new database on the PostgreSQL server of `adminUrl` (default TEST_DATABASE_URL). */
export async function postgresServerDatabase(
  adminUrl = process.env.TEST_DATABASE_URL,
): Promise<ServerDatabase & { url: string }> {
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: a PostgreSQL server is needed');
  const scratch = await createScratchDatabase(adminUrl);
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-server-'));
  return {
    kind: 'postgres',
    url: scratch.url,
    env: {
      DATA_DIR: dir,
      DATABASE_URL: scratch.url,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
    },
    open: async () => createPostgresDatabase(scratch.url, 4),
    async remove() {
      await scratch.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
