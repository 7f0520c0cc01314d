/**
 * `npm run bench -- reminders [--count 10000] [--window 60] [--users 100]`
 *
 * Issue 5: 10,000 reminders due within a 60 s window on the embedded shape (PGlite in memory, embedded bus,
 * embedded scheduler, the whole notifier role). Reports lateness of the fire (fired_at − fire_at: the
 * guarded `scheduled → fired` update) and of the in-app notification (created_at − fire_at: after the bus
 * and the notifier), plus reminders never fired and reminders fired or notified more than once.
 * Target: p99 ≤ 1 s, none missed, none twice.
 */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { buildApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { systemClock } from '../apps/server/src/infra/clock/clock.ts';
import type { Database } from '../apps/server/src/infra/db/db.ts';
import { createPgliteDatabase } from '../apps/server/src/infra/db/pglite.db.ts';
import { createPostgresDatabase } from '../apps/server/src/infra/db/postgres.db.ts';
import {
  lists,
  notifications,
  outbox,
  reminders,
  tasks,
  timers,
  users,
} from '../apps/server/src/infra/db/schema.ts';
import { createInfra } from '../apps/server/src/infra/infra.ts';
import type { EmbeddedScheduler } from '../apps/server/src/infra/scheduler/embedded.scheduler.ts';
import { type BenchOptions, numberOption, stringOption } from './lib/options.ts';
import { ms, percentile } from './lib/stats.ts';

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function summary(label: string, values: number[]): string {
  const sorted = Float64Array.from(values).sort();
  const max = sorted.length ? sorted[sorted.length - 1]! : Number.NaN;
  return `${label.padEnd(34)} n=${String(values.length).padStart(6)}  p50 ${ms(percentile(sorted, 50)).padStart(6)} ms  p99 ${ms(percentile(sorted, 99)).padStart(6)} ms  max ${ms(max).padStart(6)} ms`;
}

export async function benchReminders(opts: BenchOptions = {}): Promise<void> {
  const postgres = stringOption(opts, 'postgres', '');
  const r = await measureReminders({
    count: numberOption(opts, 'count', 10_000),
    windowMs: numberOption(opts, 'window', 60) * 1000,
    userCount: numberOption(opts, 'users', 100),
    database: postgres ? createPostgresDatabase(postgres, 20) : undefined,
  });
  console.log(summary('fire lateness (fired_at − fire_at)', r.fireLateness));
  console.log(summary('in-app notification lateness', r.notifyLateness));
  console.log(`missed (never fired)             ${r.missed}`);
  console.log(`without a notification           ${r.notMissing}`);
  console.log(`fired early                      ${r.earlyFires}`);
  console.log(`fired twice (reminder.due × 2)   ${r.firedTwice}`);
  console.log(`notified twice                   ${r.notifiedTwice}`);
  console.log('target: p99 ≤ 1 s, none missed, none twice');
}

export interface ReminderResult {
  /** ms, one per fired reminder */
  fireLateness: number[];
  notifyLateness: number[];
  missed: number;
  notMissing: number;
  earlyFires: number;
  firedTwice: number;
  notifiedTwice: number;
}

/**
 * Seeds `count` reminders due evenly across `windowMs` (starting 5 s after seeding) on a whole every-role app
 * over `database` (in-memory PGlite unless given: a given database must be empty of earlier reminders), waits
 * for them to fire and reports lateness, misses and duplicates.
 */
export async function measureReminders(o: {
  count: number;
  windowMs: number;
  userCount: number;
  database?: Database;
}): Promise<ReminderResult> {
  const { count, windowMs, userCount } = o;
  const config = testConfig({ logLevel: 'silent' });
  const infra = await createInfra(config, {
    database: o.database ?? createPgliteDatabase(undefined),
    clock: systemClock,
  });
  const app = await buildApp(config, infra);
  await app.ready();
  const db = infra.database.db;
  // the Drizzle handle is typed for both drivers, whose raw results differ; both carry `rows`
  const rowsOf = async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  const countOf = async (query: SQL) => Number((await rowsOf<{ n: number }>(query))[0]?.n ?? 0);

  // ---- seed: users, inboxes, one task per reminder (straight SQL: the bench measures firing, not creation)
  const userIds = Array.from({ length: userCount }, () => randomUUID());
  await db
    .insert(users)
    .values(userIds.map((id, i) => ({ id, name: `u${i}`, email: `bench-${id}-${i}@example.com` })));
  const inboxes = await db
    .insert(lists)
    .values(userIds.map((userId) => ({ userId, name: 'Inbox', isInbox: true })))
    .returning({ id: lists.id, userId: lists.userId });
  const taskRows: (typeof tasks.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const inbox = inboxes[i % inboxes.length]!;
    taskRows.push({ id: randomUUID(), userId: inbox.userId, listId: inbox.id, title: `bench task ${i}` });
  }
  for (const part of chunks(taskRows, 1000)) await db.insert(tasks).values(part);

  // ---- the window opens a few seconds after seeding; fire times spread evenly across it
  const start = Date.now() + 5_000;
  const reminderRows = taskRows.map((task, i) => ({
    id: randomUUID(),
    taskId: task.id!,
    userId: task.userId,
    spec: { at: new Date(start + Math.floor((i * windowMs) / count)).toISOString() },
    fireAt: new Date(start + Math.floor((i * windowMs) / count)),
    status: 'scheduled' as const,
  }));
  for (const part of chunks(reminderRows, 1000)) await db.insert(reminders).values(part);
  // what the notifier's arming writes for each reminder (EmbeddedScheduler.schedule), in bulk
  for (const part of chunks(reminderRows, 1000)) {
    await db.insert(timers).values(
      part.map((r) => ({
        name: `reminder-${r.id}`,
        fireAt: r.fireAt,
        data: { kind: 'reminder', reminder_id: r.id },
      })),
    );
  }
  await db.execute(sql`analyze`);
  const scheduler = infra.scheduler as EmbeddedScheduler;
  await scheduler.runDue(); // re-arm the in-process timer for the earliest row
  const setupLeft = start - Date.now();
  console.log(
    `reminders bench: ${count} reminders, ${userCount} users, due within ${windowMs / 1000} s (window opens in ${ms(setupLeft)} ms)`,
  );
  if (setupLeft < 0)
    console.log('  warning: seeding took longer than the lead time; early reminders start late');

  // ---- wait for the window to pass and the tail to drain
  const deadline = start + windowMs + 60_000;
  let fired = 0;
  let notified = 0;
  while (Date.now() < deadline) {
    await sleep(1000);
    fired = await countOf(
      sql`select count(*)::int as n from ${reminders} where ${reminders.status} = 'fired'`,
    );
    notified = await countOf(sql`select count(*)::int as n from ${notifications}`);
    if (Date.now() > start + windowMs && fired === count && notified >= count) break;
  }

  // ---- measure
  const fire = await rowsOf<{ late: number }>(
    sql`select extract(epoch from (${reminders.firedAt} - ${reminders.fireAt})) * 1000 as late from ${reminders} where ${reminders.status} = 'fired'`,
  );
  const notes = await rowsOf<{ reminder_id: string; late: number }>(sql`
    select n.reminder_id, extract(epoch from (n.created_at - r.fire_at)) * 1000 as late
    from ${notifications} n join ${reminders} r on r.id = n.reminder_id`);
  const dueEvents = await rowsOf<{ id: string; n: number }>(sql`
    select ${outbox.event}->'data'->'payload'->>'reminder_id' as id, count(*)::int as n from ${outbox}
    where ${outbox.topic} = 'reminders' and ${outbox.event}->>'type' = 'reminder.due' group by 1`);
  const earlyFires = fire.filter((r) => Number(r.late) < 0).length;
  const missed = count - fire.length;
  const firedTwice = dueEvents.filter((e) => e.n > 1).length;
  const perReminder = new Map<string, number>();
  for (const n of notes) perReminder.set(n.reminder_id, (perReminder.get(n.reminder_id) ?? 0) + 1);
  const notifiedTwice = [...perReminder.values()].filter((n) => n > 1).length;
  const notMissing = count - perReminder.size;

  await app.close();
  return {
    fireLateness: fire.map((r) => Number(r.late)),
    notifyLateness: notes.map((r) => Number(r.late)),
    missed,
    notMissing,
    earlyFires,
    firedTwice,
    notifiedTwice,
  };
}
