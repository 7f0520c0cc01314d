import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../infra/db/db.ts';
import { lists } from '../../infra/db/schema.ts';

/** Returns the user's Inbox id, creating it on first use (safe under concurrency: unique partial index). */
export async function ensureInbox(db: Executor, userId: string): Promise<string> {
  const found = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.userId, userId), eq(lists.isInbox, true)))
    .limit(1);
  if (found[0]) return found[0].id;
  await db.insert(lists).values({ userId, name: 'Inbox', isInbox: true, position: 0 }).onConflictDoNothing();
  const [row] = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.userId, userId), eq(lists.isInbox, true)))
    .limit(1);
  return row!.id;
}
