import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../infra/db/db.ts';
import { auditLog, inbox } from '../../infra/db/schema.ts';
import { PermanentEventError, type Subscription } from '../../infra/events/event-bus.ts';

export const auditConsumer = 'audit';

/** The part of a `task-events` payload the activity log keeps (see TaskEventPayload). */
const taskEventPayload = z.object({
  task: z.looseObject({ id: z.uuid(), title: z.string() }),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  client: z.enum(['web', 'api', 'assistant']).nullable().optional(),
});

/**
 * The audit role's consumer: one `audit_log` row per `task-events` event. Idempotent twice over: the inbox
 * claim (consumer, event_id) and the unique `event_id` of the log, so a redelivery adds nothing.
 * (The general form is `consumeOnce` in infra/events/inbox.ts; this consumer inlines it, see below.)
 */
export function auditSubscription(db: Db): Subscription {
  return {
    consumer: auditConsumer,
    topic: 'task-events',
    async handle(event, { log }) {
      if (!event.type.startsWith('task.'))
        throw new PermanentEventError(`unexpected event type ${event.type}`);
      const parsed = taskEventPayload.safeParse(event.data.payload);
      if (!parsed.success)
        throw new PermanentEventError(`malformed ${event.type} payload: ${parsed.error.message}`);
      const payload = parsed.data;
      // The inbox claim and the log row in one statement: atomic like consumeOnce's transaction, but one
      // round trip and one commit per event, which is most of the consumer's cost on PGlite.
      const result = await db.execute(sql`
        with claim as (
          insert into ${inbox} (consumer, event_id) values (${auditConsumer}, ${event.id})
          on conflict do nothing
          returning event_id
        )
        insert into ${auditLog} (event_id, user_id, task_id, type, client, changes, data, at)
        select ${event.id}, ${event.data.user_id}, ${payload.task.id}, ${event.type}, ${payload.client ?? null},
               ${JSON.stringify(payload.changes)}::jsonb,
               ${JSON.stringify({ task: { id: payload.task.id, title: payload.task.title } })}::jsonb,
               ${new Date(event.time).toISOString()}::timestamptz
        from claim
        on conflict (event_id) do nothing
        returning id`);
      const recorded = (result as unknown as { rows: unknown[] }).rows.length > 0;
      log.debug({ task_id: payload.task.id, duplicate: !recorded }, 'activity recorded');
    },
  };
}
