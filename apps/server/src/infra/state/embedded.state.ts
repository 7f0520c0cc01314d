import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/db.ts';
import { kv } from '../db/schema.ts';
import { StateConflictError, type StateEntry, type StateStore, type StateWriteOptions } from './state.ts';

/** Our etags are the row's integer version; anything else cannot match (as a non-UUID etag on Dapr's pg v2). */
function version(etag: string): number | undefined {
  return /^\d{1,9}$/.test(etag) ? Number(etag) : undefined;
}

/** State store on the `kv` table (the embedded shape). The etag is a version bumped on every write. */
export class EmbeddedStateStore implements StateStore {
  constructor(private readonly db: Db) {}

  async get<T>(key: string): Promise<StateEntry<T> | undefined> {
    const [row] = await this.db.select().from(kv).where(eq(kv.key, key)).limit(1);
    return row ? { value: row.value as T, etag: String(row.etag) } : undefined;
  }

  async set(key: string, value: unknown, opts: StateWriteOptions = {}): Promise<void> {
    const json = value as object;
    if (opts.etag === undefined) {
      await this.db
        .insert(kv)
        .values({ key, value: json })
        .onConflictDoUpdate({
          target: kv.key,
          set: { value: json, etag: sql`${kv.etag} + 1`, updatedAt: sql`now()` },
        });
      return;
    }
    if (opts.etag === null) {
      const inserted = await this.db
        .insert(kv)
        .values({ key, value: json })
        .onConflictDoNothing()
        .returning({ key: kv.key });
      if (inserted.length === 0) throw new StateConflictError(`state key ${key} already exists`);
      return;
    }
    const v = version(opts.etag);
    const updated =
      v === undefined
        ? []
        : await this.db
            .update(kv)
            .set({ value: json, etag: sql`${kv.etag} + 1`, updatedAt: sql`now()` })
            .where(and(eq(kv.key, key), eq(kv.etag, v)))
            .returning({ key: kv.key });
    if (updated.length === 0) throw new StateConflictError(`state key ${key}: etag mismatch`);
  }

  async delete(key: string, opts: { etag?: string } = {}): Promise<void> {
    if (opts.etag === undefined) {
      await this.db.delete(kv).where(eq(kv.key, key));
      return;
    }
    const v = version(opts.etag);
    const deleted =
      v === undefined
        ? []
        : await this.db
            .delete(kv)
            .where(and(eq(kv.key, key), eq(kv.etag, v)))
            .returning({ key: kv.key });
    if (deleted.length === 0) {
      // deleting a key that is already gone is not a conflict
      if (await this.get(key)) throw new StateConflictError(`state key ${key}: etag mismatch`);
    }
  }
}
