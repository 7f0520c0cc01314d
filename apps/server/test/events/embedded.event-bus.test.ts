import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { consumerOffsets, deadLetters, outbox } from '../../src/infra/db/schema.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import {
  EmbeddedEventBus,
  type EmbeddedEventBusOptions,
  offsetKey,
} from '../../src/infra/events/embedded.event-bus.ts';
import { commitEvent, describeEventBusContract, waitFor } from '../../src/infra/events/event-bus.contract.ts';
import type { EventLogger, Subscription } from '../../src/infra/events/event-bus.ts';
import { sharedEventDatabase } from './shared-db.ts';

const fastRetries: EmbeddedEventBusOptions = { retryDelaysMs: Array(50).fill(10), offsetFlushMs: 5 };

/** Replays the log for the harness's durable subscriptions from just before `event`, like a restart would. */
async function replayFrom(
  database: Database,
  subs: readonly Subscription[],
  event: CloudEvent,
  log: EventLogger,
) {
  const db = database.db;
  const [row] = await db.select({ seq: outbox.seq }).from(outbox).where(eq(outbox.eventId, event.id));
  const durable = subs.filter((s) => !s.ephemeral);
  for (const sub of durable) {
    await db
      .insert(consumerOffsets)
      .values({ consumer: offsetKey(sub), position: row!.seq - 1 })
      .onConflictDoUpdate({ target: consumerOffsets.consumer, set: { position: row!.seq - 1 } });
  }
  const replay = new EmbeddedEventBus(db, fastRetries);
  for (const sub of durable) replay.subscribe(sub);
  await replay.start(log);
  await waitFor(
    () => db.select().from(consumerOffsets),
    (rows) =>
      durable.every((s) => (rows.find((r) => r.consumer === offsetKey(s))?.position ?? 0) >= row!.seq),
    10_000,
    'replay caught up',
  );
  await replay.stop();
}

const freshDatabase = sharedEventDatabase();

describeEventBusContract('embedded', async ({ log }) => {
  const database = await freshDatabase();
  const bus = new EmbeddedEventBus(database.db, fastRetries);
  return {
    bus,
    db: database.db,
    start: () => bus.start(log),
    async redeliver(event, times) {
      for (let i = 0; i < times; i++) await replayFrom(database, bus.subscriptions(), event, log);
    },
    async close() {
      await bus.stop();
    },
  };
});

describe('embedded event bus', () => {
  const log = pino({ level: 'silent' });
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const setup = freshDatabase;
  function newBus(database: Database, opts: EmbeddedEventBusOptions = fastRetries) {
    const bus = new EmbeddedEventBus(database.db, opts);
    cleanup.push(() => bus.stop());
    return bus;
  }
  function counting(consumer: string, seen: string[]): Subscription {
    return {
      consumer,
      topic: 'task-events',
      async handle(e) {
        seen.push(e.id);
      },
    };
  }

  it('dispatches right after the commit, without waiting for the safety-net poll', async () => {
    const database = await setup();
    const bus = newBus(database, { ...fastRetries, pollIntervalMs: 60_000 });
    const seen: string[] = [];
    bus.subscribe(counting('c', seen));
    await bus.start(log);
    const e = await commitEvent({ db: database.db, bus }, 'u1');
    await waitFor(
      () => seen,
      (s) => s.includes(e.id),
      2_000,
      'signal-driven dispatch',
    );
  });

  it('resumes from its stored offset after a restart: nothing seen twice, nothing missed', async () => {
    const database = await setup();
    const first: string[] = [];
    const bus1 = new EmbeddedEventBus(database.db, fastRetries);
    bus1.subscribe(counting('resumer', first));
    await bus1.start(log);
    const before = [];
    for (let i = 0; i < 3; i++) before.push((await commitEvent({ db: database.db, bus: bus1 }, 'u1')).id);
    await waitFor(
      () => first.length,
      (n) => n === 3,
      5_000,
      'first run',
    );
    await bus1.stop();
    // written while no dispatcher runs (e.g. the process was down)
    const during = [];
    for (let i = 0; i < 2; i++) during.push((await commitEvent({ db: database.db, bus: bus1 }, 'u1')).id);
    const second: string[] = [];
    const bus2 = newBus(database);
    bus2.subscribe(counting('resumer', second));
    await bus2.start(log);
    await waitFor(
      () => second.length,
      (n) => n === 2,
      5_000,
      'second run',
    );
    expect(first).toEqual(before);
    expect(second).toEqual(during);
  });

  it("keeps delivering other users' events while one user's event is being retried", async () => {
    const database = await setup();
    const bus = newBus(database);
    let blocked = true;
    const handled: CloudEvent[] = [];
    bus.subscribe({
      consumer: 'picky',
      topic: 'task-events',
      async handle(e) {
        if (blocked && e.data.user_id === 'stuck') throw new Error('downstream unavailable');
        handled.push(e);
      },
    });
    await bus.start(log);
    const stuck = [
      await commitEvent({ db: database.db, bus }, 'stuck'),
      await commitEvent({ db: database.db, bus }, 'stuck'),
    ];
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await commitEvent({ db: database.db, bus }, `other-${i % 2}`));
    await waitFor(
      () => handled.length,
      (n) => n === 5,
      5_000,
      "other users' events",
    );
    expect(handled.map((e) => e.id)).toEqual(expect.arrayContaining(others.map((e) => e.id)));
    expect(handled.some((e) => e.data.user_id === 'stuck')).toBe(false);
    blocked = false;
    await waitFor(
      () => handled.length,
      (n) => n === 7,
      5_000,
      'stuck user recovers',
    );
    // the stuck user's events still arrive in their order
    expect(handled.filter((e) => e.data.user_id === 'stuck').map((e) => e.id)).toEqual(
      stuck.map((e) => e.id),
    );
  });

  it('parks an event in dead_letters with the error once the retries run out, then moves on', async () => {
    const database = await setup();
    const bus = newBus(database, { retryDelaysMs: [5, 5], offsetFlushMs: 5 });
    let bad: string | undefined;
    const handled: string[] = [];
    bus.subscribe({
      consumer: 'strict',
      topic: 'task-events',
      async handle(e) {
        if (e.id === bad) throw new Error('always fails');
        handled.push(e.id);
      },
    });
    await bus.start(log);
    bad = (await commitEvent({ db: database.db, bus }, 'u1')).id;
    const next = await commitEvent({ db: database.db, bus }, 'u1');
    await waitFor(
      () => handled,
      (h) => h.includes(next.id),
      5_000,
      'next event',
    );
    const [dead] = await database.db.select().from(deadLetters).where(eq(deadLetters.eventId, bad));
    expect(dead).toMatchObject({ consumer: 'strict', topic: 'task-events', attempts: 3 });
    expect(dead!.error).toContain('always fails');
    expect(dead!.seq).toBeGreaterThan(0);
    // the offset moved past the parked event: a restart does not retry it again
    const [offset] = await waitFor(
      () =>
        database.db.select().from(consumerOffsets).where(eq(consumerOffsets.consumer, 'strict@task-events')),
      (rows) => (rows[0]?.position ?? 0) >= dead!.seq!,
      5_000,
      'offset',
    );
    expect(offset!.position).toBeGreaterThanOrEqual(dead!.seq! + 1);
  });

  it('starts a live (ephemeral) subscription at the end of the log and stores no offset for it', async () => {
    const database = await setup();
    const pre = new EmbeddedEventBus(database.db, fastRetries);
    await commitEvent({ db: database.db, bus: pre }, 'u1');
    const bus = newBus(database);
    const seen: string[] = [];
    bus.subscribe({ ...counting('live', seen), ephemeral: true });
    await bus.start(log);
    const after = await commitEvent({ db: database.db, bus }, 'u1');
    await waitFor(
      () => seen,
      (s) => s.length === 1,
      5_000,
      'live event',
    );
    expect(seen).toEqual([after.id]);
    await bus.stop();
    expect(await database.db.select().from(consumerOffsets)).toEqual([]);
  });
});
