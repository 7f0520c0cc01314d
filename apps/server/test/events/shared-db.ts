import { sql } from 'drizzle-orm';
import { afterAll } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

/**
 * One migrated database per test file (creating and migrating one per test costs seconds on PGlite), emptied
 * of everything the event backbone writes before each use so tests stay independent.
 */
export function sharedEventDatabase(): () => Promise<Database> {
  let database: Promise<Database> | undefined;
  afterAll(async () => {
    if (database) await (await database).close();
  });
  return async () => {
    database ??= createTestDatabase().then(async (d) => {
      await d.migrate();
      return d;
    });
    const d = await database;
    await d.db.execute(
      sql`truncate outbox, inbox, consumer_offsets, dead_letters, audit_log, kv restart identity`,
    );
    return d;
  };
}
