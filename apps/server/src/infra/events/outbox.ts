import type { Tx } from '../db/db.ts';
import { outbox } from '../db/schema.ts';
import { buildCloudEvent, type CloudEvent, type NewEvent } from './cloud-event.ts';

/** Context a write carries into its events: when, and the request's trace. */
export interface EventContext {
  at: Date;
  traceparent: string;
  source: string;
}

/**
 * Transactional outbox: the events of a write are inserted in the write's own transaction, so they exist
 * if and only if the write committed. Publication happens later, in `seq` order.
 */
export async function appendEvents(tx: Tx, ctx: EventContext, events: NewEvent[]): Promise<CloudEvent[]> {
  if (events.length === 0) return [];
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
