/**
 * `npm run bench -- events`: the event backbone (issue 3), on embedded PGlite in memory.
 *
 * 1. commit → handler: a task write (TasksService, the real write path) until a `task-events` subscriber
 *    starts, one write at a time, with every role's subscriptions running (target p95 ≤ 20 ms).
 * 2. write → WebSocket receipt: POST /api/v1/tasks over HTTP until each of the owner's sockets receives the
 *    `task.state_changed` message, with 100 sockets connected over real TCP (20 users × 5; target p95 ≤ 50 ms).
 * 3. throughput: the embedded dispatcher draining a backlog into the audit consumer, and the Dapr relay
 *    publishing a backlog to the fake sidecar over HTTP (events/s).
 *
 * Options: --writes N (latency samples, default 1000) --ws-writes N (default 500) --backlog N (default 10000)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { systemClock } from '../apps/server/src/infra/clock/clock.ts';
import type { Database } from '../apps/server/src/infra/db/db.ts';
import { createPgliteDatabase } from '../apps/server/src/infra/db/pglite.db.ts';
import { consumerOffsets, outbox } from '../apps/server/src/infra/db/schema.ts';
import type { CloudEvent } from '../apps/server/src/infra/events/cloud-event.ts';
import { DaprEventBus } from '../apps/server/src/infra/events/dapr.event-bus.ts';
import { EmbeddedEventBus } from '../apps/server/src/infra/events/embedded.event-bus.ts';
import { appendEvents } from '../apps/server/src/infra/events/outbox.ts';
import { createInfra, type Infra } from '../apps/server/src/infra/infra.ts';
import { auditSubscription } from '../apps/server/src/modules/audit/audit.consumer.ts';
import type { AuthUser } from '../apps/server/src/plugins/authenticate.ts';
import { FakeDaprSidecar } from '../apps/server/test/fakes/fake-dapr-sidecar.ts';
import { type BenchOptions, numberOption } from './lib/options.ts';
import { type LatencySummary, ms, summarize } from './lib/stats.ts';
import { printTable } from './lib/table.ts';

const targets = { commitToHandlerP95: 20, wsP95: 50 } as const;
const silent = pino({ level: 'silent' });

async function startApp(
  database: Database = createPgliteDatabase(undefined),
): Promise<{ app: FastifyInstance; infra: Infra; probe: Map<string, number> }> {
  const config = testConfig({ authRateLimit: 1_000_000 });
  const infra = await createInfra(config, { database });
  const app = await buildApp(config, infra);
  // a probe next to the real consumers: records when a task event reaches a handler
  const probe = new Map<string, number>();
  infra.bus.subscribe({
    consumer: 'bench-probe',
    topic: 'task-events',
    async handle(event) {
      probe.set(event.id, performance.now());
    },
  });
  await app.ready();
  return { app, infra, probe };
}

async function signUp(app: FastifyInstance, i: number): Promise<{ id: string; token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { origin: 'http://localhost:8080' },
    payload: {
      email: `bench-${i}-${Date.now()}@example.com`,
      password: 'correct-horse-battery',
      name: `B${i}`,
    },
  });
  if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { token: string; user: { id: string } };
  return { id: body.user.id, token: body.token };
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** 1. commit → handler, one write at a time through the real service (on embedded PGlite unless given). */
export async function commitToHandler(writes: number, database?: Database): Promise<LatencySummary> {
  const { app, infra, probe } = await startApp(database);
  try {
    const user = await signUp(app, 0);
    const authUser: AuthUser = { id: user.id, timeZone: 'UTC', client: 'api' };
    let committedAt = 0;
    // the service calls this right after its transaction commits: that instant is "commit"
    const notify = infra.outboxWritten.bind(infra);
    infra.outboxWritten = () => {
      committedAt = performance.now();
      notify();
    };
    const { TasksService } = await import('../apps/server/src/modules/tasks/tasks.service.ts');
    const tasks = new TasksService(infra.database.db, systemClock, () => infra.outboxWritten());
    const samples: number[] = [];
    const warmup = 50;
    const start = performance.now();
    for (let i = 0; i < writes + warmup; i++) {
      const before = probe.size;
      await tasks.create({ user: authUser, traceparent: '' }, { title: `bench ${i}` });
      await until(() => probe.size > before, 5_000, 'handler');
      const handledAt = [...probe.values()].at(-1)!;
      if (i >= warmup) samples.push(handledAt - committedAt);
    }
    return summarize(samples, performance.now() - start);
  } finally {
    await app.close();
  }
}

/** 2. write over HTTP → receipt on every socket of the owner, 100 sockets connected, on an in-process app. */
async function writeToWebSocket(writes: number, concurrency: number): Promise<WsLatency> {
  const { app } = await startApp();
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const users: { id: string; token: string }[] = [];
    for (let i = 0; i < 20; i++) users.push(await signUp(app, i + 1));
    return await wsLatency(base, users, writes, concurrency);
  } finally {
    await app.close();
  }
}

export interface WsLatency {
  summary: LatencySummary;
  response: LatencySummary;
  sockets: number;
}

/**
 * POST /api/v1/tasks from `concurrency` writers against the server at `base`, timed until every one of the
 * owner's 5 sockets has received the `task.state_changed` message (5 sockets for each of `users`).
 */
export async function wsLatency(
  base: string,
  users: { token: string }[],
  writes: number,
  concurrency: number,
): Promise<WsLatency> {
  const sockets: WebSocket[] = [];
  try {
    const pending = new Map<string, { sentAt: number; remaining: number }>();
    const samples: number[] = [];
    const responses: number[] = [];
    for (const u of users) {
      for (let k = 0; k < 5; k++) {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/stream`, {
          headers: { authorization: `Bearer ${u.token}` },
        });
        ws.on('message', (raw) => {
          const now = performance.now();
          const msg = JSON.parse(raw.toString()) as { type: string; data?: { task?: { title?: string } } };
          const title = msg.data?.task?.title;
          const p = title ? pending.get(title) : undefined;
          if (msg.type !== 'task.state_changed' || !p) return;
          samples.push(now - p.sentAt);
          p.remaining--;
        });
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        sockets.push(ws);
      }
    }
    const start = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < writes) {
        const i = next++;
        const u = users[i % users.length]!;
        const title = `ws bench ${i} ${start}`;
        const sentAt = performance.now();
        pending.set(title, { sentAt, remaining: 5 });
        const res = await fetch(`${base}/api/v1/tasks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title }),
        });
        await res.arrayBuffer();
        responses.push(performance.now() - sentAt);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await until(() => [...pending.values()].every((p) => p.remaining === 0), 30_000, 'all receipts');
    const elapsed = performance.now() - start;
    return {
      summary: summarize(samples, elapsed),
      response: summarize(responses, elapsed),
      sockets: sockets.length,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

function backlogEvents(n: number, users: number) {
  return Array.from({ length: n }, (_, i) => {
    const taskId = crypto.randomUUID();
    return {
      topic: 'task-events' as const,
      type: 'task.created',
      userId: `user-${i % users}`,
      subject: taskId,
      payload: { task: { id: taskId, title: `t${i}` }, changes: [], client: 'api' },
    };
  });
}

async function seedBacklog(
  database: ReturnType<typeof createPgliteDatabase>,
  n: number,
): Promise<CloudEvent[]> {
  const all: CloudEvent[] = [];
  const events = backlogEvents(n, 100);
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    all.push(
      ...(await database.db.transaction((tx) =>
        appendEvents(tx, { at: new Date(), traceparent: '', source: 'bench' }, batch),
      )),
    );
  }
  return all;
}

/** 3a. the embedded dispatcher draining a backlog into the real audit consumer (inbox + audit row per event). */
async function embeddedThroughput(n: number): Promise<number> {
  const database = createPgliteDatabase(undefined);
  await database.migrate();
  try {
    await seedBacklog(database, n);
    const bus = new EmbeddedEventBus(database.db, { offsetFlushMs: 20 });
    bus.subscribe(auditSubscription(database.db));
    const start = performance.now();
    await bus.start(silent);
    const [{ head } = { head: 0 }] = (await database.db
      .select({ head: outbox.seq })
      .from(outbox)
      .orderBy(outbox.seq)
      .limit(1)
      .offset(n - 1)) as { head: number }[];
    for (;;) {
      const [row] = await database.db.select().from(consumerOffsets);
      if ((row?.position ?? 0) >= head) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = performance.now() - start;
    await bus.stop();
    return (n * 1000) / elapsed;
  } finally {
    await database.close();
  }
}

/** 3b. the Dapr relay publishing a backlog through the fake sidecar over HTTP, marking rows published. */
async function relayThroughput(n: number): Promise<number> {
  const database = createPgliteDatabase(undefined);
  await database.migrate();
  const sidecar = new FakeDaprSidecar();
  await sidecar.start();
  try {
    await seedBacklog(database, n);
    const bus = new DaprEventBus(database.db, systemClock, {
      sidecarUrl: sidecar.url,
      pubsub: 'kafka-pubsub',
      relay: true,
      healthPollMs: 5,
    });
    const start = performance.now();
    await bus.start(silent);
    await until(() => bus.published >= n, 120_000, 'relay');
    const elapsed = performance.now() - start;
    await bus.stop();
    return (n * 1000) / elapsed;
  } finally {
    await sidecar.stop();
    await database.close();
  }
}

export async function benchEvents(opts: BenchOptions = {}): Promise<void> {
  const writes = numberOption(opts, 'writes', 1000);
  const wsWrites = numberOption(opts, 'ws-writes', 500);
  const backlog = numberOption(opts, 'backlog', 10_000);
  const load = () => loadavg()[0]!.toFixed(2);

  console.log(`event backbone bench (embedded PGlite in memory); 1-min load average ${load()}`);
  const c2h = await commitToHandler(writes);
  const c2hLoad = load();
  const ws1 = await writeToWebSocket(wsWrites, 1);
  const ws1Load = load();
  const ws4 = await writeToWebSocket(wsWrites, 4);
  const ws4Load = load();
  const dispatch = await embeddedThroughput(backlog);
  const relay = await relayThroughput(backlog);
  const tpLoad = load();

  printTable(
    'latency (ms)',
    ['measurement', 'samples', 'p50', 'p95', 'p99', 'max', 'target p95', 'load'],
    [
      [
        'commit → handler (task-events, sequential writes)',
        c2h.count,
        ms(c2h.p50),
        ms(c2h.p95),
        ms(c2h.p99),
        ms(c2h.max),
        `≤ ${targets.commitToHandlerP95}`,
        c2hLoad,
      ],
      ...(
        [
          [ws1, 1, ws1Load],
          [ws4, 4, ws4Load],
        ] as const
      ).flatMap(([ws, writers, l]) => [
        [
          `HTTP write → WebSocket receipt (${ws.sockets} sockets, ${writers} writer${writers > 1 ? 's' : ''})`,
          ws.summary.count,
          ms(ws.summary.p50),
          ms(ws.summary.p95),
          ms(ws.summary.p99),
          ms(ws.summary.max),
          `≤ ${targets.wsP95}`,
          l,
        ],
        [
          '  of which the HTTP write itself (response)',
          ws.response.count,
          ms(ws.response.p50),
          ms(ws.response.p95),
          ms(ws.response.p99),
          ms(ws.response.max),
          '',
          l,
        ],
      ]),
    ],
  );
  printTable(
    'throughput',
    ['measurement', 'events', 'events/s', 'load'],
    [
      ['embedded dispatch → audit consumer (inbox + row per event)', backlog, Math.round(dispatch), tpLoad],
      ['Dapr relay → fake sidecar over HTTP (publish + mark published)', backlog, Math.round(relay), tpLoad],
    ],
  );
}
