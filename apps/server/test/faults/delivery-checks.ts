import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../src/infra/db/db.ts';

/** What the log holds and what its durable consumers made of it, read in one snapshot. */
export interface DeliveryFigures {
  taskEvents: number;
  taskUpdates: number;
  lastTaskEventSeq: number;
  auditRows: number;
  auditDistinct: number;
  auditInbox: number;
  /** task-events without their activity row: the loss issue 8 is about */
  missingAudit: { seq: number; type: string; inbox: boolean }[];
  /** activity rows of no outbox event */
  extraAudit: number;
  completions: number;
  recurringInbox: number;
  recurringCompletions: number;
  /** completed occurrences of a recurring task without (exactly one) next occurrence */
  withoutNext: number;
  deadLetters: number;
  /** embedded bus: stored offsets of the durable task-events consumers */
  offsets: Record<string, number>;
}

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

export async function deliveryFigures(db: Db): Promise<DeliveryFigures> {
  return db.transaction(
    async (tx) => {
      const t = tx as unknown as Db;
      const [c] = await rows<Record<string, number>>(
        t,
        sql`select
        (select count(*)::int from outbox where topic = 'task-events') as task_events,
        (select count(*)::int from outbox where topic = 'task-updates') as task_updates,
        (select coalesce(max(seq), 0)::bigint from outbox where topic = 'task-events') as last_seq,
        (select count(*)::int from audit_log) as audit_rows,
        (select count(distinct event_id)::int from audit_log) as audit_distinct,
        (select count(*)::int from inbox where consumer = 'audit') as audit_inbox,
        (select count(*)::int from audit_log a
           where not exists (select 1 from outbox o where o.event_id = a.event_id)) as extra_audit,
        (select count(*)::int from outbox
           where topic = 'task-events' and event->>'type' = 'task.completed') as completions,
        (select count(*)::int from inbox where consumer = 'recurring') as recurring_inbox,
        (select count(*)::int from dead_letters) as dead_letters`,
      );
      const missing = await rows<{ seq: string; type: string; inbox: boolean }>(
        t,
        sql`select o.seq, o.event->>'type' as type,
               exists (select 1 from inbox i where i.consumer = 'audit' and i.event_id = o.event_id) as inbox
             from outbox o
             where o.topic = 'task-events'
               and not exists (select 1 from audit_log a where a.event_id = o.event_id)
             order by o.seq limit 50`,
      );
      // a completion of a recurring task and the occurrence after it (unique (series_id, occurrence))
      const [next] = await rows<{ completions: number; without_next: number }>(
        t,
        sql`select count(*)::int as completions,
               count(*) filter (where not exists (
                 select 1 from tasks n where n.series_id = done.series_id and n.occurrence = done.occurrence + 1
               ))::int as without_next
             from outbox o join tasks done on done.id = (o.event->>'subject')::uuid
             where o.topic = 'task-events' and o.event->>'type' = 'task.completed'
               and jsonb_typeof(o.event #> '{data,payload,task,recurrence}') = 'object'`,
      );
      const offsets = await rows<{ consumer: string; position: string }>(
        t,
        sql`select consumer, position from consumer_offsets where consumer like '%@task-events'`,
      );
      return {
        taskEvents: Number(c!.task_events),
        taskUpdates: Number(c!.task_updates),
        lastTaskEventSeq: Number(c!.last_seq),
        auditRows: Number(c!.audit_rows),
        auditDistinct: Number(c!.audit_distinct),
        auditInbox: Number(c!.audit_inbox),
        missingAudit: missing.map((m) => ({ seq: Number(m.seq), type: m.type, inbox: m.inbox })),
        extraAudit: Number(c!.extra_audit),
        completions: Number(c!.completions),
        recurringInbox: Number(c!.recurring_inbox),
        recurringCompletions: next!.completions,
        withoutNext: next!.without_next,
        deadLetters: Number(c!.dead_letters),
        offsets: Object.fromEntries(offsets.map((o) => [o.consumer, Number(o.position)])),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function handledEverything(f: DeliveryFigures): boolean {
  return (
    f.auditRows === f.taskEvents &&
    f.missingAudit.length === 0 &&
    f.recurringInbox === f.completions &&
    f.withoutNext === 0
  );
}

const durableTaskEventConsumers = [
  'audit@task-events',
  'recurring@task-events',
  'reminder-scheduler@task-events',
];

/**
 * Polls until every durable consumer has caught up: either everything is handled, or (embedded bus) every
 * stored offset is past the last task event and nothing changed for 3 s — a loss, which the assertions
 * then show. Bounded by `timeoutMs`; returns the last figures either way.
 */
export async function waitForDrain(
  db: Db,
  opts: { timeoutMs: number; offsets: boolean },
): Promise<{ figures: DeliveryFigures; drainMs: number }> {
  const started = Date.now();
  let last: DeliveryFigures | undefined;
  let stableSince = Date.now();
  for (;;) {
    const f = await deliveryFigures(db);
    if (handledEverything(f)) {
      // handled: with offsets, also wait for them to be stored (flushed every 500 ms)
      if (!opts.offsets || offsetsPast(f)) return { figures: f, drainMs: Date.now() - started };
    }
    if (!last || JSON.stringify(last) !== JSON.stringify(f)) stableSince = Date.now();
    last = f;
    const stalled = Date.now() - stableSince > 3_000;
    if (stalled && (!opts.offsets || offsetsPast(f))) return { figures: f, drainMs: Date.now() - started };
    if (Date.now() - started > opts.timeoutMs) return { figures: f, drainMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 250));
  }
}

function offsetsPast(f: DeliveryFigures): boolean {
  return durableTaskEventConsumers.every((c) => (f.offsets[c] ?? 0) >= f.lastTaskEventSeq);
}

/** Every committed task event handled exactly once by each durable consumer; nothing parked (or as many as a test parks on purpose). */
export function expectExactlyOnce(f: DeliveryFigures, expected: { deadLetters?: number } = {}): void {
  expect(f.missingAudit, 'task-events without an activity row (seq, type, audit inbox row?)').toEqual([]);
  expect(f.extraAudit).toBe(0);
  expect(f.auditRows).toBe(f.taskEvents);
  expect(f.auditDistinct).toBe(f.auditRows);
  expect(f.auditInbox).toBe(f.taskEvents);
  // every task.completed went through the recurring consumer, and every recurring one has its successor
  expect(f.recurringInbox).toBe(f.completions);
  expect(f.withoutNext).toBe(0);
  expect(f.deadLetters).toBe(expected.deadLetters ?? 0);
  // each task event has its live twin on task-updates (same transaction)
  expect(f.taskUpdates).toBe(f.taskEvents);
}

/** Ids of one user's `task-updates` events in log order: what a live client must receive. */
export async function taskUpdateIds(db: Db, userId: string): Promise<string[]> {
  const found = await rows<{ id: string }>(
    db,
    sql`select event_id::text as id from outbox
         where topic = 'task-updates' and partition_key = ${userId} order by seq`,
  );
  return found.map((r) => r.id);
}

/** How many of `expected` are missing from `received`, duplicated, or out of order (as a summary). */
export function compareStreams(expected: string[], received: string[]) {
  const got = new Set(received);
  const want = new Set(expected);
  const missing = expected.filter((id) => !got.has(id));
  const foreign = received.filter((id) => !want.has(id));
  const duplicates = received.length - got.size;
  const inOrder = received.filter((id) => want.has(id));
  const wantOrder = expected.filter((id) => got.has(id));
  const firstMisorder = inOrder.findIndex((id, i) => wantOrder[i] !== id);
  return {
    expected: expected.length,
    received: received.length,
    missing,
    foreign,
    duplicates,
    firstMisorder,
  };
}

/** The ids among `ids` that exist as tasks (every acknowledged create must). */
export async function existingTasks(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await rows<{ id: string }>(
    db,
    sql`select id::text as id from tasks where id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
  return new Set(found.map((r) => r.id));
}

/** Prints a test's figures on one line, so a run's log carries them (issue 8 asks for the numbers). */
export function report(test: string, figures: Record<string, unknown>): void {
  console.log(`[faults] ${test}: ${JSON.stringify(figures)}`);
}
