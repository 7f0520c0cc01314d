import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/config.ts';
import { daprAppId } from '../../src/infra/invoke/invoke.ts';
import { freePort, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { StreamClient, type StreamMessage } from '../events/ws-client.ts';
import { FakeDaprMesh } from '../fakes/fake-dapr-mesh.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/test-db.ts';
import { parseMetrics, sampleValue } from '../observability/prometheus-text.ts';
import { waitFor } from '../reminders/helpers.ts';

/**
 * Issue 11 item 3, the cloud shape run here: every role is its own `taskstream serve --role <role>` process
 * on one PostgreSQL database with EVENT_BUS=dapr SCHEDULER=dapr STATE_STORE=dapr SECRET_STORE=dapr, each
 * beside its own fake sidecar, the sidecars forming one mesh (fake-dapr-mesh.ts). A user's recurring task
 * with a reminder a minute before it is due walks through all of them:
 * api (write, outbox relay) → pub/sub → notifier (Jobs API) → reminders → notifier → task-updates → realtime
 * (WebSocket); completing it → recurring (next occurrence) → audit, read back by the api through invocation.
 *
 * PostgreSQL only (separate processes cannot share an in-memory PGlite): the file is skipped without
 * TEST_DATABASE_URL and runs in the PostgreSQL pass of .ci/run.
 */
const roles: readonly Role[] = ['api', 'realtime', 'recurring', 'notifier', 'audit'];
const daprToken = 'e2e-dapr-api-token';
const appToken = 'e2e-app-api-token';

type Database = Awaited<ReturnType<typeof createTestDatabase>>;
let database: Database | undefined;
const mesh = new FakeDaprMesh({
  apiToken: daprToken,
  appApiToken: appToken,
  secrets: { kubernetes: { 'taskstream-secrets': { placeholder: 'unused' } } },
});
const procs = new Map<Role, ServerProcess>();
const sockets: StreamClient[] = [];

async function startRole(role: Role, databaseUrl: string): Promise<void> {
  const member = await mesh.add(daprAppId(role));
  const proc = await startServerProcess(
    {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: 'e2e-auth-secret-e2e-auth-secret-0123456789',
      EVENT_BUS: 'dapr',
      SCHEDULER: 'dapr',
      STATE_STORE: 'dapr',
      SECRET_STORE: 'dapr',
      DAPR_HTTP_PORT: String(member.sidecar.port),
      DAPR_API_TOKEN: daprToken,
      APP_API_TOKEN: appToken,
      DB_POOL_SIZE: '4',
    },
    await freePort(),
    ['--role', role],
  );
  procs.set(role, proc);
  await mesh.connect(daprAppId(role), proc.url);
}

function url(role: Role, path: string): string {
  return `${procs.get(role)!.url}${path}`;
}

/** What every process printed, for a failure message. */
function outputs(): string {
  return [...procs].map(([role, p]) => `--- ${role}\n${p.output().slice(-3_000)}`).join('\n');
}

async function http(method: string, target: string, token?: string, body?: unknown) {
  const res = await fetch(target, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function metricsOf(role: Role) {
  const res = await fetch(url(role, '/metrics'));
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

beforeAll(async () => {
  if (!testDatabaseUrl) return;
  database = await createTestDatabase();
  // the migration Job of the Kubernetes deployment: once, before the roles start
  await database.migrate();
  try {
    await Promise.all(roles.map((role) => startRole(role, database!.url!)));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${outputs()}`);
  }
}, 80_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(
    [...procs.values()].map(async (p) => {
      p.child.kill('SIGTERM');
      const killer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
      await p.exited;
      clearTimeout(killer);
    }),
  );
  await mesh.stop();
  await database?.close();
}, 30_000);

describe.skipIf(!testDatabaseUrl)('the cloud shape: one process per role, a mesh of Dapr sidecars', () => {
  it('walks a recurring task with a reminder through every role', async () => {
    try {
      await walk();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${outputs()}`);
    }
  }, 90_000);
});

async function walk(): Promise<void> {
  // ---- sign up on the api; open a live stream on the realtime process (another service)
  const email = `e2e-${Date.now()}@example.com`;
  const signUp = await http('POST', url('api', '/api/auth/sign-up/email'), undefined, {
    email,
    password: 'correct-horse-battery',
    name: 'E2E',
  });
  expect(signUp.status).toBe(200);
  const token = signUp.body.token as string;
  const live = await StreamClient.connect(`${url('realtime', '/api/v1/stream').replace('http', 'ws')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  sockets.push(live);
  await live.waitFor((c) => c.messages.some((m) => m.type === 'hello'), 10_000, 'hello');

  // ---- a daily task due in ~68 s with a reminder a minute before: the reminder fires ~8 s from now
  const due = new Date(Math.ceil((Date.now() + 68_000) / 1000) * 1000);
  const created = await http('POST', url('api', '/api/v1/tasks'), token, {
    title: 'Water the plants',
    due: { at: due.toISOString() },
    recurrence: { rrule: 'FREQ=DAILY' },
    reminders: [{ before: 'PT1M' }],
  });
  expect(created.status).toBe(201);
  const task = created.body as { id: string };
  const fireAt = due.getTime() - 60_000;
  const stateChanged = (id: string, cause: string) => (m: StreamMessage) =>
    m.type === 'task.state_changed' &&
    m.data?.cause === cause &&
    (m.data?.task as { id?: string } | undefined)?.id === id;
  await live.waitFor(
    (c) => c.events().some(stateChanged(task.id, 'task.created')),
    15_000,
    'task.created live',
  );

  // the notifier armed a Dapr job for the reminder at its sidecar
  const notifierJobs = mesh.members.get(daprAppId('notifier'))!.jobs;
  const job = await waitFor(
    () => [...notifierJobs.jobs.values()].find((j) => j.dueTime.getTime() === fireAt),
    'the reminder job at the notifier sidecar',
    15_000,
  );

  // ---- the job fires at the notifier; reminder.due → notification.created reaches the WebSocket
  const isReminder = (m: StreamMessage) =>
    m.type === 'notification.created' &&
    (m.data?.notification as { task_id?: string } | undefined)?.task_id === task.id;
  await live.waitFor(
    (c) => c.events().some(isReminder),
    Math.max(0, fireAt - Date.now()) + 20_000,
    'the reminder on the WebSocket',
  );
  const trigger = notifierJobs.triggers.find((t) => t.name === job.name);
  expect(trigger?.at.getTime()).toBeGreaterThanOrEqual(fireAt);
  expect(trigger?.status).toBe(200);
  const notes = await http('GET', url('api', '/api/v1/notifications'), token);
  expect(notes.body.items).toEqual([expect.objectContaining({ task_id: task.id })]);

  // ---- completing it: the recurring process creates the next occurrence, a day later, with its reminder
  expect((await http('POST', url('api', `/api/v1/tasks/${task.id}/complete`), token)).status).toBe(200);
  const next = await waitFor(
    async () => {
      const list = await http('GET', url('api', '/api/v1/tasks?status=open'), token);
      return (list.body.items as { id: string; title: string; due?: { at?: string } }[]).find(
        (t) => t.id !== task.id && t.title === 'Water the plants',
      );
    },
    'the next occurrence',
    20_000,
  );
  expect(new Date(next.due!.at!).getTime()).toBe(due.getTime() + 24 * 3_600_000);
  await live.waitFor((c) => c.events().some(stateChanged(next.id, 'task.created')), 15_000, 'next live');
  await waitFor(
    () => [...notifierJobs.jobs.values()].some((j) => j.dueTime.getTime() === fireAt + 24 * 3_600_000),
    "the next occurrence's reminder job",
    15_000,
  );

  // ---- the activity log (audit process, through invocation from the api process) shows it all
  const activity = await waitFor(
    async () => {
      const feed = await http('GET', url('api', '/api/v1/activity'), token);
      const items = feed.body.items as { type: string; task: { id: string } }[];
      return items.length >= 3 ? items : undefined;
    },
    'the activity log',
    20_000,
  );
  expect(activity.map((i) => [i.type, i.task.id])).toEqual([
    ['task.created', next.id],
    ['task.completed', task.id],
    ['task.created', task.id],
  ]);
  const history = await http('GET', url('api', `/api/v1/tasks/${task.id}/history`), token);
  expect(history.body.items.map((i: { type: string }) => i.type)).toEqual(['task.created', 'task.completed']);
  // the audit role answered those through its sidecar: the api's sidecar invoked it by app id
  const apiSidecar = mesh.members.get(daprAppId('api'))!.sidecar;
  expect(
    apiSidecar.requests.some((r) => r.path.startsWith(`/v1.0/invoke/${daprAppId('audit')}/method/`)),
  ).toBe(true);

  // fan-out per consumer group: the one task.completed publish reached each subscribed role once, and SUCCESS
  const completed = mesh
    .published('task-events')
    .find((m) => typeof m.envelope === 'object' && m.envelope.type === 'task.completed');
  const completedId = (completed?.envelope as { id?: string } | undefined)?.id;
  for (const role of ['audit', 'recurring', 'notifier'] as const) {
    const got = mesh.members
      .get(daprAppId(role))!
      .sidecar.deliveries.filter((d) => d.eventId === completedId && d.outcome === 'SUCCESS');
    expect(got, role).toHaveLength(1);
  }
  expect(
    mesh.members.get(daprAppId('realtime'))!.sidecar.deliveries.some((d) => d.topic === 'task-events'),
  ).toBe(false);

  // ---- state and secrets through the sidecars: every role read its secret at start; the assistant keeps the
  // conversation in the Dapr state store (app-scoped keys at the api's sidecar)
  for (const m of mesh.members.values()) {
    expect(m.sidecar.requests.some((r) => r.path.startsWith('/v1.0/secrets/kubernetes/'))).toBe(true);
  }
  const chat = await fetch(url('api', '/api/v1/chat'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'e2e-chat',
      messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'What is due today?' }] }],
    }),
  });
  expect(chat.status).toBe(200);
  expect(await chat.text()).toContain('[DONE]');
  expect((await http('GET', url('api', '/api/v1/conversations/e2e-chat'), token)).status).toBe(200);
  const stored = [...(mesh.members.get(daprAppId('api'))!.state.stores.get('statestore')?.keys() ?? [])];
  expect(stored.some((k) => k.startsWith(`${daprAppId('api')}||`) && k.includes('e2e-chat'))).toBe(true);

  // ---- and each process says so in its own metrics
  const audit = await metricsOf('audit');
  expect(
    sampleValue(audit, 'taskstream_events_consumed_total', { topic: 'task-events', consumer: 'audit' }),
  ).toBeGreaterThanOrEqual(3);
  const notifier = await metricsOf('notifier');
  expect(sampleValue(notifier, 'taskstream_reminder_lateness_seconds_count', {})).toBe(1);
  expect(sampleValue(notifier, 'taskstream_notifications_delivered_total', { channel: 'in_app' })).toBe(1);
  expect(sampleValue(await metricsOf('realtime'), 'taskstream_websocket_connections', {})).toBe(1);
  await waitFor(
    async () => sampleValue(await metricsOf('api'), 'taskstream_outbox_pending', {}) === 0,
    'the relay to publish everything',
  );
  const api = await metricsOf('api');
  expect(sampleValue(api, 'taskstream_events_published_total', { topic: 'reminders' })).toBe(1);
  expect(sampleValue(api, 'taskstream_db_pool_total', {})).toBeGreaterThan(0);
}
