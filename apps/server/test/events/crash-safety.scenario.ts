import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../helpers/server-database.ts';
import { freePort, killServer, type ServerProcess, startServerProcess } from './server-process.ts';

const totalWrites = 5_000;
const concurrency = 24;

interface Client {
  url: string;
  headers: Record<string, string>;
}

async function signUp(url: string): Promise<Client> {
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: 'crash@example.com', password: 'correct-horse-battery', name: 'Crash' }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

/** Pages through a cursor-paginated list and counts its items. */
async function countAll(c: Client, path: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await fetch(`${c.url}/api/v1${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: c.headers,
    });
    const body = (await res.json()) as { items: unknown[]; next_cursor: string | null };
    n += body.items.length;
    cursor = body.next_cursor;
  } while (cursor);
  return n;
}

/**
 * Crash safety (issue 3): the real server, killed with SIGKILL in the middle of 5,000 concurrent writes and
 * restarted on the same data (PGlite in `npm test`, PostgreSQL in the fault pass, issue 8). Every
 * acknowledged write must be there, and the activity log must hold exactly one row per task event: nothing
 * lost, nothing applied twice.
 */
export function describeCrashSafety(makeDatabase: () => Promise<ServerDatabase>): void {
  describe('crash safety: kill -9 in the middle of 5,000 writes', () => {
    let target: ServerDatabase | undefined;
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await killServer(server);
      await target?.remove();
    });

    it('keeps every acknowledged write and exactly one activity row per event', async () => {
      target = await makeDatabase();
      const port = await freePort();
      const env = target.env;
      server = await startServerProcess(env, port);
      let client = await signUp(server.url);

      const created: { id: string; title: string }[] = [];
      const completed: string[] = [];
      const completable: string[] = [];
      let next = 0;
      let acknowledged = 0;
      let killed = false;
      let crashedAt = 0;

      /** One write: every fifth completes a task created earlier, the others create one. */
      async function write(i: number, c: Client): Promise<void> {
        const target = i % 5 === 4 ? completable.shift() : undefined;
        const res = target
          ? await fetch(`${c.url}/api/v1/tasks/${target}/complete`, {
              method: 'POST',
              headers: { authorization: c.headers.authorization! },
            })
          : await fetch(`${c.url}/api/v1/tasks`, {
              method: 'POST',
              headers: c.headers,
              body: JSON.stringify({ title: `write ${i}` }),
            });
        const body = (await res.json()) as { id: string; title: string; status: string };
        if (res.status >= 300) throw new Error(`write ${i} answered ${res.status} ${JSON.stringify(body)}`);
        acknowledged++;
        if (target) completed.push(target);
        else {
          created.push({ id: body.id, title: body.title });
          completable.push(body.id);
        }
      }

      async function worker(c: Client): Promise<void> {
        while (next < totalWrites && !killed) {
          const i = next++;
          try {
            await write(i, c);
          } catch (err) {
            // a request cut by the crash: unacknowledged, so it may or may not have committed
            if (!killed) throw new Error(`write ${i} failed before the crash: ${(err as Error).message}`);
          }
          if (!killed && crashedAt === 0 && acknowledged >= totalWrites / 2) {
            killed = true;
            crashedAt = i;
            server!.child.kill('SIGKILL');
          }
        }
      }

      await Promise.all(Array.from({ length: concurrency }, () => worker(client)));
      await server.exited;
      expect(crashedAt).toBeGreaterThan(0);

      // restart on the same data directory and finish the remaining writes
      server = await startServerProcess(env, port);
      client = { ...client, url: server.url };
      killed = false;
      await Promise.all(Array.from({ length: concurrency }, () => worker(client)));
      expect(next).toBe(totalWrites);

      // wait until the audit consumer has caught up with everything that committed
      const tasks = await countAll(client, '/tasks?status=all');
      const done = await countAll(client, '/tasks?status=completed');
      const expectedEvents = tasks + done;
      const until = Date.now() + 60_000;
      for (;;) {
        const activity = await countAll(client, '/activity');
        if (activity === expectedEvents) break;
        if (Date.now() > until) throw new Error(`activity ${activity} never reached ${expectedEvents}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const database = await target.open();
      try {
        const db = database.db;
        const one = async <T>(q: ReturnType<typeof sql>) =>
          ((await db.execute(q)) as unknown as { rows: T[] }).rows[0]!;
        // every acknowledged create exists, with its title; every acknowledged completion stuck
        const ids = created.map((c) => c.id);
        const found = await one<{ n: number }>(
          sql`select count(*)::int as n from tasks where id = any(${`{${ids.join(',')}}`}::uuid[])`,
        );
        expect(found.n).toBe(created.length);
        const sample = created.slice(0, 50);
        for (const c of sample) {
          const row = await one<{ title: string }>(sql`select title from tasks where id = ${c.id}`);
          expect(row.title).toBe(c.title);
        }
        const stillOpen = await one<{ n: number }>(
          sql`select count(*)::int as n from tasks where id = any(${`{${completed.join(',')}}`}::uuid[]) and status <> 'completed'`,
        );
        expect(stillOpen.n).toBe(0);
        // exactly one activity row per outbox task event: none missing, none extra, none twice
        const counts = await one<{
          events: number;
          audit: number;
          distinct_audit: number;
          missing: number;
          extra: number;
        }>(sql`
        select
          (select count(*)::int from outbox where topic = 'task-events') as events,
          (select count(*)::int from audit_log) as audit,
          (select count(distinct event_id)::int from audit_log) as distinct_audit,
          (select count(*)::int from outbox o where o.topic = 'task-events'
             and not exists (select 1 from audit_log a where a.event_id = o.event_id)) as missing,
          (select count(*)::int from audit_log a
             where not exists (select 1 from outbox o where o.event_id = a.event_id)) as extra`);
        expect(counts.missing).toBe(0);
        expect(counts.extra).toBe(0);
        expect(counts.audit).toBe(counts.events);
        expect(counts.distinct_audit).toBe(counts.audit);
        expect(counts.events).toBe(expectedEvents);
        expect(counts.events).toBeGreaterThanOrEqual(acknowledged);
        // each task event has its live twin on task-updates (same transaction)
        const live = await one<{ n: number }>(
          sql`select count(*)::int as n from outbox where topic = 'task-updates'`,
        );
        expect(live.n).toBe(counts.events);
      } finally {
        await database.close();
      }
    }, 240_000);
  });
}
