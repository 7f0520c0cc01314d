import type { FastifyBaseLogger } from 'fastify';

/** JSON that survives a round trip through the timers table and the Dapr Jobs API unchanged. */
export type JobData = { [key: string]: string | number | boolean | null };

/** A trigger as the handler sees it: the job's name and the `data` it was scheduled with. */
export interface JobTrigger {
  name: string;
  data: JobData;
}

/**
 * What a handler tells the scheduler:
 * - `done`: the trigger was handled, or can never be (unknown job, stale data) — do not deliver it again;
 * - `retry`: not now (transient failure, or the job's time has not come by the handler's clock) — deliver
 *   it again shortly. A thrown error counts as `retry`.
 */
export type TriggerOutcome = 'done' | 'retry';

export type JobHandler = (trigger: JobTrigger) => Promise<TriggerOutcome>;

/** Handles several triggers at once; returns one outcome per trigger, in order. */
export type BatchJobHandler = (triggers: JobTrigger[]) => Promise<TriggerOutcome[]>;

/**
 * Scheduler port (DESIGN §1, §5): durable one-shot jobs addressed by name.
 *
 * Guarantees every adapter keeps (checked by `scheduler.contract.ts`):
 * - **never early**: a job is delivered no sooner than its `fireAt`;
 * - **at least once**: a delivered job may be delivered again (crash before acknowledging, a retry, a
 *   duplicate from the sidecar), so handlers must be idempotent;
 * - **one job per name**: `schedule` with an existing name replaces it (reschedule), `cancel` removes it;
 *   neither fails when the job is missing;
 * - **durable**: a job survives a restart of the process; one missed while down fires on start.
 *
 * Adapters: `embedded.scheduler.ts` (timers table + one in-process timer armed for the earliest) and
 * `dapr.scheduler.ts` (Dapr Jobs API; triggers arrive on `POST /job/<name>`). Both also drive a periodic
 * sweep (`onSweep`): an interval in the embedded shape, the Dapr cron binding in the cloud shape.
 */
export interface Scheduler {
  readonly kind: 'embedded' | 'dapr';
  /**
   * Arms (or moves) the job `name` to fire at `fireAt` with `data`. Names are lowercase DNS-1123 labels
   * (`[a-z0-9-]`, ≤ 200 chars), as the Dapr scheduler requires.
   */
  schedule(name: string, fireAt: Date, data: JobData): Promise<void>;
  /** Removes the job; a job that does not exist (or already fired) is not an error. */
  cancel(name: string): Promise<void>;
  /** Sets the one handler for triggers. Call before `start()`. */
  onTrigger(handler: JobHandler): void;
  /**
   * Optionally, a handler for many triggers at once. An adapter that finds several jobs due together (the
   * embedded one, after a busy second or a restart) hands them over in one call, so the handler can fire
   * them in one transaction; triggers that arrive one by one (Dapr) still go to `onTrigger`.
   */
  onTriggers?(handler: BatchJobHandler): void;
  /**
   * Sets a handler run periodically (about every minute) as a safety net for lost triggers. Ticks may
   * overlap across replicas (the cron binding fires on every replica), so it must be idempotent.
   */
  onSweep(handler: () => Promise<void>): void;
  /**
   * Starts delivering (the embedded adapter first catches up with everything missed while down). `log`
   * is the app's logger, for failures that have no caller to report to.
   */
  start(log?: FastifyBaseLogger): Promise<void>;
  /** Stops delivering; an in-flight trigger finishes first. Idempotent. */
  stop(): Promise<void>;
}

const jobName = /^[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?$/;

/** Throws for a name the Dapr scheduler would reject or mangle (§3.7: uppercase, `|`, `@`). */
export function assertJobName(name: string): void {
  if (!jobName.test(name)) throw new Error(`invalid job name "${name}": use lowercase [a-z0-9-]`);
}
