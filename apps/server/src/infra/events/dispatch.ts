import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { deadLetters } from '../db/schema.ts';
import { consumerLag, deadLettersTotal, eventsConsumed, eventsFailed } from '../telemetry/metrics.ts';
import { inConsumerSpan, traceIdOf } from '../telemetry/tracing.ts';
import type { CloudEvent } from './cloud-event.ts';
import { type EventLogger, PermanentEventError, type Subscription } from './event-bus.ts';

/** The Dapr subscriber statuses (reference/dapr-http-contract.md §1.6); the embedded bus uses the same words. */
export type DeliveryOutcome = 'SUCCESS' | 'RETRY' | 'DROP';

export type HandlerResult = { ok: true } | { ok: false; permanent: boolean; error: Error };

/** A child logger whose every line carries the event's trace and identity. */
export function eventLogger(base: EventLogger, event: CloudEvent, consumer: string): EventLogger {
  return base.child({
    trace_id: traceIdOf(event.traceparent),
    traceparent: event.traceparent,
    event_id: event.id,
    event_type: event.type,
    consumer,
  });
}

/** Runs one handler once (in a span of the event's trace, counted) and classifies its failure; never throws. */
export async function runHandler(
  sub: Subscription,
  event: CloudEvent,
  base: EventLogger,
): Promise<HandlerResult> {
  const log = eventLogger(base, event, sub.consumer);
  try {
    await inConsumerSpan(event, sub.topic, sub.consumer, () => sub.handle(event, { log }));
    eventsConsumed.inc({ topic: sub.topic, consumer: sub.consumer });
    return { ok: true };
  } catch (err) {
    eventsFailed.inc({ topic: sub.topic, consumer: sub.consumer });
    const error = err instanceof Error ? err : new Error(String(err));
    return { ok: false, permanent: error instanceof PermanentEventError, error };
  }
}

/** Parks an event a consumer gave up on. Idempotent per (consumer, event): a redelivered drop adds no row. */
export async function recordDeadLetter(
  db: Db,
  entry: {
    consumer: string;
    event: CloudEvent;
    topic: string;
    seq: number | null;
    error: Error;
    attempts: number;
  },
): Promise<void> {
  await db
    .insert(deadLetters)
    .values({
      consumer: entry.consumer,
      eventId: entry.event.id,
      topic: entry.topic,
      seq: entry.seq,
      event: entry.event,
      error: `${entry.error.name}: ${entry.error.message}`.slice(0, 4000),
      attempts: entry.attempts,
    })
    .onConflictDoNothing();
  deadLettersTotal.inc({ consumer: entry.consumer });
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** What an incoming envelope must look like to be handled; anything else can never succeed (DROP). */
const cloudEventSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: uuid,
  type: z.string().min(1),
  source: z.string().min(1),
  time: z.string().optional(),
  subject: z.string().optional(),
  traceparent: z.string().optional(),
  data: z.looseObject({
    event_id: uuid,
    event_type: z.string().min(1),
    version: z.literal(1),
    user_id: z.string().min(1),
    timestamp: z.string(),
    payload: z.unknown(),
  }),
});

/**
 * Validates an envelope that arrived over the wire (Dapr delivery). Returns null when it is not a Taskstream
 * CloudEvent. The trace falls back to the delivery's `traceparent` header when the envelope has none.
 */
export function parseCloudEvent(value: unknown, headerTraceparent?: string): CloudEvent | null {
  const parsed = cloudEventSchema.safeParse(value);
  if (!parsed.success) return null;
  const e = parsed.data;
  if (e.data.event_id !== e.id) return null;
  return {
    specversion: '1.0',
    id: e.id,
    type: e.type,
    source: e.source,
    time: e.time ?? e.data.timestamp,
    ...(e.subject ? { subject: e.subject } : {}),
    datacontenttype: 'application/json',
    traceparent: e.traceparent ?? headerTraceparent ?? '',
    data: {
      event_id: e.data.event_id,
      event_type: e.data.event_type,
      version: 1,
      user_id: e.data.user_id,
      timestamp: e.data.timestamp,
      payload: e.data.payload,
    },
  };
}

/**
 * Hands one delivered event to every local subscription of its topic (Dapr allows one subscription per topic
 * per app, so with several roles in one process they share the route). Each consumer is idempotent on its
 * own inbox, so RETRY re-runs only the ones that have not committed yet.
 *
 * RETRY if any consumer failed transiently; DROP only if every consumer rejected it permanently (each such
 * rejection is logged and parked in `dead_letters`); SUCCESS otherwise.
 */
export async function deliverToSubscribers(
  db: Db,
  subs: readonly Subscription[],
  event: CloudEvent,
  topic: string,
  base: EventLogger,
): Promise<DeliveryOutcome> {
  if (subs.length === 0) {
    // A topic is listed for a role whose handler was never attached: keep the event (retry) and say so loudly.
    base.error({ topic, event_id: event.id, traceparent: event.traceparent }, 'no handler for topic');
    return 'RETRY';
  }
  let retry = false;
  let dropped = 0;
  for (const sub of subs) {
    const lag = consumerLag.labels(sub.topic, sub.consumer);
    lag.inc();
    const result = await runHandler(sub, event, base).finally(() => lag.dec());
    if (result.ok) continue;
    const log = eventLogger(base, event, sub.consumer);
    if (result.permanent) {
      dropped++;
      log.error({ err: result.error }, 'event dropped: handler rejected it permanently');
      if (!sub.ephemeral) {
        await recordDeadLetter(db, {
          consumer: sub.consumer,
          event,
          topic,
          seq: null,
          error: result.error,
          attempts: 1,
        });
      }
    } else {
      retry = true;
      log.warn({ err: result.error }, 'handler failed; asking for redelivery');
    }
  }
  if (retry) return 'RETRY';
  return dropped === subs.length ? 'DROP' : 'SUCCESS';
}
