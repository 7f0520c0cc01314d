/**
 * Jobs API and cron input binding for the fake sidecar (reference/dapr-http-contract.md §3, §4, §12):
 * - `POST /v1.0/jobs/<name>` (and `/v1.0-alpha1/…`): 204; 409 for an existing name without `overwrite`;
 *   400 for `name` in the body or neither `schedule` nor `dueTime`;
 * - `GET`: 200 with `data` wrapped in an Any, **500** when the job does not exist; `DELETE`: 204 always;
 * - the trigger: `POST /job/<name>` to the app, body = only the job's `data`, never before `dueTime`;
 *   app 2xx or 404 → done (a one-shot job is then deleted); anything else → retried per `failurePolicy`
 *   (default 3 × 1 s);
 * - the cron binding: `OPTIONS /<route>` probe, then `POST /<route>` with an empty body and the headers
 *   `timeZone` and `readTimeUTC`; failures are not retried.
 */
import { daprError, type FakeDaprSidecar, type FakeRequest, type FakeResponse } from './fake-dapr-sidecar.ts';

interface StoredJob {
  name: string;
  dueTime: Date;
  data: unknown;
  failurePolicy: { drop?: object; constant?: { interval?: string; maxRetries?: number } } | undefined;
  timer: NodeJS.Timeout | undefined;
  /** bumped on every (re)schedule so a stale timer of a replaced job does nothing */
  generation: number;
}

export interface TriggerRecord {
  name: string;
  dueTime: Date;
  at: Date;
  data: unknown;
  status: number | 'network-error';
  duplicate: boolean;
}

export interface FakeJobsOptions {
  /**
   * Answer 409 to a POST for an existing name even with `overwrite: true` — what a racing writer (or a
   * sidecar that ignores `overwrite`) looks like to the app, to exercise its 409 path.
   */
  rejectExisting?: boolean;
}

/** Go durations as Dapr accepts them (`30s`, `1m30s`, `500ms`, `1h`); null when not one. */
export function parseGoDuration(text: string): number | null {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return null;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

export class FakeJobsApi {
  readonly jobs = new Map<string, StoredJob>();
  readonly triggers: TriggerRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly sidecar: FakeDaprSidecar,
    private readonly opts: FakeJobsOptions = {},
  ) {
    for (const prefix of ['v1\\.0', 'v1\\.0-alpha1']) {
      const pattern = new RegExp(`^/${prefix}/jobs/(?<name>[^/]+)$`);
      sidecar.addRoute('POST', pattern, (req) => this.scheduleRoute(req));
      sidecar.addRoute('GET', pattern, (req) => this.getRoute(req));
      sidecar.addRoute('DELETE', pattern, (req) => this.deleteRoute(req));
    }
  }

  /** Stops firing; pending timers are dropped (the sidecar is going away). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when no trigger is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Sends the last trigger of `name` once more, as a scheduler that lost an acknowledgement would. */
  async duplicate(name: string): Promise<number | 'network-error'> {
    // a trigger is recorded once the app has answered it, which may be just after its handler ran
    await this.idle();
    const last = [...this.triggers].reverse().find((t) => t.name === name);
    if (!last) throw new Error(`job ${name} never triggered`);
    return this.send(name, last.dueTime, last.data, true);
  }

  /** One tick of a cron input binding: the start-up probe, then the trigger (contract §4). */
  async cronTick(route: string): Promise<{ probe: number; status: number }> {
    const probe = await this.sidecar.appFetch(route, { method: 'OPTIONS' });
    await probe.body?.cancel();
    if (probe.status === 404) return { probe: 404, status: 404 };
    const res = await this.sidecar.appFetch(route, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        timeZone: 'UTC',
        readTimeUTC: new Date().toISOString(),
      },
      body: '',
    });
    await res.body?.cancel();
    return { probe: probe.status, status: res.status };
  }

  private scheduleRoute(req: FakeRequest): FakeResponse {
    const name = decodeURIComponent(req.params.name!);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return daprError(400, 'DAPR_SCHEDULER_SCHEDULE_JOB', 'invalid JSON');
    }
    if ('name' in body) return daprError(400, 'DAPR_SCHEDULER_JOB_NAME', 'job name must be in the URL only');
    const due = body.dueTime ?? body.due_time;
    if (due === undefined && body.schedule === undefined) {
      return daprError(400, 'DAPR_SCHEDULER_SCHEDULE_EMPTY', 'schedule or dueTime is required');
    }
    if (typeof due !== 'string')
      return daprError(400, 'DAPR_SCHEDULER_SCHEDULE_JOB', 'the fake supports dueTime jobs only');
    const goMs = parseGoDuration(due);
    const dueTime = goMs !== null ? new Date(Date.now() + goMs) : new Date(due);
    if (Number.isNaN(dueTime.getTime()))
      return daprError(400, 'DAPR_SCHEDULER_SCHEDULE_JOB', `bad dueTime ${due}`);
    const existing = this.jobs.get(name);
    if (existing && (body.overwrite !== true || this.opts.rejectExisting)) {
      return daprError(409, 'DAPR_SCHEDULER_JOB_NAME_ALREADY_EXISTS', `job ${name} already exists`);
    }
    if (existing?.timer) clearTimeout(existing.timer);
    const job: StoredJob = {
      name,
      dueTime,
      data: body.data,
      failurePolicy: (body.failurePolicy ?? body.failure_policy) as StoredJob['failurePolicy'],
      timer: undefined,
      generation: (existing?.generation ?? 0) + 1,
    };
    this.jobs.set(name, job);
    this.arm(job, dueTime.getTime() - Date.now(), 0);
    return { status: 204 };
  }

  private getRoute(req: FakeRequest): FakeResponse {
    const job = this.jobs.get(decodeURIComponent(req.params.name!));
    // the real API answers 500 (not 404) for a missing job (contract §3.1)
    if (!job) return daprError(500, 'DAPR_SCHEDULER_GET_JOB', 'job not found');
    return {
      status: 200,
      body: {
        name: job.name,
        dueTime: job.dueTime.toISOString(),
        data: { '@type': 'type.googleapis.com/google.protobuf.Value', value: job.data },
        ...(job.failurePolicy ? { failurePolicy: job.failurePolicy } : {}),
      },
    };
  }

  private deleteRoute(req: FakeRequest): FakeResponse {
    const name = decodeURIComponent(req.params.name!);
    const job = this.jobs.get(name);
    if (job?.timer) clearTimeout(job.timer);
    this.jobs.delete(name);
    return { status: 204 };
  }

  private arm(job: StoredJob, delayMs: number, attempt: number): void {
    if (this.stopped) return;
    const generation = job.generation;
    job.timer = setTimeout(
      () => {
        const current = this.jobs.get(job.name);
        if (current !== job || job.generation !== generation) return;
        // setTimeout may wake a little early by the wall clock: never trigger before dueTime
        const early = job.dueTime.getTime() - Date.now();
        if (early > 0) return this.arm(job, early, attempt);
        const run = this.fire(job, attempt, generation);
        this.inFlight.add(run);
        void run.finally(() => this.inFlight.delete(run));
      },
      // setTimeout takes at most 2^31-1 ms and fires at once beyond it: a job years ahead re-arms in steps
      Math.min(2 ** 31 - 1, Math.max(0, delayMs)),
    );
  }

  private async fire(job: StoredJob, attempt: number, generation: number): Promise<void> {
    const status = await this.send(job.name, job.dueTime, job.data, false);
    if (this.jobs.get(job.name) !== job || job.generation !== generation) return;
    // 2xx, and also 404, end the job: the real runtime counts a 404 as handled (contract §3.3)
    if (status !== 'network-error' && ((status >= 200 && status < 300) || status === 404)) {
      this.jobs.delete(job.name);
      return;
    }
    const policy = job.failurePolicy;
    if (policy?.drop) {
      this.jobs.delete(job.name);
      return;
    }
    const interval = policy?.constant ? (parseGoDuration(policy.constant.interval ?? '1s') ?? 1000) : 1000;
    const maxRetries = policy?.constant ? policy.constant.maxRetries : 3;
    if (maxRetries !== undefined && attempt >= maxRetries) {
      this.jobs.delete(job.name);
      return;
    }
    this.arm(job, interval, attempt + 1);
  }

  private async send(
    name: string,
    dueTime: Date,
    data: unknown,
    duplicate: boolean,
  ): Promise<number | 'network-error'> {
    let status: number | 'network-error';
    try {
      const res = await this.sidecar.appFetch(`/job/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // the body is only the job's data (contract §3.3), empty when there is none
        body: data === undefined ? '' : JSON.stringify(data),
      });
      await res.body?.cancel();
      status = res.status;
    } catch {
      status = 'network-error';
    }
    this.triggers.push({ name, dueTime, at: new Date(), data, status, duplicate });
    return status;
  }
}
