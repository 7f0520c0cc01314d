import type { CloudEvent, Topic } from './cloud-event.ts';

/** One consumer's interest in one topic. Offsets (embedded) and inbox rows are kept per `consumer`. */
export interface Subscription {
  /** stable name, e.g. "audit" or "recurring"; doubles as the idempotency scope */
  consumer: string;
  topic: Topic;
  /**
   * Called at least once per event, in order per partition key (user). Must be idempotent (see
   * `consumeOnce`). Throwing a `PermanentEventError` drops the event (dead letter); any other error retries.
   */
  handle(event: CloudEvent): Promise<void>;
}

/** An event that can never succeed (malformed, unknown type): never retried. */
export class PermanentEventError extends Error {
  override name = 'PermanentEventError';
}

/**
 * Event bus port (DESIGN §1, §4). Embedded: the outbox table is the log, dispatched in process.
 * Dapr: the relay publishes outbox rows through the sidecar; subscriptions arrive over HTTP.
 */
export interface EventBus {
  readonly kind: 'embedded' | 'dapr';
  subscribe(sub: Subscription): void;
  /** A transaction that appended outbox rows has committed: dispatch or publish now, without polling delay. */
  notify(): void;
  start(): Promise<void>;
  /** Stops dispatching; in-flight handlers finish first. */
  stop(): Promise<void>;
  /** Resolves when the bus can publish (readiness). */
  ready(): Promise<void>;
}
