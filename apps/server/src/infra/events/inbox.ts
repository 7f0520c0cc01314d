import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/db.ts';
import { inbox } from '../db/schema.ts';

/**
 * Idempotent consumption (DESIGN §4 rule 2): runs `fn` in a transaction that first claims
 * (consumer, eventId) in the inbox. A duplicate delivery finds the claim already committed and skips `fn`;
 * if `fn` throws, the claim rolls back with everything else, so a retry runs it again.
 *
 * Concurrent deliveries of the same event serialize on the primary key: the second insert waits for the
 * first transaction and then conflicts (skip) or proceeds (the first rolled back).
 *
 * @returns true when `fn` ran, false for a duplicate.
 */
export async function consumeOnce(
  db: Db,
  consumer: string,
  eventId: string,
  fn: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(inbox)
      .values({ consumer, eventId })
      .onConflictDoNothing()
      .returning({ eventId: inbox.eventId });
    if (claimed.length === 0) return false;
    await fn(tx);
    return true;
  });
}

/**
 * `consumeOnce` for several events in one transaction: one multi-row inbox claim, then `fn` with the events
 * not consumed before (in the given order), all committed together or not at all. Claims are inserted in
 * id order, so two overlapping batches wait for each other instead of deadlocking.
 *
 * @returns the events `fn` ran for (duplicates left out).
 */
export async function consumeOnceBatch<E extends { id: string }>(
  db: Db,
  consumer: string,
  events: readonly E[],
  fn: (tx: Tx, fresh: E[]) => Promise<void>,
): Promise<E[]> {
  if (events.length === 0) return [];
  return db.transaction(async (tx) => {
    const ids = [...new Set(events.map((e) => e.id))].sort();
    const claimed = await tx
      .insert(inbox)
      .values(ids.map((eventId) => ({ consumer, eventId })))
      .onConflictDoNothing()
      .returning({ eventId: inbox.eventId });
    const mine = new Set(claimed.map((c) => c.eventId));
    const fresh = events.filter((e) => mine.delete(e.id));
    if (fresh.length > 0) await fn(tx, fresh);
    return fresh;
  });
}

/** Whether a consumer has already processed an event (tests, diagnostics). */
export async function wasConsumed(db: Db, consumer: string, eventId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: inbox.eventId })
    .from(inbox)
    .where(and(eq(inbox.consumer, consumer), eq(inbox.eventId, eventId)))
    .limit(1);
  return rows.length > 0;
}
