import { sql } from 'drizzle-orm';
import type { Tx } from '../db/db.ts';
import { outbox } from '../db/schema.ts';
import { buildCloudEvent, type CloudEvent, type NewEvent } from './cloud-event.ts';

/** Context a write carries into its events: when, and the request's trace. */
export interface EventContext {
  at: Date;
  traceparent: string;
  source: string;
}

/** Key of the transaction-scoped advisory lock that orders outbox appends (arbitrary, stable). */
const outboxAppendLock = 7_421_001;

/**
 * Transactional outbox: the events of a write are inserted in the write's own transaction, so they exist
 * if and only if the write committed. Publication happens later, in `seq` order.
 *
 * Readers (embedded dispatcher, relay) follow the log with `seq > position`. That is only safe if rows
 * become visible in `seq` order: two concurrent transactions could otherwise commit seq 11 before seq 10,
 * and a reader would skip 10 forever. The advisory lock, held from here to commit, makes "takes a seq" and
 * "commits" one critical section. Callers append last in their transaction, so the lock is held briefly.
 */
export async function appendEvents(tx: Tx, ctx: EventContext, events: NewEvent[]): Promise<CloudEvent[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${outboxAppendLock})`);
  const built = events.map((e) => buildCloudEvent(e, ctx.at, ctx.traceparent, ctx.source));
  await tx.insert(outbox).values(
    built.map((ce, i) => ({
      eventId: ce.id,
      topic: events[i]!.topic,
      partitionKey: ce.data.user_id,
      event: ce,
      createdAt: ctx.at,
    })),
  );
  return built;
}
