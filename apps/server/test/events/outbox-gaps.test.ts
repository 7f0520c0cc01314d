import { eq, type SQL, TransactionRollbackError } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/infra/clock/clock.ts';
import type { Database, Db } from '../../src/infra/db/db.ts';
import { consumerOffsets, outbox } from '../../src/infra/db/schema.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { DaprEventBus } from '../../src/infra/events/dapr.event-bus.ts';
import { EmbeddedEventBus } from '../../src/infra/events/embedded.event-bus.ts';
import { testTraceparent, waitFor } from '../../src/infra/events/event-bus.contract.ts';
import { parseSnapshot, SeqHorizon } from '../../src/infra/events/log-horizon.ts';
import { appendEvents } from '../../src/infra/events/outbox.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/test-db.ts';

const log = pino({ level: 'silent' });
const snap = (text: string) => parseSnapshot(text);
const rows = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe('SeqHorizon (the reader side of a lock-free outbox)', () => {
  it('hands out the contiguous prefix, stops at a gap, and lets a late commit fill it', () => {
    const h = new SeqHorizon(0);
    expect(h.advance(rows(1, 2, 4), snap('101:105:101')).map((r) => r.seq)).toEqual([1, 2]);
    expect(h.position).toBe(2);
    expect(h.waiting).toBe(true);
    expect(h.boundWanted).toBe(true);
    h.setBound(106n);
    // 101 still running: still waiting, even though other transactions came and went
    expect(h.advance(rows(4, 5), snap('101:110:101,107')).map((r) => r.seq)).toEqual([]);
    expect(h.boundWanted).toBe(false);
    // seq 3 committed: the gap filled by itself
    expect(h.advance(rows(3, 4, 5), snap('107:110:107')).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(h.waiting).toBe(false);
  });

  it('never trusts xip alone: a writer whose xid is at or above xmax is running but not listed (issue 8)', () => {
    // R (xid 100) took seq 12 and committed; T (xid 101) took seq 11 first and is still committing.
    // latestCompletedXid = 100, so the snapshot reads 101:101: with an empty xip although T runs.
    const h = new SeqHorizon(10);
    expect(h.advance(rows(12), snap('101:101:'))).toEqual([]);
    expect(h.boundWanted).toBe(true);
    h.setBound(102n);
    // T is listed now and still runs: the gap holds
    expect(h.advance(rows(12), snap('101:103:101'))).toEqual([]);
    // T committed: seq 11 is there, both go out in order
    expect(h.advance(rows(11, 12), snap('103:103:')).map((r) => r.seq)).toEqual([11, 12]);
  });

  it('passes a gap once no transaction older than the bound runs (a rollback)', () => {
    const h = new SeqHorizon(10);
    expect(h.advance(rows(12, 13), snap('52:60:52,55'))).toEqual([]);
    h.setBound(61n);
    // 52 ended; 55 still runs
    expect(h.advance(rows(12, 13), snap('55:62:55,58'))).toEqual([]);
    // 58 started before the bound was taken: it might hold seq 11 too
    expect(h.advance(rows(12, 13), snap('58:63:58'))).toEqual([]);
    // nothing below 61 runs any more (63 started after the bound): seq 11 can never appear
    expect(h.advance(rows(12, 13), snap('63:64:63')).map((r) => r.seq)).toEqual([12, 13]);
    expect(h.position).toBe(13);
  });

  it('asks for a new bound for a gap above the rows its bound covers', () => {
    const h = new SeqHorizon(0);
    expect(h.advance(rows(2), snap('9:9:'))).toEqual([]);
    h.setBound(9n);
    // seq 1 rolled back; the read now also sees seq 5 above a new gap that the bound (below 2) can't cover
    expect(h.advance(rows(2, 5), snap('10:10:')).map((r) => r.seq)).toEqual([2]);
    expect(h.boundWanted).toBe(true);
    h.setBound(10n);
    expect(h.advance(rows(5), snap('11:11:')).map((r) => r.seq)).toEqual([5]);
  });
});

interface OpenTx {
  event: CloudEvent;
  seq: number;
  /** commits (true) or rolls back (false) and waits for it */
  finish(commit: boolean): Promise<void>;
}

/** Appends one event in a transaction that stays open on its own connection until `finish`. */
async function openWrite(db: Db, userId: string, title: string): Promise<OpenTx> {
  let decide!: (commit: boolean) => void;
  const decision = new Promise<boolean>((resolve) => {
    decide = resolve;
  });
  let appended!: (e: { event: CloudEvent; seq: number }) => void;
  const ready = new Promise<{ event: CloudEvent; seq: number }>((resolve) => {
    appended = resolve;
  });
  const done = db
    .transaction(async (tx) => {
      const taskId = crypto.randomUUID();
      const [event] = await appendEvents(
        tx,
        { at: new Date(), traceparent: testTraceparent(), source: 'taskstream/test' },
        [
          {
            topic: 'task-events',
            type: 'task.created',
            userId,
            subject: taskId,
            payload: { task: { id: taskId, title }, changes: [], client: 'api' },
          },
        ],
      );
      const [row] = await tx.select({ seq: outbox.seq }).from(outbox).where(eq(outbox.eventId, event!.id));
      appended({ event: event!, seq: row!.seq });
      if (!(await decision)) tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  const { event, seq } = await ready;
  return {
    event,
    seq,
    async finish(commit) {
      decide(commit);
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Concurrent writers commit out of `seq` order on a real PostgreSQL server (several connections): readers
 * must neither skip the late row nor deliver past it, and must pass a rolled-back seq.
 */
describe.skipIf(!testDatabaseUrl)('outbox without a commit-order lock (PostgreSQL)', () => {
  let database: Database;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.migrate();
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('embedded bus: a late commit with a lower seq is delivered first; a rolled-back seq is skipped', async () => {
    const db = database.db;
    const bus = new EmbeddedEventBus(db, { offsetFlushMs: 5, pollIntervalMs: 50 });
    const seen: CloudEvent[] = [];
    bus.subscribe({
      consumer: 'gap-recorder',
      topic: 'task-events',
      async handle(e) {
        seen.push(e);
      },
    });
    cleanup.push(() => bus.stop());
    await bus.start(log);

    // 1. T1 takes the lower seq, T2 the higher one and commits first
    const t1 = await openWrite(db, 'user-g', 'first');
    const t2 = await openWrite(db, 'user-g', 'second');
    expect(t2.seq).toBeGreaterThan(t1.seq);
    await t2.finish(true);
    bus.notify();
    await sleep(300);
    // the consumer waits at the gap: it must not deliver `second` before `first`, nor skip `first`
    expect(seen.map((e) => e.id)).toEqual([]);
    await t1.finish(true);
    bus.notify();
    await waitFor(
      () => seen.length,
      (n) => n >= 2,
      5_000,
      'both events',
    );
    expect(seen.map((e) => e.id)).toEqual([t1.event.id, t2.event.id]);

    // 2. T3 takes a seq and rolls back after T4 (higher seq) committed
    const t3 = await openWrite(db, 'user-g', 'rolled back');
    const t4 = await openWrite(db, 'user-g', 'after the rollback');
    await t4.finish(true);
    bus.notify();
    await sleep(200);
    expect(seen).toHaveLength(2);
    await t3.finish(false);
    // no commit signal for a rollback: the bus looks again by itself
    await waitFor(
      () => seen.length,
      (n) => n >= 3,
      5_000,
      'the event after the rolled-back seq',
    );
    expect(seen.map((e) => e.id)).toEqual([t1.event.id, t2.event.id, t4.event.id]);
    // and the stored offset passes both the rolled-back seq and the event after it
    await waitFor(
      () => db.select().from(consumerOffsets).where(eq(consumerOffsets.consumer, 'gap-recorder@task-events')),
      (r) => (r[0]?.position ?? 0) >= t4.seq,
      5_000,
      'offset past the gap',
    );
  });

  it('embedded bus: a reader that arrives while the tail takes its xid bound still gets the rows before the gap', async () => {
    // The tail reads [c1, gap, c2], hands out c1 and takes an xid bound for the gap. A consumer that wakes
    // during that round trip (its queue just drained, no new commit signal) reads the window without a
    // query; c1 must already be in it, or the consumer moves past c1 for good (the kill-rounds loss).
    const db = database.db;
    let xidGate: Promise<void> | undefined;
    let gateReached!: () => void;
    const reached = new Promise<void>((resolve) => {
      gateReached = resolve;
    });
    const dialect = (db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string } } }).dialect;
    // the real database, with the bound's one query held back while the gate is set
    const gated = new Proxy(db, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key === 'execute') {
          return async (q: SQL) => {
            if (xidGate && dialect.sqlToQuery(q).sql.includes('pg_current_xact_id()::text as xid')) {
              gateReached();
              await xidGate;
            }
            return target.execute(q);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstEntered!: () => void;
    const entered = new Promise<void>((resolve) => {
      firstEntered = resolve;
    });
    const seenBy: Record<string, string[]> = { 'window-a': [], 'window-b': [] };
    // one queued event per consumer: `window-a` reads again only when its held event is done
    const bus = new EmbeddedEventBus(gated, { maxQueued: 1, pollIntervalMs: 60_000 });
    for (const consumer of Object.keys(seenBy)) {
      bus.subscribe({
        consumer,
        topic: 'task-events',
        async handle(e) {
          if (e.data.user_id !== 'user-w') return;
          seenBy[consumer]!.push(e.id);
          if (consumer === 'window-a' && seenBy[consumer]!.length === 1) {
            firstEntered();
            await firstHeld;
          }
        },
      });
    }
    cleanup.push(() => bus.stop());
    await bus.start(log);

    const e0 = await openWrite(db, 'user-w', 'held by window-a');
    await e0.finish(true);
    bus.notify();
    await entered;
    await waitFor(
      () => seenBy['window-b']!.length,
      (n) => n === 1,
      10_000,
      'window-b past the earlier rows',
    );

    const c1 = await openWrite(db, 'user-w', 'before the gap');
    const t = await openWrite(db, 'user-w', 'the gap');
    const c2 = await openWrite(db, 'user-w', 'after the gap');
    await c1.finish(true);
    await c2.finish(true);
    let openGate!: () => void;
    xidGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    bus.notify();
    await reached;
    releaseFirst(); // window-a finishes e0 and reads again while the bound is being taken
    await sleep(200);
    openGate();
    await t.finish(true);
    bus.notify();
    const want = [e0, c1, t, c2].map((w) => w.event.id);
    for (const consumer of Object.keys(seenBy)) {
      await waitFor(
        () => seenBy[consumer]!,
        (ids) => ids.includes(c2.event.id),
        10_000,
        `${consumer} reached the row after the gap`,
      );
      expect(seenBy[consumer], consumer).toEqual(want);
    }
  });

  it('Dapr relay: publishes in seq order across a late commit and past a rolled-back seq', async () => {
    const db = database.db;
    const sidecar = new FakeDaprSidecar();
    await sidecar.start();
    cleanup.push(() => sidecar.stop());
    const bus = new DaprEventBus(db, systemClock, {
      sidecarUrl: sidecar.url,
      pubsub: 'kafka-pubsub',
      relay: true,
      pollIntervalMs: 50,
      healthPollMs: 10,
    });
    cleanup.push(() => bus.stop());
    await bus.start(log);
    // this user's events as the broker received them (the earlier test's rows are published too)
    const publishedIds = () =>
      sidecar.published
        .map((m) => m.envelope as unknown as CloudEvent)
        .filter((e) => e.data?.user_id === 'user-r')
        .map((e) => e.id);
    // First let the relay pass the earlier test's rows and its rolled-back seq: passing a permanent gap waits
    // for every write transaction older than the reader's xid bound, and the transactions opened below would be.
    await waitFor(
      () => sidecar.published.filter((m) => (m.envelope as unknown as CloudEvent).data?.user_id === 'user-g'),
      (p) => p.length >= 3,
      10_000,
      "the earlier test's three events published",
    );

    const t1 = await openWrite(db, 'user-r', 'first');
    const t2 = await openWrite(db, 'user-r', 'second');
    const t3 = await openWrite(db, 'user-r', 'rolled back');
    const t4 = await openWrite(db, 'user-r', 'fourth');
    await t2.finish(true);
    await t4.finish(true);
    bus.notify();
    await sleep(300);
    expect(publishedIds()).not.toContain(t2.event.id);
    await t1.finish(true);
    bus.notify();
    await waitFor(publishedIds, (ids) => ids.length >= 2, 5_000, 'first two published');
    await sleep(200);
    expect(publishedIds()).toEqual([t1.event.id, t2.event.id]);
    await t3.finish(false);
    await waitFor(publishedIds, (ids) => ids.length >= 3, 5_000, 'the event after the rollback');
    expect(publishedIds()).toEqual([t1.event.id, t2.event.id, t4.event.id]);
  });
});
