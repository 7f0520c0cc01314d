import { inArray, sql, TransactionRollbackError } from 'drizzle-orm';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/infra/clock/clock.ts';
import type { Database, Db } from '../../src/infra/db/db.ts';
import { createPostgresDatabase } from '../../src/infra/db/postgres.db.ts';
import { outbox } from '../../src/infra/db/schema.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { DaprEventBus } from '../../src/infra/events/dapr.event-bus.ts';
import { EmbeddedEventBus } from '../../src/infra/events/embedded.event-bus.ts';
import { testTraceparent, waitFor } from '../../src/infra/events/event-bus.contract.ts';
import { readOutboxTail, SeqHorizon, takeXidBound } from '../../src/infra/events/log-horizon.ts';
import { appendEvents } from '../../src/infra/events/outbox.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/test-db.ts';

/**
 * Model-based test of the log reader (issue 8): concurrent writers on real PostgreSQL connections take their
 * xids and seqs in random orders, stall, commit or roll back, while three readers follow the log — a bare
 * SeqHorizon over `readOutboxTail`, the embedded bus (shared tail + consumer runners) and the Dapr relay.
 * The model: exactly the committed events, each once, in seq order per user. A reader that moved past a seq
 * that later committed would never deliver it, so "delivered = committed" is the property.
 */

interface Writer {
  /** takes its xid at the start (as a task write does), long before its seq */
  earlyXid: boolean;
  delayMs: number;
  users: number[];
  stallMs: number;
  commit: boolean;
}

const writerArb: fc.Arbitrary<Writer> = fc.record({
  earlyXid: fc.boolean(),
  delayMs: fc.integer({ min: 0, max: 25 }),
  users: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
  stallMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
  commit: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = pino({ level: 'silent' });

interface Written {
  event: CloudEvent;
  seq: number;
  committed: boolean;
}

async function runWriter(db: Db, w: Writer, run: string): Promise<Written[]> {
  const written: Written[] = [];
  await db
    .transaction(async (tx) => {
      if (w.earlyXid) await tx.execute(sql`select pg_current_xact_id()`);
      await sleep(w.delayMs);
      const events = await appendEvents(
        tx,
        { at: new Date(), traceparent: testTraceparent(), source: 'taskstream/model-test' },
        w.users.map((u) => ({
          topic: 'task-events' as const,
          type: 'task.created' as const,
          userId: `${run}-u${u}`,
          subject: crypto.randomUUID(),
          payload: { task: { id: crypto.randomUUID(), title: 'x' }, changes: [], client: 'api' },
        })),
      );
      const rows = await tx
        .select({ seq: outbox.seq, id: outbox.eventId })
        .from(outbox)
        .where(
          inArray(
            outbox.eventId,
            events.map((e) => e.id),
          ),
        );
      const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
      for (const event of events) written.push({ event, seq: seqOf.get(event.id)!, committed: false });
      await sleep(w.stallMs);
      if (!w.commit) tx.rollback();
    })
    .then(
      () => {
        for (const x of written) x.committed = true;
      },
      (err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      },
    );
  return written;
}

/** A bare reader: the horizon over the tail, as the shared tail and the relay use it. */
function followLog(db: Db, start: number) {
  const horizon = new SeqHorizon(start);
  const seen: { seq: number; id: string }[] = [];
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const { snapshot, rows } = await readOutboxTail(db, horizon.position, 50);
      for (const r of horizon.advance(rows, snapshot)) seen.push({ seq: r.seq, id: r.event.id });
      if (horizon.boundWanted) horizon.setBound(await takeXidBound(db));
      await sleep(1);
    }
  })();
  return {
    seen,
    horizon,
    async stop() {
      stop = true;
      await done;
    },
  };
}

/** Per user, the ids in the order they arrived. */
function byUser(events: { id: string; user: string }[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of events) m.set(e.user, [...(m.get(e.user) ?? []), e.id]);
  return m;
}

type Step = 'xid' | 'append' | 'commit' | 'rollback';

/** A transaction on its own connection that performs each step when told to, so a test fixes the interleaving. */
function scriptedWriter(db: Db, userId: string) {
  let command: ((step: Step) => void) | undefined;
  let stepDone: (() => void) | undefined;
  const next = () => new Promise<Step>((resolve) => (command = resolve));
  let seq: number | undefined;
  let eventId: string | undefined;
  const finished = db
    .transaction(async (tx) => {
      for (;;) {
        const step = await next();
        if (step === 'xid') await tx.execute(sql`select pg_current_xact_id()`);
        if (step === 'append') {
          const [event] = await appendEvents(
            tx,
            { at: new Date(), traceparent: testTraceparent(), source: 'taskstream/model-test' },
            [
              {
                topic: 'task-events',
                type: 'task.created',
                userId,
                subject: crypto.randomUUID(),
                payload: { task: { id: crypto.randomUUID(), title: 'x' }, changes: [], client: 'api' },
              },
            ],
          );
          eventId = event!.id;
          const [row] = await tx
            .select({ seq: outbox.seq })
            .from(outbox)
            .where(inArray(outbox.eventId, [eventId]));
          seq = row!.seq;
        }
        if (step === 'commit') return;
        if (step === 'rollback') tx.rollback();
        stepDone?.();
      }
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  return {
    get seq() {
      return seq;
    },
    get eventId() {
      return eventId;
    },
    async step(step: Step): Promise<void> {
      // the transaction may not be waiting for its first command yet
      while (!command) await sleep(1);
      const run = command;
      command = undefined;
      if (step === 'commit' || step === 'rollback') {
        run(step);
        await finished;
        return;
      }
      await new Promise<void>((resolve) => {
        stepDone = resolve;
        run(step);
      });
    },
  };
}

describe.skipIf(!testDatabaseUrl)('log reader model (PostgreSQL, concurrent writers)', () => {
  let scratch: Database & { url?: string };
  let database: Database;
  let sidecar: FakeDaprSidecar;
  let relay: DaprEventBus;

  beforeAll(async () => {
    scratch = await createTestDatabase();
    // a connection per writer, plus the readers
    database = createPostgresDatabase(scratch.url!, 40);
    await database.migrate();
    sidecar = new FakeDaprSidecar();
    await sidecar.start();
    relay = new DaprEventBus(database.db, systemClock, {
      sidecarUrl: sidecar.url,
      pubsub: 'kafka-pubsub',
      relay: true,
      pollIntervalMs: 20,
      healthPollMs: 10,
    });
    await relay.start(log);
  });

  afterAll(async () => {
    await relay?.stop();
    await sidecar?.stop();
    await database?.close();
    await scratch?.close();
  });

  it('scheduled interleavings: the horizon never passes a seq that later commits', async () => {
    const db = database.db;
    // each writer: whether it takes its xid early, and how it ends; the schedule interleaves their steps
    const scenario = fc.record({
      writers: fc.array(fc.record({ earlyXid: fc.boolean(), commit: fc.integer({ min: 0, max: 3 }) }), {
        minLength: 2,
        maxLength: 6,
      }),
      order: fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
      reads: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ writers, order, reads }) => {
        const head = (await db.execute(
          sql`select coalesce(max(seq), 0)::int as head from outbox`,
        )) as unknown as {
          rows: { head: number }[];
        };
        const horizon = new SeqHorizon(head.rows[0]!.head);
        const delivered: number[] = [];
        const read = async () => {
          const { snapshot, rows } = await readOutboxTail(db, horizon.position, 100);
          for (const r of horizon.advance(rows, snapshot)) delivered.push(r.seq);
          if (horizon.boundWanted) horizon.setBound(await takeXidBound(db));
        };
        const actors = writers.map((w) => ({
          writer: scriptedWriter(db, 'model-user'),
          steps: [
            ...(w.earlyXid ? (['xid'] as Step[]) : []),
            'append',
            w.commit > 0 ? 'commit' : 'rollback',
          ] as Step[],
        }));
        // run the steps in the order the schedule picks (a random interleaving), reading between some of them
        let i = 0;
        for (;;) {
          const live = actors.filter((a) => a.steps.length > 0);
          if (live.length === 0) break;
          const actor = live[(order[i % order.length] ?? 0) % live.length]!;
          await actor.writer.step(actor.steps.shift()!);
          if (reads[i % reads.length]) await read();
          i++;
        }
        // all ended: the reader catches up with what committed (a rolled-back gap waits for the bound's xid)
        const committed = actors
          .filter((_, k) => writers[k]!.commit > 0)
          .map((a) => a.writer.seq!)
          .sort((a, b) => a - b);
        const deadline = Date.now() + 10_000;
        while (delivered.length < committed.length && Date.now() < deadline) {
          await read();
          await sleep(2);
        }
        await read();
        expect(delivered).toEqual(committed);
      }),
      { numRuns: 100, endOnFailure: true },
    );
  }, 120_000);

  it('every reader delivers exactly the committed events, each once, in seq order per user', async () => {
    const db = database.db;
    let runNo = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(writerArb, { minLength: 4, maxLength: 24 }), async (writers) => {
        const run = `r${runNo++}-${Math.random().toString(36).slice(2, 8)}`;
        const isRun = (e: CloudEvent) => e.data.user_id.startsWith(`${run}-`);
        // no writer runs between runs, so the head is final: a valid start for the bare reader
        const head = (await db.execute(
          sql`select coalesce(max(seq), 0)::int as head from outbox`,
        )) as unknown as {
          rows: { head: number }[];
        };
        const bare = followLog(db, head.rows[0]!.head);
        const bus = new EmbeddedEventBus(db, { offsetFlushMs: 5, pollIntervalMs: 20 });
        const handled: { consumer: string; id: string; user: string }[] = [];
        for (const consumer of [`${run}-single`, `${run}-batch`]) {
          bus.subscribe({
            consumer,
            topic: 'task-events',
            async handle(e) {
              if (isRun(e)) handled.push({ consumer, id: e.id, user: e.data.user_id });
            },
            ...(consumer.endsWith('batch')
              ? {
                  async handleBatch(events: readonly CloudEvent[]) {
                    for (const e of events)
                      if (isRun(e)) handled.push({ consumer, id: e.id, user: e.data.user_id });
                  },
                }
              : {}),
          });
        }
        await bus.start(log);
        try {
          // every writer starts at once on its own connection; commits signal the bus as the app's writes do
          const results = await Promise.all(
            writers.map((w) =>
              runWriter(db, w, run).then((r) => {
                bus.notify();
                relay.notify();
                return r;
              }),
            ),
          );
          const all = results.flat();
          const committed = all.filter((x) => x.committed).sort((a, b) => a.seq - b.seq);
          const committedIds = committed.map((x) => x.event.id);
          const expectedByUser = byUser(
            committed.map((x) => ({ id: x.event.id, user: x.event.data.user_id })),
          );

          // the bare reader: the committed seqs of this run, in order, nothing else of this run
          const runIds = new Set(all.map((x) => x.event.id));
          await waitFor(
            () => bare.seen.filter((s) => runIds.has(s.id)).length,
            (n) => n >= committed.length,
            10_000,
            'bare reader caught up',
          );
          // the horizon passed every committed seq, and the rolled-back ones below them, without a commit signal
          const lastCommitted = committed.at(-1)?.seq ?? 0;
          await waitFor(
            () => bare.horizon.position,
            (p) => p >= lastCommitted,
            10_000,
            'horizon past the last committed seq',
          );
          expect(bare.seen.filter((s) => runIds.has(s.id)).map((s) => s.id)).toEqual(committedIds);

          for (const consumer of [`${run}-single`, `${run}-batch`]) {
            await waitFor(
              () => handled.filter((h) => h.consumer === consumer).length,
              (n) => n >= committed.length,
              10_000,
              `${consumer} caught up`,
            );
          }
          await sleep(30);
          for (const consumer of [`${run}-single`, `${run}-batch`]) {
            const mine = handled.filter((h) => h.consumer === consumer);
            expect(mine.map((h) => h.id).sort()).toEqual([...committedIds].sort());
            expect(byUser(mine)).toEqual(expectedByUser);
          }

          const published = () =>
            sidecar.published
              .map((m) => m.envelope as unknown as CloudEvent)
              .filter(isRun)
              .map((e) => ({ id: e.id, user: e.data.user_id }));
          await waitFor(published, (p) => p.length >= committed.length, 10_000, 'relay caught up');
          await sleep(30);
          expect(
            published()
              .map((p) => p.id)
              .sort(),
          ).toEqual([...committedIds].sort());
          expect(byUser(published())).toEqual(expectedByUser);
        } finally {
          await bare.stop();
          await bus.stop();
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );
  }, 180_000);
});
