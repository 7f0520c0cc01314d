import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { assertJobName, type JobData, type JobHandler, type Scheduler } from './scheduler.ts';

export interface DaprSchedulerOptions {
  /** The sidecar's HTTP port (DAPR_HTTP_PORT); the sidecar is always on localhost. */
  httpPort: number;
  /** Sent as `dapr-api-token` when the sidecar requires it (DAPR_API_TOKEN). */
  apiToken?: string | undefined;
  log?: FastifyBaseLogger;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Retries the sidecar applies when `/job/<name>` answers non-2xx (contract §3.2: the default is only 3 × 1 s).
 * A handler answers `retry` when the app's clock is a little behind the scheduler's, so allow a minute.
 */
const failurePolicy = { constant: { interval: '2s', maxRetries: 30 } };

/** Path of the cron input binding (component `reminder-sweep`, default route = `/<component name>`, §4). */
export const sweepBindingRoute = '/reminder-sweep';

export class DaprSidecarError extends Error {
  override name = 'DaprSidecarError';
  constructor(
    readonly status: number,
    readonly body: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Scheduler on the Dapr Jobs API (contract §3), spoken with plain fetch. Jobs are scheduled through the
 * sidecar of the process that handles them: Dapr delivers a trigger only to the app-id that scheduled it.
 * Triggers arrive on `POST /job/<name>` with the job's `data` as the whole body (see `daprSchedulerRoutes`).
 */
export class DaprScheduler implements Scheduler {
  readonly kind = 'dapr' as const;
  private handler: JobHandler | undefined;
  private sweepHandler: (() => Promise<void>) | undefined;
  private running = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly fetch: typeof fetch;
  private log: FastifyBaseLogger | undefined;

  constructor(private readonly opts: DaprSchedulerOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.log = opts.log;
  }

  onTrigger(handler: JobHandler): void {
    this.handler = handler;
  }

  onSweep(handler: () => Promise<void>): void {
    this.sweepHandler = handler;
  }

  async start(log?: FastifyBaseLogger): Promise<void> {
    if (log) this.log = log;
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled([...this.inFlight]);
  }

  async schedule(name: string, fireAt: Date, data: JobData): Promise<void> {
    assertJobName(name);
    const body = JSON.stringify({
      // RFC 3339 with an explicit offset: without one the scheduler host's local time would be used (§10 #13)
      dueTime: fireAt.toISOString(),
      data,
      // Dapr ≥ 1.16 answers 409 to a second job of the same name unless overwrite is set (§3.1)
      overwrite: true,
      failurePolicy,
    });
    let res = await this.call('POST', name, body);
    if (res.status === 409) {
      // A sidecar that ignores `overwrite` (or a racing writer) still holds the old job: replace it.
      await this.cancel(name);
      res = await this.call('POST', name, body);
    }
    if (!res.ok) throw await this.error(res, `schedule job ${name}`);
  }

  async cancel(name: string): Promise<void> {
    assertJobName(name);
    const res = await this.call('DELETE', name);
    // DELETE answers 204 for a job that does not exist too (§3.1)
    if (!res.ok) throw await this.error(res, `delete job ${name}`);
  }

  /**
   * Handles one trigger from the sidecar and returns the HTTP status to answer (§3.3): 200 when done
   * (also for a job this app no longer knows: a 404 would be read the same way, but says less), 500 to have
   * the sidecar retry per the failure policy, 503 while stopped.
   */
  async deliver(name: string, data: unknown): Promise<number> {
    if (!this.running || !this.handler) return 503;
    if (!isJobData(data)) {
      this.log?.warn({ job: name }, 'job trigger without usable data: dropped');
      return 200;
    }
    const run = this.handler({ name, data });
    this.inFlight.add(run);
    try {
      return (await run) === 'done' ? 200 : 500;
    } catch (err) {
      this.log?.warn({ err, job: name }, 'job handler failed; the sidecar will retry');
      return 500;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** One tick of the cron binding. */
  async sweep(): Promise<void> {
    if (!this.running || !this.sweepHandler) return;
    await this.sweepHandler();
  }

  private call(method: 'POST' | 'DELETE', name: string, body?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.opts.apiToken) headers['dapr-api-token'] = this.opts.apiToken;
    // the stable route (Dapr ≥ 1.18); the project pins ≥ 1.18.3 (contract §0)
    const url = `http://127.0.0.1:${this.opts.httpPort}/v1.0/jobs/${encodeURIComponent(name)}`;
    return this.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  }

  private async error(res: Response, what: string): Promise<DaprSidecarError> {
    const text = await res.text().catch(() => '');
    return new DaprSidecarError(
      res.status,
      text,
      `${what}: sidecar answered ${res.status} ${text.slice(0, 300)}`,
    );
  }
}

function isJobData(value: unknown): value is JobData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
}

/**
 * The Dapr-facing routes of the scheduler (DESIGN §6: only with the Dapr adapter, only from the sidecar):
 * `POST /job/<name>` (trigger; body = the job's data, contract §3.3) and the cron binding's `OPTIONS`/`POST`
 * `/reminder-sweep` (§4). `guard` rejects callers other than the sidecar.
 */
export async function daprSchedulerRoutes(
  app: FastifyInstance,
  opts: { scheduler: DaprScheduler; guard: (request: FastifyRequest) => Promise<void> },
): Promise<void> {
  const { scheduler, guard } = opts;
  // A job scheduled without data triggers with an empty body; Fastify's JSON parser would answer 400 and
  // the sidecar would retry a trigger that can never succeed.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, undefined);
    }
  });
  app.addHook('preHandler', guard);
  app.post<{ Params: { name: string } }>('/job/:name', async (request, reply) => {
    const status = await scheduler.deliver(request.params.name, request.body);
    return reply.code(status).send(status === 200 ? { status: 'done' } : { status: 'retry' });
  });
  // The sidecar probes input bindings with OPTIONS at start: 404 would mean "not bound" (§4).
  app.options(sweepBindingRoute, async (_request, reply) => reply.code(200).send());
  app.post(sweepBindingRoute, async (request, reply) => {
    try {
      await scheduler.sweep();
    } catch (err) {
      // the cron binding ignores failures and never retries a tick; the next tick sweeps again
      request.log.error({ err }, 'reminder sweep failed');
      return reply.code(500).send({ status: 'failed' });
    }
    // exactly 200: with an inbound retry policy anything else (even 204) is retried (§4)
    return reply.code(200).send({ status: 'done' });
  });
}
