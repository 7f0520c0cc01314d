import { randomBytes } from 'node:crypto';

/** A signed-up user of the server under test. */
export interface Account {
  id: string;
  email: string;
  token: string;
}

/** Signs `n` users up over HTTP (as a browser would: with an Origin). */
export async function signUpAccounts(url: string, n: number): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < n; i++) {
    const email = `fault-${randomBytes(5).toString('hex')}@example.com`;
    const res = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email, password: 'correct-horse-battery', name: `Fault ${i}` }),
    });
    if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string; user: { id: string } };
    accounts.push({ id: body.user.id, email, token: body.token });
  }
  return accounts;
}

export type Op = 'create' | 'create-recurring' | 'update' | 'complete' | 'delete' | 'restore';

/** Relative weights of the operations a writer picks from (an impossible pick falls back to a create). */
const mix: [Op, number][] = [
  ['create', 25],
  ['create-recurring', 20],
  ['update', 20],
  ['complete', 15],
  ['delete', 10],
  ['restore', 10],
];

interface OwnTask {
  id: string;
  recurring: boolean;
  completed: boolean;
  deleted: boolean;
  edits: number;
}

export interface WorkloadOptions {
  /** the server's base URL now (a restarted server may listen elsewhere) */
  url: () => string;
  accounts: Account[];
  writers: number;
  /**
   * Retry a request that got no answer or a 5xx (a crash or a restart under way) until this many ms after
   * its first attempt; 0 = never (any failure is recorded as unexpected). Every operation is safe to
   * repeat: complete, delete and restore are idempotent; a repeated create or update only adds a write.
   */
  retryForMs?: number;
  /** pause between one writer's operations: a steady rate instead of as fast as the server answers */
  paceMs?: number;
}

export interface WorkloadFigures {
  requests: number;
  acknowledged: number;
  retries: number;
  byOp: Record<Op, number>;
}

/**
 * Concurrent writers over the REST API. Each writer acts for one account (round robin) on tasks it created
 * itself, so no two writers race on a task and every answer is expected to be a 2xx: creates (plain and
 * daily-recurring), updates, completions of recurring tasks, deletes and restores.
 */
export class Workload {
  readonly figures: WorkloadFigures = {
    requests: 0,
    acknowledged: 0,
    retries: 0,
    byOp: { create: 0, 'create-recurring': 0, update: 0, complete: 0, delete: 0, restore: 0 },
  };
  /** every acknowledged create: id → title */
  readonly created = new Map<string, string>();
  /** answers that were neither a 2xx nor retried: should stay empty */
  readonly unexpected: string[] = [];
  private stopping = false;
  private counter = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: WorkloadOptions) {}

  /** Starts the writers; they run until `stop()`. */
  start(): void {
    this.running = Promise.all(
      Array.from({ length: this.opts.writers }, (_, i) =>
        this.writer(this.opts.accounts[i % this.opts.accounts.length]!),
      ),
    ).then(() => undefined);
  }

  /** Lets each writer finish its request in flight (and its retries), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Runs for `ms`, then stops. */
  async runFor(ms: number): Promise<void> {
    this.start();
    await new Promise((r) => setTimeout(r, ms));
    await this.stop();
  }

  private async writer(account: Account): Promise<void> {
    const own: OwnTask[] = [];
    while (!this.stopping) {
      const op = pick(own);
      const i = this.counter++;
      const ok = await this.perform(account, op, own, `soak ${i}`);
      if (ok) {
        this.figures.acknowledged++;
        this.figures.byOp[op]++;
      }
      if (this.opts.paceMs) await new Promise((r) => setTimeout(r, this.opts.paceMs));
    }
  }

  private async perform(account: Account, op: Op, own: OwnTask[], title: string): Promise<boolean> {
    const due = new Date(Date.now() + 86_400_000).toISOString();
    switch (op) {
      case 'create':
      case 'create-recurring': {
        const recurring = op === 'create-recurring';
        const body = recurring ? { title, due: { at: due }, recurrence: { rrule: 'FREQ=DAILY' } } : { title };
        const res = await this.request(account, 'POST', '/tasks', body);
        if (!res) return false;
        const { id } = res as { id: string };
        this.created.set(id, title);
        own.push({ id, recurring, completed: false, deleted: false, edits: 0 });
        return true;
      }
      case 'update': {
        const t = randomOf(own.filter((x) => !x.deleted && !x.completed))!;
        t.edits++;
        const priority = (['none', 'low', 'medium', 'high', 'urgent'] as const)[t.edits % 5];
        return (
          (await this.request(account, 'PATCH', `/tasks/${t.id}`, {
            title: `${title} (edit ${t.edits})`,
            priority,
          })) !== undefined
        );
      }
      case 'complete': {
        const t = randomOf(own.filter((x) => x.recurring && !x.deleted && !x.completed))!;
        const ok = (await this.request(account, 'POST', `/tasks/${t.id}/complete`)) !== undefined;
        if (ok) t.completed = true;
        return ok;
      }
      case 'delete': {
        // only plain tasks: a completed occurrence stays put, so its next occurrence is always due
        const t = randomOf(own.filter((x) => !x.recurring && !x.deleted))!;
        const ok = (await this.request(account, 'DELETE', `/tasks/${t.id}`)) !== undefined;
        if (ok) t.deleted = true;
        return ok;
      }
      case 'restore': {
        const t = randomOf(own.filter((x) => x.deleted))!;
        const ok = (await this.request(account, 'POST', `/tasks/${t.id}/restore`)) !== undefined;
        if (ok) t.deleted = false;
        return ok;
      }
    }
  }

  /** The parsed 2xx body (`{}` for 204), or undefined after an unexpected answer or exhausted retries. */
  private async request(account: Account, method: string, path: string, body?: unknown): Promise<unknown> {
    const first = Date.now();
    const retryFor = this.opts.retryForMs ?? 0;
    for (let attempt = 0; ; attempt++) {
      this.figures.requests++;
      if (attempt > 0) this.figures.retries++;
      let failure: string;
      try {
        const res = await fetch(`${this.opts.url()}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${account.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) return text ? JSON.parse(text) : {};
        failure = `${method} ${path} → ${res.status} ${text.slice(0, 200)}`;
        if (res.status < 500) {
          this.unexpected.push(failure);
          return undefined;
        }
      } catch (err) {
        failure = `${method} ${path} → ${(err as Error).message} ${String((err as Error).cause ?? '')}`;
      }
      if (Date.now() - first >= retryFor) {
        this.unexpected.push(failure);
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

function randomOf<T>(items: T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

/** A weighted random operation that this writer's tasks allow (else a create). */
function pick(own: OwnTask[]): Op {
  const possible: Record<Op, boolean> = {
    create: true,
    'create-recurring': true,
    update: own.some((x) => !x.deleted && !x.completed),
    complete: own.some((x) => x.recurring && !x.deleted && !x.completed),
    delete: own.some((x) => !x.recurring && !x.deleted),
    restore: own.some((x) => x.deleted),
  };
  let r = Math.random() * mix.reduce((n, [, w]) => n + w, 0);
  for (const [op, w] of mix) {
    r -= w;
    if (r < 0) return possible[op] ? op : 'create';
  }
  return 'create';
}
