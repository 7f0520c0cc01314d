import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import type { Db } from '../db/db.ts';
import { consumerOffsets, outbox } from '../db/schema.ts';
import type { CloudEvent } from './cloud-event.ts';
import { recordDeadLetter, runHandler } from './dispatch.ts';
import type { EventBus, EventLogger, Subscription } from './event-bus.ts';

export interface EmbeddedEventBusOptions {
  /** outbox rows read per query */
  batchSize?: number;
  /** events held in memory per consumer before reading pauses (bounds memory while a partition retries) */
  maxQueued?: number;
  /** how many users' partitions one consumer works on at once */
  partitionConcurrency?: number;
  /** waits between attempts; attempts = length + 1, then the event is parked in `dead_letters` */
  retryDelaysMs?: readonly number[];
  /** safety-net poll for rows written by another process or a missed signal; commits in process don't wait for it */
  pollIntervalMs?: number;
  /** stored offsets are written at most this often (replay after a crash is absorbed by the inbox) */
  offsetFlushMs?: number;
}

interface LogRow {
  seq: number;
  partitionKey: string;
  event: CloudEvent;
}

const defaults = {
  batchSize: 500,
  maxQueued: 5_000,
  partitionConcurrency: 16,
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
 * failing event (retried with backoff, then parked in `dead_letters`) never holds up another's.
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
    for (const r of this.runners) r.wake();
  }

  async start(log: EventLogger): Promise<void> {
    if (this.started) return;
    this.started = true;
    const logs = new Map<string, TopicLog>();
    for (const sub of this.subs) {
      let topicLog = logs.get(sub.topic);
      if (!topicLog) {
        topicLog = new TopicLog(this.db, sub.topic, this.opts.batchSize);
        logs.set(sub.topic, topicLog);
      }
      const runner = new ConsumerRunner(
        this.db,
        sub,
        topicLog,
        this.opts,
        log.child({ component: 'event-bus' }),
      );
      await runner.init();
      this.runners.push(runner);
    }
    this.poll = setInterval(() => this.notify(), this.opts.pollIntervalMs);
    this.poll.unref();
    this.notify();
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  async checkReady(): Promise<void> {
    // the log lives in the database: the bus is ready whenever the database is
  }
}

/**
 * The tail of one topic's log, shared by its consumers: after a commit, the consumers that are caught up
 * (normally all of them) are served by one query instead of one each, which matters on single-connection
 * PGlite where every query queues behind the writes. A consumer behind the window reads the table itself.
 */
class TopicLog {
  /** rows with seq in (base, end], ascending */
  private rows: LogRow[] = [];
  private base = 0;
  private end = 0;
  private inflight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private static readonly maxRows = 10_000;

  constructor(
    private readonly db: Db,
    private readonly topic: string,
    private readonly batchSize: number,
  ) {}

  async read(after: number, limit: number): Promise<LogRow[]> {
    if (after < this.base) return this.query(after, limit);
    // a reader ahead of the window (a live consumer starting at the head) moves it forward
    if (after > this.end) {
      this.rows = [];
      this.base = after;
      this.end = after;
    }
    await this.refresh();
    if (after < this.base) return this.query(after, limit);
    const from = this.rows.findIndex((r) => r.seq > after);
    return from < 0 ? [] : this.rows.slice(from, from + limit);
  }

  /**
   * Brings the window up to the head. A caller must see every row committed before it called, so a refresh
   * already running (it may have started before that commit) is not enough: one more is queued behind it,
   * shared by everyone who arrives meanwhile.
   */
  private refresh(): Promise<void> {
    if (!this.inflight) {
      this.inflight = this.extend().finally(() => {
        this.inflight = undefined;
      });
      return this.inflight;
    }
    this.queued ??= this.inflight.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  private async extend(): Promise<void> {
    const rows = await this.query(this.end, this.batchSize);
    if (rows.length === 0) return;
    this.rows.push(...rows);
    this.end = rows[rows.length - 1]!.seq;
    if (this.rows.length > TopicLog.maxRows) {
      const dropped = this.rows.splice(0, this.rows.length - TopicLog.maxRows);
      this.base = dropped[dropped.length - 1]!.seq;
    }
  }

  private async query(after: number, limit: number): Promise<LogRow[]> {
    const rows = await this.db
      .select({ seq: outbox.seq, partitionKey: outbox.partitionKey, event: outbox.event })
      .from(outbox)
      .where(and(eq(outbox.topic, this.topic), gt(outbox.seq, after)))
      .orderBy(asc(outbox.seq))
      .limit(limit);
    return rows as LogRow[];
  }
}

/** Follows the log for one subscription. */
class ConsumerRunner {
  /** every seq <= position is done (handled or parked); stored as the consumer's offset */
  private position = 0;
  private flushedPosition = 0;
  /** highest seq read into memory */
  private fetched = 0;
  /** seqs read and not done yet, in log order (their head bounds `position`) */
  private readonly inFlight: number[] = [];
  private readonly done = new Set<number>();
  private readonly partitions = new Map<string, LogRow[]>();
  /** partitions with queued events waiting for a worker slot */
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

  constructor(
    private readonly db: Db,
    private readonly sub: Subscription,
    private readonly topicLog: TopicLog,
    private readonly opts: Required<EmbeddedEventBusOptions>,
    private readonly log: EventLogger,
  ) {}

  async init(): Promise<void> {
    if (this.sub.ephemeral) {
      // live fan-out starts at the end of the log: nobody is listening to what happened before
      const [row] = await this.db
        .select({ head: max(outbox.seq) })
        .from(outbox)
        .where(eq(outbox.topic, this.sub.topic));
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
          const rows = await this.topicLog.read(
            this.fetched,
            Math.min(this.opts.batchSize, this.opts.maxQueued - this.queued),
          );
          for (const row of rows) this.enqueue(row);
          if (rows.length < this.opts.batchSize) break;
        }
      } while (this.dirty && !this.stopped);
    } catch (err) {
      if (!this.stopped) {
        this.log.error({ err, consumer: this.sub.consumer }, 'reading the outbox failed; retrying');
        this.retryTimer = setTimeout(() => this.wake(), 1_000);
        this.retryTimer.unref();
      }
    } finally {
      this.fetching = false;
    }
  }

  private enqueue(row: LogRow): void {
    this.fetched = row.seq;
    this.inFlight.push(row.seq);
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

  private startWorkers(): void {
    while (!this.stopped && this.working.size < this.opts.partitionConcurrency && this.waiting.length > 0) {
      const key = this.waiting.shift()!;
      this.working.add(key);
      const worker = this.drain(key).finally(() => {
        this.workers.delete(worker);
        this.working.delete(key);
        this.startWorkers();
      });
      this.workers.add(worker);
    }
  }

  /** Works through one user's queue strictly in order. */
  private async drain(key: string): Promise<void> {
    const queue = this.partitions.get(key)!;
    while (queue.length > 0 && !this.stopped) {
      const row = queue[0]!;
      let finished: boolean;
      try {
        finished = await this.process(row);
      } catch (err) {
        // only the dead-letter write can throw, and only once stopping: leave the event unacknowledged
        this.log.warn(
          { err, consumer: this.sub.consumer },
          'could not park the event; it will be redelivered',
        );
        return;
      }
      if (!finished) return;
      queue.shift();
      this.queued--;
      this.markDone(row.seq);
    }
    if (queue.length === 0) this.partitions.delete(key);
    // reading paused at maxQueued; resume once there is room again
    if (this.queued < this.opts.maxQueued / 2) this.wake();
  }

  /**
   * Runs the handler until it succeeds, rejects the event permanently or runs out of attempts (then parks it).
   * @returns false only when the bus stopped before the event was finished (it stays unacknowledged).
   */
  private async process(row: LogRow): Promise<boolean> {
    const attempts = this.opts.retryDelaysMs.length + 1;
    for (let attempt = 1; ; attempt++) {
      const result = await runHandler(this.sub, row.event, this.log);
      if (result.ok) return true;
      const log = this.log.child({
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
      this.flush().catch((err) => this.log.warn({ err }, 'saving the consumer offset failed'));
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
      this.log.warn({ err }, 'saving the consumer offset on stop failed');
    }
  }
}
