import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock/clock.ts';
import type { Db } from '../db/db.ts';
import { timers } from '../db/schema.ts';
import {
  assertJobName,
  type BatchJobHandler,
  type JobData,
  type JobHandler,
  type Scheduler,
  type TriggerOutcome,
} from './scheduler.ts';

export interface EmbeddedSchedulerOptions {
  db: Db;
  clock: Clock;
  log?: FastifyBaseLogger;
  /** Sweep period; the issue asks for every minute. */
  sweepIntervalMs?: number;
  /** How long a trigger that asked for a retry (or threw) waits before the next attempt. */
  retryDelayMs?: number;
  /** Timers fetched per round; a round repeats until nothing is due. */
  batchSize?: number;
}

/**
 * Longest the in-process timer sleeps before looking at the table again. The table is the truth: a timer
 * written by another process sharing the database, or a clock jump, is noticed within this bound.
 */
const MAX_SLEEP_MS = 30_000;
/** Node may wake a timer a millisecond before `Date.now()` reaches it; re-arming below this would spin. */
const MIN_SLEEP_MS = 5;

/**
 * Scheduler on the `timers` table (DESIGN §1 embedded shape). One `setTimeout` is armed for the earliest
 * timer; when it wakes, every timer whose `fire_at` has passed (by the injected clock) is delivered in
 * `fire_at` order. A timer row is deleted only after its handler said `done`, so a crash in between
 * delivers it again on start (at least once), and `start()` catches up with everything missed while down.
 */
export class EmbeddedScheduler implements Scheduler {
  readonly kind = 'embedded' as const;
  private handler: JobHandler | undefined;
  private batchHandler: BatchJobHandler | undefined;
  private sweepHandler: (() => Promise<void>) | undefined;
  private running = false;
  private wake: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private sweeping: Promise<void> | undefined;
  private log: FastifyBaseLogger | undefined;

  constructor(private readonly opts: EmbeddedSchedulerOptions) {
    this.log = opts.log;
  }

  onTrigger(handler: JobHandler): void {
    this.handler = handler;
  }

  onTriggers(handler: BatchJobHandler): void {
    this.batchHandler = handler;
  }

  onSweep(handler: () => Promise<void>): void {
    this.sweepHandler = handler;
  }

  async schedule(name: string, fireAt: Date, data: JobData): Promise<void> {
    assertJobName(name);
    await this.opts.db
      .insert(timers)
      .values({ name, fireAt, data })
      .onConflictDoUpdate({ target: timers.name, set: { fireAt, data } });
    // Only an earlier timer needs the wake-up moved; a later one is found when the current one fires.
    if (this.running && (this.armedFor === undefined || fireAt.getTime() < this.armedFor)) this.arm(fireAt);
  }

  async cancel(name: string): Promise<void> {
    await this.opts.db.delete(timers).where(eq(timers.name, name));
  }

  async start(log?: FastifyBaseLogger): Promise<void> {
    if (this.running) return;
    if (log) this.log = log;
    this.running = true;
    const period = this.opts.sweepIntervalMs ?? 60_000;
    this.sweepTimer = setInterval(() => void this.runSweep(), period);
    this.sweepTimer.unref();
    // catch-up: anything that came due while the process was down fires now
    await this.runDue();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.wake) clearTimeout(this.wake);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.wake = undefined;
    this.armedFor = undefined;
    await this.ticking;
    await this.sweeping;
  }

  /** Runs the sweep handler once now (also what the interval does). Overlapping calls share one run. */
  runSweep(): Promise<void> {
    if (!this.sweepHandler || !this.running) return Promise.resolve();
    this.sweeping ??= this.sweepHandler()
      .catch((err: unknown) => this.log?.error({ err }, 'scheduler sweep failed'))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  /**
   * Delivers every timer due by the clock, then re-arms for the next. Tests with a hand-moved clock call
   * it after moving the clock; in production the armed timeout calls it.
   */
  runDue(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return this.ticking;
    }
    this.ticking = this.tick()
      .catch((err: unknown) => {
        this.log?.error({ err }, 'scheduler tick failed');
        if (this.running) this.arm(new Date(this.opts.clock.now().getTime() + this.retryDelay()));
      })
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private retryDelay(): number {
    return this.opts.retryDelayMs ?? 1000;
  }

  private async tick(): Promise<void> {
    const { db, clock } = this.opts;
    const batch = this.opts.batchSize ?? 500;
    do {
      this.tickAgain = false;
      if (!this.running || (!this.handler && !this.batchHandler)) return;
      const now = clock.now();
      const due = await db
        .select()
        .from(timers)
        .where(lte(timers.fireAt, now))
        .orderBy(asc(timers.fireAt))
        .limit(batch);
      if (due.length === 0) break;
      const outcomes = await this.deliver(due.map((t) => ({ name: t.name, data: t.data as JobData })));
      const done = due.filter((_, i) => outcomes[i] === 'done');
      const retry = due.filter((_, i) => outcomes[i] !== 'done');
      if (done.length > 0) {
        // Guarded by fire_at: a job rescheduled to a later time while its trigger ran must survive.
        await db.delete(timers).where(
          and(
            inArray(
              timers.name,
              done.map((t) => t.name),
            ),
            lte(timers.fireAt, now),
          ),
        );
      }
      if (retry.length > 0) {
        const retryAt = new Date(clock.now().getTime() + this.retryDelay());
        await db
          .update(timers)
          .set({ fireAt: retryAt })
          .where(
            and(
              inArray(
                timers.name,
                retry.map((t) => t.name),
              ),
              lte(timers.fireAt, now),
            ),
          );
      }
      if (due.length === batch) this.tickAgain = true;
    } while (this.tickAgain);
    await this.armNext();
  }

  /** One outcome per trigger; a handler that throws counts as `retry` for the triggers it was given. */
  private async deliver(triggers: { name: string; data: JobData }[]): Promise<TriggerOutcome[]> {
    if (this.batchHandler) {
      try {
        return await this.batchHandler(triggers);
      } catch (err) {
        this.log?.warn({ err, jobs: triggers.length }, 'job batch handler failed; will retry');
        return triggers.map(() => 'retry');
      }
    }
    const outcomes: TriggerOutcome[] = [];
    for (const trigger of triggers) {
      if (!this.running) {
        outcomes.push('retry');
        continue;
      }
      try {
        outcomes.push(await this.handler!(trigger));
      } catch (err) {
        this.log?.warn({ err, job: trigger.name }, 'job handler failed; will retry');
        outcomes.push('retry');
      }
    }
    return outcomes;
  }

  private async armNext(): Promise<void> {
    if (!this.running) return;
    const [next] = await this.opts.db
      .select({ fireAt: sql<Date>`min(${timers.fireAt})`.mapWith(timers.fireAt) })
      .from(timers);
    if (next?.fireAt) this.arm(next.fireAt);
    else this.arm(new Date(this.opts.clock.now().getTime() + MAX_SLEEP_MS));
  }

  private arm(fireAt: Date): void {
    if (!this.running) return;
    if (this.wake) clearTimeout(this.wake);
    const delay = Math.min(
      MAX_SLEEP_MS,
      Math.max(MIN_SLEEP_MS, fireAt.getTime() - this.opts.clock.now().getTime()),
    );
    this.armedFor = this.opts.clock.now().getTime() + delay;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.armedFor = undefined;
      void this.runDue();
    }, delay);
    this.wake.unref();
  }
}
