import { and, asc, eq, gt, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../db/db.ts';
import { consumerOffsets, outbox } from '../db/schema.ts';
import { consumerLag, eventsConsumed, eventsPublished } from '../telemetry/metrics.ts';
import { inBatchSpan } from '../telemetry/tracing.ts';
import type { CloudEvent } from './cloud-event.ts';
import { eventLogger, recordDeadLetter, runHandler } from './dispatch.ts';
import type { EventBus, EventLogger, Subscription } from './event-bus.ts';
import { readOutboxTail, SeqHorizon, takeXidBound } from './log-horizon.ts';

export interface EmbeddedEventBusOptions {
  /** outbox rows read per query */
  batchSize?: number;
  /** events held in memory per consumer before reading pauses (bounds memory while a partition retries) */
  maxQueued?: number;
  /** how many users' partitions one consumer works on at once */
  partitionConcurrency?: number;
  /** most events handed to one `handleBatch` call */
  maxBatch?: number;
  /** how many `handleBatch` calls of one consumer run at once */
  batchConcurrency?: number;
  /** waits between attempts; attempts = length + 1, then the event is parked in `dead_letters` */
  retryDelaysMs?: readonly number[];
  /** safety-net poll for rows written by another process or a missed signal; commits in process don't wait for it */
  pollIntervalMs?: number;
  /** stored offsets are written at most this often (replay after a crash is absorbed by the inbox) */
  offsetFlushMs?: number;
}

interface LogRow {
  seq: number;
  topic: string;
  partitionKey: string;
  event: CloudEvent;
}

const defaults = {
  batchSize: 500,
  maxQueued: 5_000,
  partitionConcurrency: 16,
  maxBatch: 100,
  batchConcurrency: 2,
  retryDelaysMs: [100, 500, 2_000, 5_000],
  pollIntervalMs: 1_000,
  offsetFlushMs: 500,
} satisfies Required<EmbeddedEventBusOptions>;

/** Offsets are stored per (consumer, topic), so one consumer may follow several topics. */
export function offsetKey(sub: Pick<Subscription, 'consumer' | 'topic'>): string {
  return `${sub.consumer}@${sub.topic}`;
}

/**
 * Embedded event bus (DESIGN §1): the outbox table is the log. Each subscription follows it from its stored
 * offset, in `seq` order per partition key (user); different users proceed independently, so one user's
 * failing event (retried with backoff, then parked in `dead_letters`) never holds up another's. Rows are
 * only handed out once final in `seq` order (log-horizon.ts), so an offset never passes a row that commits
 * later.
 *
 * Single-process by design (PGlite is single-process); two processes following the same database would
 * both dispatch, which the consumers' inboxes make harmless but wasteful.
 */
export class EmbeddedEventBus implements EventBus {
  readonly kind = 'embedded' as const;
  private readonly subs: Subscription[] = [];
  private readonly runners: ConsumerRunner[] = [];
  private readonly opts: Required<EmbeddedEventBusOptions>;
  private poll: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private outboxLog: OutboxLog | undefined;
  private gapDelayMs = 2;
  private started = false;

  constructor(
    private readonly db: Db,
    options: EmbeddedEventBusOptions = {},
  ) {
    this.opts = { ...defaults, ...options };
  }

  subscribe(sub: Subscription): void {
    if (this.started) throw new Error('subscribe() must be called before the bus starts');
    if (this.subs.some((s) => offsetKey(s) === offsetKey(sub))) {
      throw new Error(`duplicate subscription ${offsetKey(sub)}`);
    }
    this.subs.push(sub);
  }

  subscriptions(): readonly Subscription[] {
    return this.subs;
  }

  notify(): void {
    this.outboxLog?.signal();
    for (const r of this.runners) r.wake();
  }

  async start(log: EventLogger): Promise<void> {
    if (this.started) return;
    this.started = true;
    const durable: number[] = [];
    const live: number[] = [0];
    for (const sub of this.subs) {
      const runner = new ConsumerRunner(this.db, sub, this.opts, log.child({ component: 'event-bus' }));
      (sub.ephemeral ? live : durable).push(await runner.init());
      this.runners.push(runner);
    }
    // A stored offset is only ever moved past rows that were final, so everything at or below the furthest
    // one is final: the shared tail starts there, and consumers further behind read the table up to it.
    // (A live subscription's start, the head, is not known to be final: it only counts without durable ones.)
    const outboxLog = new OutboxLog(
      this.db,
      durable.length > 0 ? Math.max(...durable) : Math.max(...live),
      this.opts.batchSize,
      (waiting) => this.recheckGap(waiting),
    );
    this.outboxLog = outboxLog;
    for (const r of this.runners) r.attach(outboxLog);
    this.poll = setInterval(() => this.notify(), this.opts.pollIntervalMs);
    this.poll.unref();
    this.notify();
  }

  /**
   * The tail stopped at a gap that waits for transactions to end. If one of them rolled back, no commit
   * signal will come, so look again shortly (backing off up to the poll interval while it persists).
   */
  private recheckGap(waiting: boolean): void {
    if (!waiting) {
      this.gapDelayMs = 2;
      return;
    }
    if (this.gapTimer || !this.poll) return;
    this.gapDelayMs = Math.min(this.gapDelayMs * 2, this.opts.pollIntervalMs);
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      this.notify();
    }, this.gapDelayMs);
    this.gapTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  async checkReady(): Promise<void> {
    // the log lives in the database: the bus is ready whenever the database is
  }
}

/**
 * The log's tail, shared by every subscription of the bus: one read after a commit serves all topics and
 * all consumers that are caught up (normally all of them), which matters on single-connection PGlite where
 * every query queues behind the writes. It only ever holds rows at or below the horizon (log-horizon.ts):
 * rows that are final in `seq` order, so a consumer that moves its position past them skips nothing.
 * A consumer behind the window reads the table itself, bounded by the horizon.
 */
class OutboxLog {
  /** rows with seq in (base, horizon.position], ascending, every topic */
  private rows: LogRow[] = [];
  private base: number;
  private readonly horizon: SeqHorizon;
  private inflight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** bumped by every commit signal (and poll); the tail is current once a read started after the last one */
  private signals = 1;
  private readSince = 0;
  private inflightSignals = 0;
  private static readonly maxRows = 10_000;

  constructor(
    private readonly db: Db,
    start: number,
    private readonly batchSize: number,
    /** after each read: whether the tail stopped at a gap that may close without a commit signal */
    private readonly onGap: (waiting: boolean) => void,
  ) {
    this.base = start;
    this.horizon = new SeqHorizon(start);
  }

  /** Something may have been committed: the next read goes to the database. */
  signal(): void {
    this.signals++;
  }

  /** Up to `limit` rows of `topic` after `after`, and the seq up to which the caller has now seen the topic. */
  async read(topic: string, after: number, limit: number): Promise<{ rows: LogRow[]; upTo: number }> {
    // Every commit signals (in process: `notify()` after the commit; other processes: the poll), so with no
    // signal since the last read began the window already holds everything there is: no query needed.
    if (after >= this.base && this.readSince < this.signals) await this.refresh();
    const end = this.horizon.position;
    if (after < this.base) return this.query(topic, after, end, limit);
    if (after >= end) return { rows: [], upTo: after };
    const rows: LogRow[] = [];
    for (let i = this.firstAfter(after); i < this.rows.length && rows.length < limit; i++) {
      const row = this.rows[i]!;
      if (row.topic === topic) rows.push(row);
    }
    return { rows, upTo: rows.length < limit ? end : rows[rows.length - 1]!.seq };
  }

  /** index of the first row with seq > after (binary search: the window is sorted) */
  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Brings the window up to the head. A caller must see every row committed before it called, so a refresh
   * that started before the latest commit signal is not enough: one more is queued behind it, shared by
   * everyone who arrives meanwhile. A refresh that started after the latest signal is enough as it is.
   */
  private refresh(): Promise<void> {
    if (!this.inflight) {
      this.inflightSignals = this.signals;
      this.inflight = this.extend().finally(() => {
        this.inflight = undefined;
      });
      return this.inflight;
    }
    if (this.inflightSignals === this.signals) return this.inflight;
    this.queued ??= this.inflight.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  private async extend(): Promise<void> {
    const signals = this.signals;
    const { snapshot, rows } = await readOutboxTail(this.db, this.horizon.position, this.batchSize);
    // a full page means more rows wait behind it: read again next time even without a new signal
    if (rows.length < this.batchSize) this.readSince = Math.max(this.readSince, signals);
    const safe = this.horizon.advance(rows, snapshot);
    // The window takes the rows in the same tick as the horizon moves past them: a reader that finds no new
    // commit signal reads the window up to `horizon.position` without waiting for this refresh, so across
    // the await below it would take the rows' absence for final and move past them for good.
    this.append(safe);
    if (this.horizon.boundWanted) this.horizon.setBound(await takeXidBound(this.db));
    this.onGap(this.horizon.waiting);
  }

  private append(safe: LogRow[]): void {
    if (safe.length === 0) return;
    // in the embedded shape an event is published when it becomes final in the log
    for (const row of safe) eventsPublished.inc({ topic: row.topic });
    this.rows.push(...safe);
    if (this.rows.length > OutboxLog.maxRows) {
      const dropped = this.rows.splice(0, this.rows.length - OutboxLog.maxRows);
      this.base = dropped[dropped.length - 1]!.seq;
    }
  }

  /** A consumer behind the window: the table itself, never past the horizon. */
  private async query(
    topic: string,
    after: number,
    end: number,
    limit: number,
  ): Promise<{ rows: LogRow[]; upTo: number }> {
    const rows = (await this.db
      .select({
        seq: outbox.seq,
        topic: outbox.topic,
        partitionKey: outbox.partitionKey,
        event: outbox.event,
      })
      .from(outbox)
      .where(and(eq(outbox.topic, topic), gt(outbox.seq, after), lte(outbox.seq, end)))
      .orderBy(asc(outbox.seq))
      .limit(limit)) as LogRow[];
    return { rows, upTo: rows.length < limit ? end : rows[rows.length - 1]!.seq };
  }
}

/** Follows the log for one subscription. */
class ConsumerRunner {
  /** every seq <= position is done (handled or parked); stored as the consumer's offset */
  private position = 0;
  private flushedPosition = 0;
  /** every seq <= fetched of this topic has been read into memory */
  private fetched = 0;
  /** seqs read and not done yet, in log order (their head bounds `position`) */
  private readonly inFlight: number[] = [];
  private readonly done = new Set<number>();
  private readonly partitions = new Map<string, LogRow[]>();
  /** partitions with queued events and no worker: each queued partition is here or in `working`, never both */
  private readonly waiting: string[] = [];
  private readonly working = new Set<string>();
  private readonly workers = new Set<Promise<void>>();
  private queued = 0;
  private fetching = false;
  private dirty = false;
  private stopped = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly sleepers = new Set<() => void>();
  private fetchDone: Promise<void> = Promise.resolve();
  private log!: OutboxLog;
  /** events read and not done yet (metrics) */
  private readonly lag;

  constructor(
    private readonly db: Db,
    readonly sub: Subscription,
    private readonly opts: Required<EmbeddedEventBusOptions>,
    private readonly logger: EventLogger,
  ) {
    this.lag = consumerLag.labels(sub.topic, sub.consumer);
  }

  /** Loads the stored offset (a live subscription starts at the head) and returns it. */
  async init(): Promise<number> {
    if (this.sub.ephemeral) {
      // Live fan-out starts at the end of the log: nobody is listening to what happened before. (A write
      // still committing at this instant with a lower seq is not delivered to it; live clients catch up
      // with `?since=` anyway, and subscriptions start before the app listens.)
      const [row] = await this.db.select({ head: max(outbox.seq) }).from(outbox);
      this.position = Number(row?.head ?? 0);
    } else {
      const [row] = await this.db
        .select({ position: consumerOffsets.position })
        .from(consumerOffsets)
        .where(eq(consumerOffsets.consumer, offsetKey(this.sub)));
      this.position = row?.position ?? 0;
    }
    this.flushedPosition = this.position;
    this.fetched = this.position;
    return this.position;
  }

  attach(log: OutboxLog): void {
    this.log = log;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.fetching) {
      this.dirty = true;
      return;
    }
    this.fetchDone = this.fetchLoop();
  }

  private async fetchLoop(): Promise<void> {
    this.fetching = true;
    try {
      do {
        this.dirty = false;
        while (!this.stopped && this.queued < this.opts.maxQueued) {
          const limit = Math.min(this.opts.batchSize, this.opts.maxQueued - this.queued);
          const { rows, upTo } = await this.log.read(this.sub.topic, this.fetched, limit);
          for (const row of rows) this.enqueue(row);
          this.fetched = Math.max(this.fetched, upTo);
          if (rows.length < limit) break;
        }
      } while (this.dirty && !this.stopped);
    } catch (err) {
      if (!this.stopped) {
        this.logger.error({ err, consumer: this.sub.consumer }, 'reading the outbox failed; retrying');
        this.retryTimer = setTimeout(() => this.wake(), 1_000);
        this.retryTimer.unref();
      }
    } finally {
      this.fetching = false;
    }
  }

  private enqueue(row: LogRow): void {
    this.inFlight.push(row.seq);
    this.lag.inc();
    this.queued++;
    const queue = this.partitions.get(row.partitionKey);
    if (queue) {
      queue.push(row);
      return;
    }
    this.partitions.set(row.partitionKey, [row]);
    this.waiting.push(row.partitionKey);
    this.startWorkers();
  }

  /**
   * One worker per user's partition, or — for a subscription with `handleBatch` — fewer workers that each
   * take several waiting partitions at once: under load events pile up while a batch runs, so the next
   * batch is larger and the per-event cost (transaction, commit, round trips) is shared.
   */
  private startWorkers(): void {
    const batching = this.sub.handleBatch !== undefined;
    const limit = batching ? this.opts.batchConcurrency : this.opts.partitionConcurrency;
    while (!this.stopped && this.workers.size < limit && this.waiting.length > 0) {
      const keys = batching ? this.takeWaiting() : [this.waiting.shift()!];
      for (const key of keys) this.working.add(key);
      const worker = (batching ? this.drainBatch(keys) : this.drain(keys[0]!))
        .catch((err) => {
          // only the dead-letter write can throw, and only once stopping: leave the event unacknowledged
          this.logger.warn(
            { err, consumer: this.sub.consumer },
            'could not park the event; it will be redelivered',
          );
        })
        .finally(() => {
          this.workers.delete(worker);
          for (const key of keys) this.release(key);
          // reading paused at maxQueued; resume once there is room again
          if (this.queued < this.opts.maxQueued / 2) this.wake();
          this.startWorkers();
        });
      this.workers.add(worker);
    }
  }

  /** Waiting partitions holding up to `maxBatch` events in all (at least one partition). */
  private takeWaiting(): string[] {
    const keys: string[] = [];
    let events = 0;
    while (this.waiting.length > 0 && events < this.opts.maxBatch) {
      const key = this.waiting.shift()!;
      keys.push(key);
      events += this.partitions.get(key)!.length;
    }
    return keys;
  }

  /** A worker is done with a partition: forget it when empty, else it waits for the next worker. */
  private release(key: string): void {
    this.working.delete(key);
    const queue = this.partitions.get(key);
    if (!queue) return;
    if (queue.length === 0) this.partitions.delete(key);
    else this.waiting.push(key);
  }

  /** Works through (at most `max` events of) one user's queue strictly in order, one event at a time. */
  private async drain(key: string, max = Number.POSITIVE_INFINITY): Promise<void> {
    const queue = this.partitions.get(key)!;
    for (let n = 0; n < max && queue.length > 0 && !this.stopped; n++) {
      const row = queue[0]!;
      if (!(await this.process(row))) return;
      queue.shift();
      this.queued--;
      this.markDone(row.seq);
    }
  }

  /**
   * The head events of several partitions (each partition's in order, the whole in log order) in one
   * `handleBatch` call. If it fails, exactly those events go through `drain` one by one, which retries,
   * parks and keeps each user's order; other partitions are not held up beyond that.
   */
  private async drainBatch(keys: string[]): Promise<void> {
    const rows = keys
      .flatMap((key) => this.partitions.get(key)!)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, this.opts.maxBatch);
    if (rows.length === 1) return this.drain(rows[0]!.partitionKey, 1);
    const handleBatch = this.sub.handleBatch!.bind(this.sub);
    const events = rows.map((r) => r.event);
    try {
      await inBatchSpan(events, this.sub.topic, this.sub.consumer, () =>
        handleBatch(events, {
          log: this.logger,
          logFor: (event) => eventLogger(this.logger, event, this.sub.consumer),
        }),
      );
    } catch (err) {
      this.logger.warn(
        { err, consumer: this.sub.consumer, events: rows.length },
        'batch failed; handling its events one by one',
      );
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.partitionKey, (counts.get(row.partitionKey) ?? 0) + 1);
      await Promise.all([...counts].map(([key, n]) => this.drain(key, n)));
      return;
    }
    eventsConsumed.inc({ topic: this.sub.topic, consumer: this.sub.consumer }, rows.length);
    for (const row of rows) {
      // each row is at the head of its partition's queue: rows were taken as per-partition prefixes
      this.partitions.get(row.partitionKey)!.shift();
      this.queued--;
      this.markDone(row.seq);
    }
  }

  /**
   * Runs the handler until it succeeds, rejects the event permanently or runs out of attempts (then parks it).
   * @returns false only when the bus stopped before the event was finished (it stays unacknowledged).
   */
  private async process(row: LogRow): Promise<boolean> {
    const attempts = this.opts.retryDelaysMs.length + 1;
    for (let attempt = 1; ; attempt++) {
      const result = await runHandler(this.sub, row.event, this.logger);
      if (result.ok) return true;
      const log = this.logger.child({
        traceparent: row.event.traceparent,
        event_id: row.event.id,
        consumer: this.sub.consumer,
      });
      if (result.permanent || attempt >= attempts) {
        log.error({ err: result.error, attempts: attempt }, 'event parked in dead letters');
        if (!this.sub.ephemeral) {
          await this.withRetries(() =>
            recordDeadLetter(this.db, {
              consumer: this.sub.consumer,
              event: row.event,
              topic: this.sub.topic,
              seq: row.seq,
              error: result.error,
              attempts: attempt,
            }),
          );
        }
        return true;
      }
      log.warn({ err: result.error, attempt }, 'handler failed; retrying');
      await this.sleep(this.opts.retryDelaysMs[attempt - 1]!);
      if (this.stopped) return false;
    }
  }

  /** Writing the dead letter itself must not be lost to a transient database error. */
  private async withRetries(fn: () => Promise<void>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (this.stopped || i >= 5) throw err;
        await this.sleep(200 * 2 ** i);
      }
    }
  }

  private markDone(seq: number): void {
    this.lag.dec();
    this.done.add(seq);
    let advanced = false;
    while (this.inFlight.length > 0 && this.done.has(this.inFlight[0]!)) {
      const head = this.inFlight.shift()!;
      this.done.delete(head);
      this.position = head;
      advanced = true;
    }
    if (advanced && !this.sub.ephemeral) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((err) => this.logger.warn({ err }, 'saving the consumer offset failed'));
    }, this.opts.offsetFlushMs);
    this.flushTimer.unref();
  }

  private async flush(): Promise<void> {
    if (this.sub.ephemeral || this.position === this.flushedPosition) return;
    const position = this.position;
    await this.db
      .insert(consumerOffsets)
      .values({ consumer: offsetKey(this.sub), position, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: consumerOffsets.consumer,
        // never move backwards, whatever order two flushes commit in
        set: { position: sql`greatest(${consumerOffsets.position}, ${position})`, updatedAt: new Date() },
      });
    this.flushedPosition = Math.max(this.flushedPosition, position);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        this.sleepers.delete(wakeUp);
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      this.sleepers.add(wakeUp);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const wakeUp of [...this.sleepers]) wakeUp();
    await this.fetchDone;
    await Promise.allSettled([...this.workers]);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      await this.flush();
    } catch (err) {
      this.logger.warn({ err }, 'saving the consumer offset on stop failed');
    }
  }
}
