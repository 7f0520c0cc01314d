import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config.ts';
import type { Database } from '../../src/infra/db/db.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { PermanentEventError } from '../../src/infra/events/event-bus.ts';
import { createInfra } from '../../src/infra/infra.ts';
import { freePort } from '../events/server-process.ts';
import {
  daprError,
  FakeDaprSidecar,
  type FakeResponse,
  type PublishedMessage,
} from '../fakes/fake-dapr-sidecar.ts';
import { createTestDatabase } from '../helpers/test-db.ts';
import { existingTasks, expectExactlyOnce, report, waitForDrain } from './delivery-checks.ts';
import { type Account, signUpAccounts, Workload } from './workload.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const daprToken = 'dapr-api-token-for-faults';
const appToken = 'app-api-token-for-faults';
const writers = 4;
/** a steady write rate, so that the backlog the outage leaves is published within the test's bounds */
const paceMs = 100;
/** the broker's inbound retry policy: a poison event blocks its partition for about 5 s, then goes to the DLQ */
const inboundRetry = { maxRetries: 5, intervalMs: 1_000 };
const phases = { normalMs: 10_000, failingMs: 5_000, hangingMs: 30_000, recoveredMs: 5_000 };

/** The CloudEvent of a message the relay published (never raw: it sends application/cloudevents+json). */
function envelope(m: PublishedMessage): { id: string; type: string; subject?: string } {
  return m.envelope as { id: string; type: string; subject?: string };
}

/** Ids of one user's events on `topic` in log order. */
async function logOrder(database: Database, topic: string, userId: string): Promise<string[]> {
  const res = (await database.db.execute(
    sql`select event_id::text as id from outbox where topic = ${topic} and partition_key = ${userId} order by seq`,
  )) as unknown as { rows: { id: string }[] };
  return res.rows.map((r) => r.id);
}

/**
 * Issue 8: the Dapr shape (EVENT_BUS=dapr) through a broker outage. The fake sidecar's publish answers 500
 * (ERR_PUBSUB_PUBLISH_MESSAGE) for 5 s, then hangs without answering for 30 s (the relay's request timeout
 * cuts each call), then recovers, while writers keep writing. The relay must resume in log order per user
 * with nothing lost. Meanwhile a poison event, one a subscriber always fails on, is retried by the
 * sidecar's inbound policy and then goes to the dead-letter topic without holding up other users, and one
 * it rejects as permanent is parked in `dead_letters` at once (the app's dead-letter store).
 */
describe('Dapr relay through a sidecar outage, with poison events', () => {
  let sidecar: FakeDaprSidecar | undefined;
  let app: FastifyInstance | undefined;
  let database: (Database & { url?: string }) | undefined;
  let release: (() => void) | undefined;
  afterAll(async () => {
    release?.();
    await app?.close();
    await sidecar?.stop();
    await database?.close();
  });

  it('resumes in order, loses nothing, and dead-letters only the poison', async () => {
    sidecar = new FakeDaprSidecar({
      apiToken: daprToken,
      appApiToken: appToken,
      inboundRetry,
      partitions: 16,
      // like daprd, not ready before it has read the app's subscriptions
      componentsReady: false,
    });
    await sidecar.start();
    const port = await freePort();
    const base = testConfig();
    const config = testConfig({
      baseUrl: `http://127.0.0.1:${port}`,
      eventBus: 'dapr',
      dapr: { ...base.dapr, httpPort: sidecar.port, apiToken: daprToken, appApiToken: appToken },
    });
    database = await createTestDatabase();
    const infra = await createInfra(config, { database });

    // the probe: a subscriber of task-events that records what it got, and fails on the poison tasks
    const firstSeen = new Map<string, string[]>();
    const attempts = new Map<string, number>();
    infra.bus.subscribe({
      consumer: 'fault-probe',
      topic: 'task-events',
      async handle(event: CloudEvent) {
        const n = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, n);
        if (n === 1) {
          const seen = firstSeen.get(event.data.user_id) ?? [];
          seen.push(event.id);
          firstSeen.set(event.data.user_id, seen);
        }
        const title = (event.data.payload as { task?: { title?: string } }).task?.title ?? '';
        if (title === 'poison: always fails') throw new Error('probe: this event always fails');
        if (title === 'poison: permanent')
          throw new PermanentEventError('probe: this event can never succeed');
      },
    });
    app = await buildApp(config, infra);
    const url = await app.listen({ port, host: '127.0.0.1' });
    sidecar.opts.appUrl = url;
    await sidecar.loadSubscriptions();
    sidecar.opts.componentsReady = true;

    const accounts = await signUpAccounts(url, 4);
    const load = new Workload({ url: () => url, accounts, writers, paceMs });
    const started = Date.now();
    load.start();
    const poison = async (account: Account, title: string) => {
      const res = await fetch(`${url}/api/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    await sleep(500);
    const alwaysFails = await poison(accounts[0]!, 'poison: always fails');
    const permanent = await poison(accounts[1]!, 'poison: permanent');

    // the outage: 500s, then no answer at all, then back to normal
    await sleep(phases.normalMs);
    let failedPublishes = 0;
    let hungPublishes = 0;
    sidecar.publishFault = () => {
      failedPublishes++;
      return daprError(500, 'ERR_PUBSUB_PUBLISH_MESSAGE', 'broker unavailable');
    };
    await sleep(phases.failingMs);
    const hang = new Promise<FakeResponse>((resolve) => {
      release = () => resolve(daprError(500, 'ERR_PUBSUB_PUBLISH_MESSAGE', 'broker timed out'));
    });
    sidecar.publishFault = () => {
      hungPublishes++;
      return hang;
    };
    await sleep(phases.hangingMs);
    sidecar.publishFault = undefined;
    release!();
    const recoveredAt = Date.now();
    await sleep(phases.recoveredMs);
    await load.stop();
    const writeMs = Date.now() - started;

    // drained: every row published and delivered, every consumer done
    const until = Date.now() + 90_000;
    let unpublished = -1;
    while (Date.now() < until) {
      const res = (await database.db.execute(
        sql`select count(*)::int as n from outbox where published_at is null`,
      )) as unknown as { rows: { n: number }[] };
      unpublished = res.rows[0]!.n;
      if (unpublished === 0) break;
      await sleep(250);
    }
    const backlogPublishedMs = Date.now() - recoveredAt;
    await sidecar.idle(60_000);
    const { figures, drainMs } = await waitForDrain(database.db, { timeoutMs: 30_000, offsets: false });

    // per user: what reached the broker, and what the probe saw first, against the log's order
    const order = [];
    for (const a of accounts) {
      for (const topic of ['task-events', 'task-updates']) {
        const expected = await logOrder(database, topic, a.id);
        const published = [
          ...new Set(
            sidecar
              .messages(topic)
              .filter((m) => m.key === a.id)
              .map((m) => envelope(m).id),
          ),
        ];
        order.push({
          topic,
          expected,
          published,
          probe: topic === 'task-events' ? firstSeen.get(a.id) : undefined,
        });
      }
    }
    /** the id of the event that created `taskId`, as the broker got it */
    const createdEvent = (taskId: string) =>
      sidecar!
        .messages('task-events')
        .map((m) => envelope(m))
        .find((e) => e.subject === taskId && e.type === 'task.created');
    const poisonEvent = createdEvent(alwaysFails);
    const permanentEvent = createdEvent(permanent);
    const poisonDeliveries = sidecar.deliveries
      .map((d, i) => ({ ...d, i }))
      .filter((d) => d.eventId === poisonEvent?.id && d.topic === 'task-events');
    const first = poisonDeliveries[0]?.i ?? 0;
    const last = poisonDeliveries.at(-1)?.i ?? 0;
    const flowedMeanwhile = sidecar.deliveries
      .slice(first, last)
      .filter(
        (d) => d.topic === 'task-events' && d.eventId !== poisonEvent?.id && d.outcome === 'SUCCESS',
      ).length;
    const dlq = sidecar.messages('task-events-dlq').map((m) => envelope(m).id);
    const deadLetters = (await database.db.execute(
      sql`select consumer, event_id::text as event_id from dead_letters`,
    )) as unknown as { rows: { consumer: string; event_id: string }[] };

    report('dapr-outage', {
      writers,
      paceMs,
      writeMs,
      phases,
      failedPublishes,
      hungPublishes,
      backlogPublishedMs,
      drainMs,
      ...load.figures,
      published: sidecar.published.length,
      deliveries: sidecar.deliveries.length,
      events: { 'task-events': figures.taskEvents, 'task-updates': figures.taskUpdates },
      auditRows: figures.auditRows,
      poisonDeliveries: poisonDeliveries.length,
      flowedMeanwhile,
      dlq: dlq.length,
      deadLetters: deadLetters.rows.length,
    });

    expect(failedPublishes).toBeGreaterThan(0);
    expect(hungPublishes).toBeGreaterThan(0);
    expect(unpublished).toBe(0);
    expect(load.unexpected).toEqual([]);
    const ids = [...load.created.keys()];
    expect((await existingTasks(database.db, ids)).size).toBe(ids.length);
    // nothing lost or reordered per user, on the broker and at the subscriber
    for (const o of order) {
      expect(o.published, `${o.topic} published in log order`).toEqual(o.expected);
      if (o.probe) expect(o.probe, 'first deliveries in log order').toEqual(o.expected);
    }
    // the poison: every retry of the policy, then the DLQ, while other partitions kept flowing
    expect(poisonEvent).toBeDefined();
    expect(poisonDeliveries).toHaveLength(1 + inboundRetry.maxRetries);
    expect(poisonDeliveries.every((d) => d.outcome === 'RETRY')).toBe(true);
    expect(flowedMeanwhile).toBeGreaterThan(0);
    expect(dlq).toEqual([poisonEvent!.id]);
    // the permanent one: parked in dead_letters for its consumer at the first delivery; the delivery itself
    // succeeds (the other consumers of the topic handled it), so it is not redelivered nor dead-lettered
    expect(deadLetters.rows).toEqual([{ consumer: 'fault-probe', event_id: permanentEvent!.id }]);
    expect(attempts.get(permanentEvent!.id)).toBe(1);
    // every other consumer handled every event exactly once (the audit log took the poison too)
    expectExactlyOnce(figures, { deadLetters: 1 });
  }, 240_000);
});
