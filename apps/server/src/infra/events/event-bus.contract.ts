/**
 * The EventBus contract (STYLE "contract suites"): every adapter must pass it. Run it from a test file with
 * a factory that builds the adapter on a fresh database and whatever carries its deliveries (nothing for the
 * embedded bus; the app's Dapr routes plus a fake sidecar for the Dapr bus).
 */
import { count, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSubscription } from '../../modules/audit/audit.consumer.ts';
import type { Db } from '../db/db.ts';
import { auditLog, deadLetters } from '../db/schema.ts';
import type { CloudEvent, Topic } from './cloud-event.ts';
import { type EventBus, type EventLogger, PermanentEventError, type Subscription } from './event-bus.ts';
import { appendEvents } from './outbox.ts';

export interface EventBusHarness {
  bus: EventBus;
  db: Db;
  /** Starts the bus and its transport. Call after subscribing. */
  start(): Promise<void>;
  /** Makes the transport deliver an already-delivered event `times` more times (at-least-once duplicates). */
  redeliver(event: CloudEvent, times: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** logger the bus (or the routes delivering to it) must give handlers a child of */
  log: EventLogger;
}

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${label}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let traceCounter = 0;
/** A distinct, valid traceparent per event, so tests can follow one event through the logs. */
export function testTraceparent(): string {
  traceCounter++;
  return `00-${traceCounter.toString(16).padStart(32, 'a')}-${'b'.repeat(16)}-01`;
}

/** Commits one event (as a write would) and signals the bus. */
export async function commitEvent(
  harness: Pick<EventBusHarness, 'db' | 'bus'>,
  userId: string,
  opts: { topic?: Topic; type?: string; title?: string } = {},
): Promise<CloudEvent> {
  const taskId = crypto.randomUUID();
  const [event] = await harness.db.transaction((tx) =>
    appendEvents(tx, { at: new Date(), traceparent: testTraceparent(), source: 'taskstream/test' }, [
      {
        topic: opts.topic ?? 'task-events',
        type: opts.type ?? 'task.created',
        userId,
        subject: taskId,
        payload: { task: { id: taskId, title: opts.title ?? 'a task' }, changes: [], client: 'api' },
      },
    ]),
  );
  harness.bus.notify();
  return event!;
}

async function auditCount(db: Db, eventId?: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(eventId ? eq(auditLog.eventId, eventId) : undefined);
  return row?.n ?? 0;
}

function recorder(consumer: string, topic: Topic = 'task-events') {
  const seen: CloudEvent[] = [];
  const sub: Subscription = {
    consumer,
    topic,
    ephemeral: true,
    async handle(event) {
      seen.push(event);
    },
  };
  return { sub, seen };
}

/** Registers the shared EventBus contract tests for one adapter. */
export function describeEventBusContract(
  name: string,
  makeHarness: (opts: HarnessOptions) => Promise<EventBusHarness>,
): void {
  describe(`EventBus contract: ${name}`, () => {
    let h: EventBusHarness | undefined;
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'debug' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const harness = async () => {
      h = await makeHarness({ log });
      return h;
    };
    afterEach(async () => {
      await h?.close();
      h = undefined;
      lines.length = 0;
    });

    it('delivers every committed event, in order per user, with its id, trace and data intact', async () => {
      const t = await harness();
      const rec = recorder('recorder');
      t.bus.subscribe(auditSubscription(t.db));
      t.bus.subscribe(rec.sub);
      await t.start();
      const users = ['user-a', 'user-b', 'user-c'];
      const appended: CloudEvent[] = [];
      for (let i = 0; i < 10; i++) {
        for (const u of users) appended.push(await commitEvent(t, u, { title: `${u} #${i}` }));
      }
      // another topic's events never reach task-events subscribers
      await commitEvent(t, 'user-a', { topic: 'task-updates', type: 'task.state_changed' });
      await waitFor(
        () => auditCount(t.db),
        (n) => n === 30,
        10_000,
        'audit rows',
      );
      await waitFor(
        () => rec.seen.length,
        (n) => n >= 30,
        10_000,
        'recorded events',
      );
      for (const u of users) {
        const firstSeen = [...new Set(rec.seen.filter((e) => e.data.user_id === u).map((e) => e.id))];
        expect(firstSeen).toEqual(appended.filter((e) => e.data.user_id === u).map((e) => e.id));
      }
      expect(rec.seen.every((e) => e.type === 'task.created')).toBe(true);
      const sample = appended[4]!;
      const got = rec.seen.find((e) => e.id === sample.id)!;
      expect(got).toMatchObject({
        id: sample.id,
        type: sample.type,
        source: sample.source,
        subject: sample.subject,
        traceparent: sample.traceparent,
        data: sample.data,
      });
    });

    it('retries a failing handler until it succeeds; the effect happens once', async () => {
      const t = await harness();
      const audit = auditSubscription(t.db);
      let attempts = 0;
      t.bus.subscribe({
        ...audit,
        async handle(event, ctx) {
          attempts++;
          if (attempts <= 2) throw new Error('database hiccup');
          await audit.handle(event, ctx);
        },
      });
      await t.start();
      const e = await commitEvent(t, 'user-r');
      await waitFor(
        () => auditCount(t.db, e.id),
        (n) => n === 1,
        10_000,
        'audit row after retries',
      );
      expect(attempts).toBe(3);
      const [dead] = await t.db.select({ n: count() }).from(deadLetters);
      expect(dead?.n).toBe(0);
    });

    it('the same event delivered three more times leaves exactly one activity row', async () => {
      const t = await harness();
      const audit = auditSubscription(t.db);
      let calls = 0;
      t.bus.subscribe({
        ...audit,
        async handle(event, ctx) {
          calls++;
          await audit.handle(event, ctx);
        },
      });
      await t.start();
      const e = await commitEvent(t, 'user-d');
      await waitFor(
        () => auditCount(t.db, e.id),
        (n) => n === 1,
        10_000,
        'first delivery',
      );
      await t.redeliver(e, 3);
      await waitFor(
        () => calls,
        (n) => n >= 4,
        10_000,
        'redeliveries',
      );
      expect(await auditCount(t.db, e.id)).toBe(1);
      expect(await auditCount(t.db)).toBe(1);
    });

    it('drops an event the handler rejects permanently (dead letter), and the user’s later events still flow', async () => {
      const t = await harness();
      const audit = auditSubscription(t.db);
      const attemptsById = new Map<string, number>();
      let poison: string | undefined;
      t.bus.subscribe({
        ...audit,
        async handle(event, ctx) {
          attemptsById.set(event.id, (attemptsById.get(event.id) ?? 0) + 1);
          if (event.id === poison) throw new PermanentEventError('unknown task type');
          await audit.handle(event, ctx);
        },
      });
      await t.start();
      poison = (await commitEvent(t, 'user-p', { title: 'poison' })).id;
      const later = await commitEvent(t, 'user-p', { title: 'fine' });
      await waitFor(
        () => auditCount(t.db, later.id),
        (n) => n === 1,
        10_000,
        'later event',
      );
      const dead = await waitFor(
        () => t.db.select().from(deadLetters).where(eq(deadLetters.eventId, poison!)),
        (rows) => rows.length === 1,
        10_000,
        'dead letter row',
      );
      expect(dead[0]).toMatchObject({ consumer: 'audit', topic: 'task-events' });
      expect(dead[0]!.error).toContain('unknown task type');
      expect(attemptsById.get(poison)).toBe(1);
      expect(await auditCount(t.db, poison)).toBe(0);
    });

    it('gives handlers a logger whose every line carries the event’s traceparent', async () => {
      const t = await harness();
      t.bus.subscribe({
        consumer: 'logging',
        topic: 'task-events',
        async handle(_event, ctx) {
          ctx.log.info('handling it');
        },
      });
      await t.start();
      const e = await commitEvent(t, 'user-l');
      const line = await waitFor(
        () => lines.find((l) => l.msg === 'handling it'),
        (l) => l !== undefined,
        10_000,
        'handler log line',
      );
      expect(line).toMatchObject({ traceparent: e.traceparent, event_id: e.id, consumer: 'logging' });
    });

    it('refuses a duplicate subscription and subscriptions after start', async () => {
      const t = await harness();
      t.bus.subscribe(auditSubscription(t.db));
      expect(() => t.bus.subscribe(auditSubscription(t.db))).toThrow(/duplicate/);
      await t.start();
      expect(() => t.bus.subscribe(recorder('late').sub)).toThrow(/before the bus starts/);
      expect(t.bus.subscriptions().map((s) => s.consumer)).toEqual(['audit']);
    });
  });
}
