import type { FastifyBaseLogger } from 'fastify';
import type { CloudEvent, Topic } from './cloud-event.ts';

/** The logger handlers receive: a pino child bound to the event's traceparent, id, type and consumer. */
export type EventLogger = FastifyBaseLogger;

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** Every line logged through it carries the CloudEvent's `traceparent` (DESIGN §4, issue 3 item 6). */
  log: EventLogger;
}

/** What a batch handler gets besides the events. */
export interface BatchContext {
  /** the consumer's logger */
  log: EventLogger;
  /** a logger whose lines carry one event's traceparent, id and type (use it for per-event lines) */
  logFor(event: CloudEvent): EventLogger;
}

/** One consumer's interest in one topic. Offsets (embedded) and inbox rows are kept per `consumer`. */
export interface Subscription {
  /** stable name, e.g. "audit" or "recurring"; doubles as the idempotency scope */
  consumer: string;
  topic: Topic;
  /**
   * Called at least once per event, in order per partition key (user). Must be idempotent (see
   * `consumeOnce`). Throwing a `PermanentEventError` drops the event (dead letter); any other error retries.
   */
  handle(event: CloudEvent, ctx: HandlerContext): Promise<void>;
  /**
   * Optional, embedded bus only: handles several events (log order, possibly several users) at once, e.g.
   * one transaction and one multi-row inbox claim for all of them. If it throws, each of these events is
   * handed to `handle` one by one (with the usual retries and dead letters), so whatever it may have
   * applied before failing must be idempotent per event like `handle` (a single transaction is simplest).
   */
  handleBatch?(events: readonly CloudEvent[], ctx: BatchContext): Promise<void>;
  /**
   * A per-process consumer (live fan-out, e.g. the WebSocket gateway): it starts at the end of the log,
   * keeps no stored offset and no inbox, so every replica sees every event from the moment it starts.
   */
  ephemeral?: boolean;
}

/** An event that can never succeed (malformed, unknown type): never retried. */
export class PermanentEventError extends Error {
  override name = 'PermanentEventError';
}

/**
 * Event bus port (DESIGN §1, §4). Embedded: the outbox table is the log, dispatched in process.
 * Dapr: the relay publishes outbox rows through the sidecar; subscriptions arrive over HTTP
 * (see modules/dapr), which hands them to `deliverToSubscribers` for the subscriptions registered here.
 */
export interface EventBus {
  readonly kind: 'embedded' | 'dapr';
  /** Registers a handler. Call before `start()`; roles register only their own subscriptions. */
  subscribe(sub: Subscription): void;
  /** Everything registered so far (the Dapr `/dapr/subscribe` route lists their topics). */
  subscriptions(): readonly Subscription[];
  /** A transaction that appended outbox rows has committed: dispatch or publish now, without polling delay. */
  notify(): void;
  /** Starts dispatching (embedded) or relaying (Dapr). `log` is the app's logger. */
  start(log: EventLogger): Promise<void>;
  /** Stops dispatching; in-flight handlers finish first, offsets are saved. Idempotent. */
  stop(): Promise<void>;
  /** Readiness: resolves when the bus can publish, throws (with the reason) otherwise. Never waits long. */
  checkReady(): Promise<void>;
}
