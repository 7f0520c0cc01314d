import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../infra/db/db.ts';
import { auditLog, inbox } from '../../infra/db/schema.ts';
import type { CloudEvent } from '../../infra/events/cloud-event.ts';
import { PermanentEventError, type Subscription } from '../../infra/events/event-bus.ts';

export const auditConsumer = 'audit';

/** The part of a `task-events` payload the activity log keeps (see TaskEventPayload). */
const taskEventPayload = z.object({
  task: z.looseObject({ id: z.uuid(), title: z.string() }),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  client: z.enum(['web', 'api', 'assistant']).nullable().optional(),
});

/** The activity row of one event; a `PermanentEventError` for an event that can never make one. */
function activityOf(event: CloudEvent) {
  if (!event.type.startsWith('task.')) throw new PermanentEventError(`unexpected event type ${event.type}`);
  const parsed = taskEventPayload.safeParse(event.data.payload);
  if (!parsed.success)
    throw new PermanentEventError(`malformed ${event.type} payload: ${parsed.error.message}`);
  const payload = parsed.data;
  return sql`${event.id}::uuid, ${event.data.user_id}::text, ${payload.task.id}::uuid, ${event.type}::text,
    ${payload.client ?? null}::text, ${JSON.stringify(payload.changes)}::jsonb,
    ${JSON.stringify({ task: { id: payload.task.id, title: payload.task.title } })}::jsonb,
    ${new Date(event.time).toISOString()}::timestamptz`;
}

/**
 * The inbox claims and the log rows of several events in one statement: atomic like consumeOnce's
 * transaction, but one round trip and one commit for all of them, which is most of the consumer's cost.
 * Rows are inserted in the given (log) order, so ids keep each user's order. Returns how many were new.
 */
async function recordActivity(db: Db, events: readonly CloudEvent[]): Promise<number> {
  const rows = events.map((event, i) => sql`(${i}::int, ${activityOf(event)})`);
  const result = await db.execute(sql`
    with input (ord, event_id, user_id, task_id, type, client, changes, data, at) as (
      values ${sql.join(rows, sql`, `)}
    ),
    claim as (
      insert into ${inbox} (consumer, event_id)
      select ${auditConsumer}, event_id from input
      on conflict do nothing
      returning event_id
    )
    insert into ${auditLog} (event_id, user_id, task_id, type, client, changes, data, at)
    select i.event_id, i.user_id, i.task_id, i.type, i.client, i.changes, i.data, i.at
    from input i join claim using (event_id)
    order by i.ord
    on conflict (event_id) do nothing
    returning id`);
  return (result as unknown as { rows: unknown[] }).rows.length;
}

/**
 * The audit role's consumer: one `audit_log` row per `task-events` event. Idempotent twice over: the inbox
 * claim (consumer, event_id) and the unique `event_id` of the log, so a redelivery adds nothing.
 * (The general form is `consumeOnce` in infra/events/inbox.ts; this consumer inlines it, see above.)
 * The embedded bus hands it batches (`handleBatch`): one statement for all of them; an event that cannot
 * be recorded fails the batch, and the bus then retries its events one by one, parking only that one.
 */
export function auditSubscription(db: Db): Subscription {
  return {
    consumer: auditConsumer,
    topic: 'task-events',
    async handle(event, { log }) {
      const recorded = (await recordActivity(db, [event])) > 0;
      log.debug({ task_id: event.subject, duplicate: !recorded }, 'activity recorded');
    },
    async handleBatch(events, { log }) {
      const recorded = await recordActivity(db, events);
      log.debug({ events: events.length, recorded }, 'activity recorded');
    },
  };
}
