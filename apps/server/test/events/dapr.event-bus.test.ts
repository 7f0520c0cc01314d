import { asc, isNotNull } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/config.ts';
import { systemClock } from '../../src/infra/clock/clock.ts';
import type { Database } from '../../src/infra/db/db.ts';
import { outbox } from '../../src/infra/db/schema.ts';
import { DaprEventBus, type DaprEventBusOptions } from '../../src/infra/events/dapr.event-bus.ts';
import { commitEvent, describeEventBusContract, waitFor } from '../../src/infra/events/event-bus.contract.ts';
import type { EventLogger } from '../../src/infra/events/event-bus.ts';
import { InternalCallGuard } from '../../src/infra/invoke/internal-guard.ts';
import { auditSubscription } from '../../src/modules/audit/audit.consumer.ts';
import { daprRoutes } from '../../src/modules/dapr/dapr.routes.ts';
import { errorHandlerPlugin } from '../../src/plugins/error-handler.ts';
import { FakeDaprSidecar, type FakeSidecarOptions } from '../fakes/fake-dapr-sidecar.ts';
import { sharedEventDatabase } from './shared-db.ts';

const daprToken = 'dapr-api-token-for-tests';
const appToken = 'app-api-token-for-tests';
const freshDatabase = sharedEventDatabase();

interface DaprRig {
  database: Database;
  db: Database['db'];
  sidecar: FakeDaprSidecar;
  bus: DaprEventBus;
  app: FastifyInstance;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The app's Dapr routes on a real port, a fake sidecar in front of it, and the relay publishing to it. */
async function daprRig(
  log: EventLogger,
  opts: { sidecar?: FakeSidecarOptions; bus?: Partial<DaprEventBusOptions>; roles?: Role[] } = {},
): Promise<DaprRig> {
  const database = await freshDatabase();
  const sidecar = new FakeDaprSidecar({
    apiToken: daprToken,
    appApiToken: appToken,
    inboundRetry: { maxRetries: 50, intervalMs: 10 },
    ...opts.sidecar,
  });
  await sidecar.start();
  const bus = new DaprEventBus(database.db, systemClock, {
    sidecarUrl: sidecar.url,
    apiToken: daprToken,
    pubsub: 'kafka-pubsub',
    relay: true,
    pollIntervalMs: 50,
    healthPollMs: 20,
    ...opts.bus,
  });
  const app = Fastify({ loggerInstance: log });
  await app.register(errorHandlerPlugin);
  await app.register(daprRoutes, {
    bus,
    db: database.db,
    pubsub: 'kafka-pubsub',
    roles: new Set(opts.roles ?? []),
    guard: new InternalCallGuard({ sidecar: true, appApiToken: appToken }),
  });
  return {
    database,
    db: database.db,
    sidecar,
    bus,
    app,
    async start() {
      // the order of a real pod: the app listens, the sidecar reads /dapr/subscribe, the relay waits for it
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      sidecar.opts.appUrl = url;
      await sidecar.loadSubscriptions();
      await bus.start(log);
    },
    async close() {
      await bus.stop();
      await sidecar.stop();
      await app.close();
    },
  };
}

describeEventBusContract('dapr (fake sidecar)', async ({ log }) => {
  const rig = await daprRig(log);
  return {
    bus: rig.bus,
    db: rig.database.db,
    start: () => rig.start(),
    async redeliver(event, times) {
      rig.sidecar.redeliver(event.id, times);
    },
    close: () => rig.close(),
  };
});

describe('dapr event bus', () => {
  const log = pino({ level: 'silent' });
  let rig: DaprRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('publishes outbox rows as CloudEvents with partition key, event id, trace and tokens, then marks them', async () => {
    rig = await daprRig(log);
    rig.bus.subscribe(auditSubscription(rig.database.db));
    await rig.start();
    const e = await commitEvent(rig, 'user-1');
    const [msg] = await waitFor(
      () => rig!.sidecar.messages('task-events'),
      (m) => m.length === 1,
      5_000,
      'publish',
    );
    const req = rig.sidecar.requests.find((r) => r.path.startsWith('/v1.0/publish/'))!;
    const url = new URL(req.path, 'http://x');
    expect(url.pathname).toBe('/v1.0/publish/kafka-pubsub/task-events');
    expect(url.searchParams.get('metadata.partitionKey')).toBe('user-1');
    expect(url.searchParams.get('metadata.cloudevent.id')).toBe(e.id);
    expect(req.headers['content-type']).toBe('application/cloudevents+json');
    expect(req.headers['dapr-api-token']).toBe(daprToken);
    expect(req.headers.traceparent).toBe(e.traceparent);
    // the subscriber side sees our envelope, with data as JSON (not a string) and Dapr's additions
    expect(msg!.envelope).toMatchObject({
      id: e.id,
      type: 'task.created',
      source: 'taskstream/test',
      subject: e.subject,
      traceparent: e.traceparent,
      traceid: e.traceparent,
      topic: 'task-events',
      pubsubname: 'kafka-pubsub',
      data: e.data,
    });
    expect(msg!.key).toBe('user-1');
    await waitFor(
      () => rig!.database.db.select().from(outbox).where(isNotNull(outbox.publishedAt)),
      (rows) => rows.length === 1,
      5_000,
      'published_at',
    );
  });

  it('waits for /v1.0/healthz/outbound before publishing; readiness follows the sidecar', async () => {
    rig = await daprRig(log, { sidecar: { componentsReady: false } });
    await rig.start();
    await expect(rig.bus.checkReady()).rejects.toThrow(/not ready/);
    await commitEvent(rig, 'user-1');
    await new Promise((r) => setTimeout(r, 150));
    expect(rig.sidecar.requests.some((r) => r.path.startsWith('/v1.0/publish/'))).toBe(false);
    rig.sidecar.opts.componentsReady = true;
    await waitFor(
      () => rig!.sidecar.messages('task-events').length,
      (n) => n === 1,
      5_000,
      'publish once ready',
    );
    await expect(rig.bus.checkReady()).resolves.toBeUndefined();
  });

  it("keeps each user's order when publishes fail and are retried", async () => {
    rig = await daprRig(log);
    let failures = 0;
    let publishes = 0;
    // the broker rejects every third publish for a while (500 ERR_PUBSUB_PUBLISH_MESSAGE)
    rig.sidecar.publishFault = () => {
      publishes++;
      if (failures >= 6 || publishes % 3 !== 0) return undefined;
      failures++;
      return { status: 500, body: { errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE', message: 'broker down' } };
    };
    await rig.start();
    const appended = [];
    for (let i = 0; i < 30; i++) appended.push(await commitEvent(rig, `user-${i % 3}`));
    await waitFor(
      () => rig!.sidecar.messages('task-events').length,
      (n) => n >= 30,
      10_000,
      'all published',
    );
    expect(failures).toBeGreaterThan(0);
    for (const u of ['user-0', 'user-1', 'user-2']) {
      const got = [
        ...new Set(
          rig.sidecar
            .messages('task-events')
            .filter((m) => m.key === u)
            .map((m) => (m.envelope as { id: string }).id),
        ),
      ];
      expect(got).toEqual(appended.filter((e) => e.data.user_id === u).map((e) => e.id));
    }
    // the last publish reaches the broker a moment before the relay marks its row
    await waitFor(
      () => rig!.database.db.select().from(outbox).orderBy(asc(outbox.seq)),
      (rows) => rows.every((r) => r.publishedAt !== null),
      5_000,
      'every row marked published',
    );
  });

  it('lets only one relay publish at a time (lease), so replicas do not duplicate or reorder', async () => {
    rig = await daprRig(log);
    await rig.start();
    const other = new DaprEventBus(rig.database.db, systemClock, {
      sidecarUrl: rig.sidecar.url,
      apiToken: daprToken,
      pubsub: 'kafka-pubsub',
      relay: true,
      pollIntervalMs: 20,
      healthPollMs: 20,
    });
    await other.start(log);
    try {
      for (let i = 0; i < 40; i++) {
        await commitEvent(rig, `user-${i % 4}`);
        other.notify();
      }
      await waitFor(
        () => rig!.sidecar.messages('task-events').length,
        (n) => n >= 40,
        10_000,
        'published',
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(rig.sidecar.messages('task-events')).toHaveLength(40);
      expect(rig.bus.published + other.published).toBe(40);
      expect(Math.min(rig.bus.published, other.published)).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('/dapr/subscribe lists each topic once with a dead-letter topic, and refuses callers other than the sidecar', async () => {
    rig = await daprRig(log, { roles: ['audit', 'notifier', 'realtime'] });
    rig.bus.subscribe(auditSubscription(rig.database.db));
    rig.bus.subscribe({ consumer: 'recurring', topic: 'task-events', handle: async () => {} });
    const denied = await rig.app.inject({ method: 'GET', url: '/dapr/subscribe' });
    expect(denied.statusCode).toBe(403);
    const res = await rig.app.inject({
      method: 'GET',
      url: '/dapr/subscribe',
      headers: { 'dapr-api-token': appToken },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        pubsubname: 'kafka-pubsub',
        topic: 'task-events',
        routes: { default: '/dapr/topics/task-events' },
        deadLetterTopic: 'task-events-dlq',
        metadata: { rawPayload: 'false' },
      },
      expect.objectContaining({ topic: 'reminders', deadLetterTopic: 'reminders-dlq' }),
      expect.objectContaining({ topic: 'task-updates', deadLetterTopic: 'task-updates-dlq' }),
    ]);
  });

  it('answers DROP for a delivery that can never succeed and RETRY for a topic without a handler', async () => {
    rig = await daprRig(log, { roles: ['notifier'] });
    const post = (url: string, payload: string) =>
      rig!.app.inject({
        method: 'POST',
        url,
        headers: { 'dapr-api-token': appToken, 'content-type': 'application/cloudevents+json' },
        payload,
      });
    const garbage = await post('/dapr/topics/task-events', '{not json');
    expect(garbage.statusCode).toBe(200);
    expect(garbage.json()).toEqual({ status: 'DROP' });
    const foreign = await post(
      '/dapr/topics/task-events',
      JSON.stringify({ specversion: '1.0', id: 'x', data: 'hi' }),
    );
    expect(foreign.json()).toEqual({ status: 'DROP' });
    const valid = {
      specversion: '1.0',
      id: '0b9c2f1e-3c55-4a53-9d0f-6f7f3e6f4a11',
      type: 'reminder.due',
      source: 'taskstream/notifier',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: {
        event_id: '0b9c2f1e-3c55-4a53-9d0f-6f7f3e6f4a11',
        event_type: 'reminder.due',
        version: 1,
        user_id: 'u1',
        timestamp: new Date().toISOString(),
        payload: {},
      },
    };
    const unhandled = await post('/dapr/topics/reminders', JSON.stringify(valid));
    expect(unhandled.statusCode).toBe(200);
    expect(unhandled.json()).toEqual({ status: 'RETRY' });
  });
});

describe('fake Dapr sidecar wire behaviour (contract §12)', () => {
  let sidecar: FakeDaprSidecar | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await sidecar?.stop();
    await app?.close();
    sidecar = undefined;
    app = undefined;
  });

  /** A subscriber app that answers each delivery with the next scripted reply. */
  async function scriptedApp(replies: { status: number; body?: unknown }[], deadLetterTopic?: string) {
    const received: { headers: Record<string, unknown>; body: unknown }[] = [];
    app = Fastify();
    app.addContentTypeParser('application/cloudevents+json', { parseAs: 'string' }, (_r, b, done) =>
      done(null, JSON.parse(b as string)),
    );
    app.get('/dapr/subscribe', async () => [
      {
        pubsubname: 'kafka-pubsub',
        topic: 't',
        routes: { default: '/in' },
        ...(deadLetterTopic ? { deadLetterTopic } : {}),
      },
    ]);
    app.post('/in', async (req, reply) => {
      received.push({ headers: req.headers, body: req.body });
      const next = replies.shift() ?? { status: 200 };
      return reply.code(next.status).send(next.body ?? '');
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, received };
  }

  async function publish(body: string, headers: Record<string, string> = {}, query = '') {
    return fetch(`${sidecar!.url}/v1.0/publish/kafka-pubsub/t${query}`, { method: 'POST', body, headers });
  }

  it('wraps by Content-Type: JSON stays JSON, a missing type makes data a string; errors use Dapr codes', async () => {
    const { url, received } = await scriptedApp([]);
    sidecar = new FakeDaprSidecar({ appUrl: url });
    await sidecar.start();
    await sidecar.loadSubscriptions();
    expect((await publish('{"a":1}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(
      204,
    );
    expect((await publish('{"a":1}')).status).toBe(204);
    await sidecar.idle();
    expect((received[0]!.body as { data: unknown }).data).toEqual({ a: 1 });
    expect((received[1]!.body as { data: unknown; datacontenttype: string }).data).toBe('{"a":1}');
    expect(received[0]!.headers['content-type']).toBe('application/cloudevents+json');
    expect(received[0]!.headers).toHaveProperty('__topic', 't');
    const unknown = await fetch(`${sidecar.url}/v1.0/publish/nope/t`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errorCode: string }).errorCode).toBe('ERR_PUBSUB_NOT_FOUND');
    const bad = await publish('{}', { 'content-type': 'application/json' }, '?metadata.rawPayload=notabool');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errorCode: string }).errorCode).toBe('ERR_PUBSUB_REQUEST_METADATA');
  });

  it('retries on 500 and lowercase "success", drops on 404; without a resiliency policy the first failure goes to the DLQ', async () => {
    const { url } = await scriptedApp(
      [{ status: 500 }, { status: 200, body: { status: 'success' } }, { status: 200 }, { status: 404 }],
      't-dlq',
    );
    sidecar = new FakeDaprSidecar({ appUrl: url, inboundRetry: { maxRetries: 5, intervalMs: 1 } });
    await sidecar.start();
    await sidecar.loadSubscriptions();
    await publish('{"n":1}', { 'content-type': 'application/json' });
    await sidecar.idle();
    expect(sidecar.deliveries.map((d) => d.outcome)).toEqual(['RETRY', 'RETRY', 'SUCCESS']);
    await publish('{"n":2}', { 'content-type': 'application/json' });
    await sidecar.idle();
    expect(sidecar.deliveries.at(-1)).toMatchObject({ httpStatus: 404, outcome: 'DROP' });
    expect(sidecar.messages('t-dlq')).toHaveLength(1);
    sidecar.opts.inboundRetry = null;
    await app!.close();
    const second = await scriptedApp([{ status: 503 }], 't-dlq');
    sidecar.opts.appUrl = second.url;
    await publish('{"n":3}', { 'content-type': 'application/json' });
    await sidecar.idle();
    expect(second.received).toHaveLength(1);
    expect(sidecar.messages('t-dlq')).toHaveLength(2);
  });
});
