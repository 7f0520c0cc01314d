import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Clock } from '../clock/clock.ts';
import type { Db } from '../db/db.ts';
import { kv, outbox } from '../db/schema.ts';
import { eventsPublished } from '../telemetry/metrics.ts';
import { inSpan, SpanKind } from '../telemetry/tracing.ts';
import type { CloudEvent } from './cloud-event.ts';
import type { EventBus, EventLogger, Subscription } from './event-bus.ts';
import { readOutboxTail, SeqHorizon, takeXidBound } from './log-horizon.ts';

export interface DaprEventBusOptions {
  /** e.g. http://127.0.0.1:3500 (DAPR_HTTP_PORT) */
  sidecarUrl: string;
  /** DAPR_API_TOKEN, sent as `dapr-api-token` on every call to the sidecar */
  apiToken?: string | undefined;
  /** pub/sub component name (DAPR_PUBSUB) */
  pubsub: string;
  /** run the outbox relay in this process (the api role does, DESIGN §1) */
  relay: boolean;
  /** rows published per round */
  batchSize?: number;
  /** how many users' events are in flight to the sidecar at once (order is kept within a user) */
  publishConcurrency?: number;
  /** poll for rows committed by other processes, and retry after a failure */
  pollIntervalMs?: number;
  /** relay leadership lease: only one process publishes at a time, so per-user order holds across replicas */
  leaseMs?: number;
  /** how often to probe `/v1.0/healthz/outbound` while the sidecar is not ready */
  healthPollMs?: number;
  /** per-request timeout for calls to the sidecar */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

const leaseKey = 'taskstream:lease:outbox-relay';

/** A publish the sidecar refused; `status` and `errorCode` come from its reply (contract §1.1). */
export class DaprPublishError extends Error {
  override name = 'DaprPublishError';
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Dapr event bus (DESIGN §1, reference/dapr-http-contract.md §1). Publishing is the outbox relay: it waits
 * for `/v1.0/healthz/outbound` (the app listens first, so the sidecar can reach it, pitfall §10.15), then
 * publishes unpublished outbox rows in `seq` order, one user at a time in order, and marks them published.
 * A crash between publish and mark republishes: delivery is at-least-once and consumers are idempotent.
 *
 * Subscriptions are served over HTTP by modules/dapr (`/dapr/subscribe` + one route per topic).
 */
export class DaprEventBus implements EventBus {
  readonly kind = 'dapr' as const;
  private readonly subs: Subscription[] = [];
  private readonly opts: Required<Omit<DaprEventBusOptions, 'apiToken'>> & { apiToken?: string | undefined };
  private readonly instanceId = randomUUID();
  private log: EventLogger | undefined;
  private sidecarReady = false;
  private started = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private dirty = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private holdsLease = false;
  /** every seq at or below it is final; created on the first relay round */
  private horizon: SeqHorizon | undefined;
  /** published rows since start (bench, diagnostics) */
  published = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: DaprEventBusOptions,
  ) {
    this.opts = {
      batchSize: 200,
      publishConcurrency: 16,
      pollIntervalMs: 500,
      leaseMs: 15_000,
      healthPollMs: 500,
      requestTimeoutMs: 5_000,
      fetch: globalThis.fetch,
      ...options,
    };
  }

  subscribe(sub: Subscription): void {
    if (this.started) throw new Error('subscribe() must be called before the bus starts');
    if (this.subs.some((s) => s.consumer === sub.consumer && s.topic === sub.topic)) {
      throw new Error(`duplicate subscription ${sub.consumer}@${sub.topic}`);
    }
    this.subs.push(sub);
  }

  subscriptions(): readonly Subscription[] {
    return this.subs;
  }

  notify(): void {
    if (!this.opts.relay || !this.started || this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = this.relayLoop().finally(() => {
      this.running = undefined;
      if (this.dirty && !this.stopped) {
        this.dirty = false;
        this.notify();
      }
    });
  }

  async start(log: EventLogger): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.log = log.child({ component: 'dapr-event-bus' });
    // never block startup on the sidecar: it calls us (GET /dapr/subscribe) before it reports healthy
    void this.waitForSidecar();
    if (this.opts.relay) {
      this.pollTimer = setInterval(() => this.notify(), this.opts.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.running;
    if (this.holdsLease) {
      await this.db
        .delete(kv)
        .where(and(eq(kv.key, leaseKey), sql`${kv.value}->>'owner' = ${this.instanceId}`))
        .catch(() => {});
      this.holdsLease = false;
    }
  }

  async checkReady(): Promise<void> {
    if (this.sidecarReady) return;
    if (await this.probeOutbound()) return;
    throw new Error('Dapr sidecar not ready (GET /v1.0/healthz/outbound)');
  }

  /** Whether the sidecar's components are ready; never throws. */
  private async probeOutbound(): Promise<boolean> {
    try {
      const res = await this.call('GET', '/v1.0/healthz/outbound', undefined, {}, 1_000);
      await res.arrayBuffer();
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private async waitForSidecar(): Promise<void> {
    if (this.stopped) return;
    if (await this.probeOutbound()) {
      if (!this.sidecarReady) this.log?.info('Dapr sidecar ready; relay starts');
      this.sidecarReady = true;
      this.notify();
      return;
    }
    this.healthTimer = setTimeout(() => void this.waitForSidecar(), this.opts.healthPollMs);
    this.healthTimer.unref();
  }

  private call(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
    timeoutMs = this.opts.requestTimeoutMs,
  ): Promise<Response> {
    return this.opts.fetch(`${this.opts.sidecarUrl}${path}`, {
      method,
      headers: { ...headers, ...(this.opts.apiToken ? { 'dapr-api-token': this.opts.apiToken } : {}) },
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /**
   * Takes or renews the relay lease (a row in `kv`), so that replicas of the api role do not publish the
   * same rows concurrently (which would reorder a user's events). Expiry uses the injected clock.
   */
  private async acquireLease(): Promise<boolean> {
    const now = this.clock.now();
    const value = {
      owner: this.instanceId,
      until: new Date(now.getTime() + this.opts.leaseMs).toISOString(),
    };
    const rows = await this.db
      .insert(kv)
      .values({ key: leaseKey, value, updatedAt: now })
      .onConflictDoUpdate({
        target: kv.key,
        set: { value, etag: sql`${kv.etag} + 1`, updatedAt: now },
        setWhere: sql`${kv.value}->>'owner' = ${this.instanceId} or (${kv.value}->>'until')::timestamptz < ${now.toISOString()}::timestamptz`,
      })
      .returning({ key: kv.key });
    this.holdsLease = rows.length > 0;
    return this.holdsLease;
  }

  /**
   * Publishes in `seq` order as far as the log is final (log-horizon.ts): a row still committing with a
   * lower seq than rows already visible holds the later rows back until it commits or provably never will,
   * so a user's events reach the broker in log order. The horizon starts at the highest published seq:
   * everything below it was final when it was published.
   */
  private async relayLoop(): Promise<void> {
    try {
      while (!this.stopped && this.sidecarReady) {
        if (!(await this.acquireLease())) return;
        this.horizon ??= new SeqHorizon(await this.publishedUpTo());
        const from = this.horizon.position;
        const { snapshot, rows } = await readOutboxTail(this.db, from, this.opts.batchSize, from);
        // older rows a failed publish left behind, then the tail
        const older = rows.filter((r) => r.seq <= from);
        const tail = rows.filter((r) => r.seq > from);
        // with a full page of older rows, newer ones wait, so that each user's rows still go out in order
        const fresh = older.length < this.opts.batchSize ? this.horizon.advance(tail, snapshot) : [];
        if (this.horizon.boundWanted) this.horizon.setBound(await takeXidBound(this.db));
        const pending = [...older, ...fresh.filter((r) => r.unpublished)];
        if (pending.length > 0) {
          const { published, failed } = await this.publishBatch(pending);
          if (published.length > 0) {
            await this.db
              .update(outbox)
              .set({ publishedAt: this.clock.now() })
              .where(inArray(outbox.seq, published));
            this.published += published.length;
          }
          // a failed user keeps its remaining rows for the next round (the poll timer), in order
          if (failed) return;
        }
        const more =
          older.length === this.opts.batchSize ||
          (tail.length === this.opts.batchSize && this.horizon.position > from);
        if (!more) return;
      }
    } catch (err) {
      this.log?.error({ err }, 'outbox relay round failed; will retry');
    }
  }

  /** The highest published seq (0 for none): where the horizon may start. */
  private async publishedUpTo(): Promise<number> {
    const [row] = await this.db
      .select({ seq: outbox.seq })
      .from(outbox)
      .where(isNotNull(outbox.publishedAt))
      .orderBy(desc(outbox.seq))
      .limit(1);
    return row?.seq ?? 0;
  }

  /** Publishes a batch: users in parallel, each user's rows strictly in `seq` order, stopping at its first failure. */
  private async publishBatch(
    rows: { seq: number; topic: string; partitionKey: string; event: CloudEvent }[],
  ): Promise<{ published: number[]; failed: boolean }> {
    const byKey = new Map<string, typeof rows>();
    for (const row of rows) {
      const list = byKey.get(row.partitionKey);
      if (list) list.push(row);
      else byKey.set(row.partitionKey, [row]);
    }
    const queues = [...byKey.values()];
    const published: number[] = [];
    let failed = false;
    const worker = async () => {
      for (let q = queues.shift(); q; q = queues.shift()) {
        for (const row of q) {
          try {
            await this.publish(row.topic, row.partitionKey, row.event);
            published.push(row.seq);
          } catch (err) {
            failed = true;
            this.log?.warn(
              { err, event_id: row.event.id, traceparent: row.event.traceparent, topic: row.topic },
              'publish failed; the user’s later events wait for the retry',
            );
            if (!(err instanceof DaprPublishError)) this.markSidecarDown();
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.publishConcurrency, queues.length) }, worker));
    return { published, failed };
  }

  private markSidecarDown(): void {
    if (!this.sidecarReady) return;
    this.sidecarReady = false;
    void this.waitForSidecar();
  }

  /**
   * `POST /v1.0/publish/<pubsub>/<topic>` with our own CloudEvent as `application/cloudevents+json`, so Dapr
   * keeps id, type, source, subject and traceparent (contract §1.1); the partition key keeps one user's events
   * in order on Kafka; `cloudevent.id` pins the id; the `traceparent` header continues the trace.
   */
  async publish(topic: string, partitionKey: string, event: CloudEvent): Promise<void> {
    await inSpan(
      `${topic} publish`,
      SpanKind.PRODUCER,
      event.traceparent,
      {
        'messaging.system': 'dapr',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.message.id': event.id,
      },
      () => this.send(topic, partitionKey, event),
    );
    eventsPublished.inc({ topic });
  }

  private async send(topic: string, partitionKey: string, event: CloudEvent): Promise<void> {
    const query = new URLSearchParams({
      'metadata.partitionKey': partitionKey,
      'metadata.cloudevent.id': event.id,
    });
    const path = `/v1.0/publish/${encodeURIComponent(this.opts.pubsub)}/${encodeURIComponent(topic)}?${query}`;
    const res = await this.call('POST', path, JSON.stringify(event), {
      'content-type': 'application/cloudevents+json',
      ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    });
    const text = await res.text();
    if (res.status === 204 || res.status === 200) return;
    let errorCode: string | undefined;
    try {
      errorCode = (JSON.parse(text) as { errorCode?: string }).errorCode;
    } catch {
      // a non-JSON error body: keep the status only
    }
    throw new DaprPublishError(
      res.status,
      errorCode,
      `publish to ${topic} failed: ${res.status} ${text.slice(0, 200)}`,
    );
  }
}
