import { z } from 'zod';
import type { Db } from '../../infra/db/db.ts';
import { auditLog } from '../../infra/db/schema.ts';
import { PermanentEventError, type Subscription } from '../../infra/events/event-bus.ts';
import { consumeOnce } from '../../infra/events/inbox.ts';

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
      const recorded = await consumeOnce(db, auditConsumer, event.id, async (tx) => {
        await tx
          .insert(auditLog)
          .values({
            eventId: event.id,
            userId: event.data.user_id,
            taskId: payload.task.id,
            type: event.type,
            client: payload.client ?? null,
            changes: payload.changes,
            data: { task: { id: payload.task.id, title: payload.task.title } },
            at: new Date(event.time),
          })
          .onConflictDoNothing({ target: auditLog.eventId });
      });
      log.debug({ task_id: payload.task.id, duplicate: !recorded }, 'activity recorded');
    },
  };
}
