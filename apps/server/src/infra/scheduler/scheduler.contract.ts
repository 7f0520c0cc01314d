import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobData, JobHandler, Scheduler, TriggerOutcome } from './scheduler.ts';

/** What a contract run needs from an adapter's test setup. */
export interface SchedulerHarness {
  scheduler: Scheduler;
  /** Delivers the last trigger of `name` again, as a sidecar that lost an acknowledgement would. */
  duplicate(name: string): Promise<void>;
  /** A fresh scheduler on the same durable state (process restart); the old one is stopped first. */
  restart(): Promise<Scheduler>;
  close(): Promise<void>;
}

interface Delivery {
  name: string;
  data: JobData;
  at: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * The Scheduler port's contract (scheduler.ts), run against every adapter with real time and short
 * delays: never early, at least once, one job per name (reschedule replaces, also through a 409),
 * cancel, retry on failure, durability across a restart, and a duplicate trigger reaching the handler
 * (which is why handlers must be idempotent; the app-level test checks one notification results).
 */
export function describeSchedulerContract(
  adapter: string,
  makeHarness: () => Promise<SchedulerHarness>,
): void {
  describe(`Scheduler contract: ${adapter}`, () => {
    let h: SchedulerHarness;
    let deliveries: Delivery[];
    let outcome: (d: Delivery) => TriggerOutcome | Promise<TriggerOutcome>;

    const handler: JobHandler = async ({ name, data }) => {
      const d = { name, data, at: Date.now() };
      deliveries.push(d);
      return outcome(d);
    };
    const start = async (s: Scheduler) => {
      s.onTrigger(handler);
      s.onSweep(async () => {});
      await s.start();
    };
    const of = (name: string) => deliveries.filter((d) => d.name === name);

    beforeEach(async () => {
      deliveries = [];
      outcome = () => 'done';
      h = await makeHarness();
      await start(h.scheduler);
    });
    afterEach(async () => {
      await h.close();
    });

    it('delivers a job once with its data, never before its time', async () => {
      const fireAt = new Date(Date.now() + 400);
      await h.scheduler.schedule('job-a', fireAt, { kind: 'test', n: 1, ok: true, none: null });
      await waitFor(() => of('job-a').length === 1, 5000, 'job-a');
      expect(of('job-a')[0]!.at).toBeGreaterThanOrEqual(fireAt.getTime());
      expect(of('job-a')[0]!.data).toEqual({ kind: 'test', n: 1, ok: true, none: null });
      await sleep(300);
      expect(of('job-a')).toHaveLength(1);
    });

    it('delivers a job whose time has already passed right away', async () => {
      await h.scheduler.schedule('job-past', new Date(Date.now() - 60_000), { kind: 'test' });
      await waitFor(() => of('job-past').length === 1, 3000, 'job-past');
    });

    it('rescheduling a name replaces the job: only the new time fires', async () => {
      const early = new Date(Date.now() + 300);
      const later = new Date(Date.now() + 900);
      await h.scheduler.schedule('job-move', early, { v: 1 });
      await h.scheduler.schedule('job-move', later, { v: 2 });
      await waitFor(() => of('job-move').length === 1, 5000, 'job-move');
      expect(of('job-move')[0]!.at).toBeGreaterThanOrEqual(later.getTime());
      expect(of('job-move')[0]!.data).toEqual({ v: 2 });
      await sleep(300);
      expect(of('job-move')).toHaveLength(1);
    });

    it('a cancelled job never fires; cancelling a missing job is not an error', async () => {
      await h.scheduler.schedule('job-cancel', new Date(Date.now() + 300), { v: 1 });
      await h.scheduler.cancel('job-cancel');
      await h.scheduler.cancel('job-never-existed');
      await sleep(800);
      expect(of('job-cancel')).toHaveLength(0);
    });

    it('a trigger the handler could not complete is delivered again (at least once)', async () => {
      let failures = 1;
      outcome = () => (failures-- > 0 ? 'retry' : 'done');
      await h.scheduler.schedule('job-retry', new Date(Date.now() + 100), { v: 1 });
      await waitFor(() => of('job-retry').length === 2, 8000, 'the retried delivery');
      await sleep(300);
      expect(of('job-retry')).toHaveLength(2);
    });

    it('a handler that throws is retried too', async () => {
      let failures = 1;
      outcome = () => {
        if (failures-- > 0) throw new Error('transient');
        return 'done';
      };
      await h.scheduler.schedule('job-throw', new Date(Date.now() + 100), { v: 1 });
      await waitFor(() => of('job-throw').length === 2, 8000, 'the retried delivery');
    });

    it('a duplicate trigger reaches the handler again with the same data', async () => {
      await h.scheduler.schedule('job-dup', new Date(Date.now() + 100), { v: 7 });
      await waitFor(() => of('job-dup').length === 1, 5000, 'job-dup');
      await h.duplicate('job-dup');
      await waitFor(() => of('job-dup').length === 2, 5000, 'the duplicate');
      expect(of('job-dup')[1]!.data).toEqual({ v: 7 });
    });

    it('jobs survive a restart, and one that came due meanwhile fires on start', async () => {
      await h.scheduler.schedule('job-durable', new Date(Date.now() + 400), { v: 1 });
      await h.scheduler.stop();
      await sleep(600);
      expect(of('job-durable')).toHaveLength(0);
      const next = await h.restart();
      await start(next);
      await waitFor(() => of('job-durable').length === 1, 5000, 'job-durable after restart');
    });

    it('rejects job names the Dapr scheduler would mangle', async () => {
      await expect(h.scheduler.schedule('Bad|Name', new Date(), {})).rejects.toThrow(/invalid job name/);
    });
  });
}
