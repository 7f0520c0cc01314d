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

/**
 * Transactional outbox: the events of a write are inserted in the write's own transaction, so they exist
 * if and only if the write committed. Publication happens later, in `seq` order.
 *
 * No lock orders the appends: concurrent writers commit in any order, so rows may become visible out of
 * `seq` order, and readers stop at a gap until it fills or is provably permanent (log-horizon.ts). That
 * proof needs the transaction to hold its xid before it takes a seq. `pg_current_xact_id()` assigns it
 * when the transaction has none yet; it runs in a materialized CTE, which the executor evaluates before the
 * outer select's target list, where the `seq` default (nextval) is computed, so the order holds in one
 * statement (a separate `select` first would cost a round trip per write).
 */
export async function appendEvents(tx: Tx, ctx: EventContext, events: NewEvent[]): Promise<CloudEvent[]> {
  if (events.length === 0) return [];
  const built = events.map((e) => buildCloudEvent(e, ctx.at, ctx.traceparent, ctx.source));
  const at = ctx.at.toISOString();
  const values = built.map(
    (ce, i) =>
      sql`(${i}::int, ${ce.id}::uuid, ${events[i]!.topic}::text, ${ce.data.user_id}::text, ${JSON.stringify(ce)}::jsonb, ${at}::timestamptz)`,
  );
  // rows take their seqs in the order of `events` (the sort sits below the target list that calls nextval)
  await tx.execute(sql`
    with writer as materialized (select pg_current_xact_id() as xid)
    insert into ${outbox} (event_id, topic, partition_key, event, created_at, xid)
    select v.event_id, v.topic, v.partition_key, v.event, v.created_at, writer.xid
    from writer, (values ${sql.join(values, sql`, `)}) as v (ord, event_id, topic, partition_key, event, created_at)
    order by v.ord`);
  return built;
}
