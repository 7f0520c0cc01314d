import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { notifications } from '../../src/infra/db/schema.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

/**
 * Every route of the real app (all roles), taken from its route table, × anonymous, another user and the
 * owner. A route that is not classified below fails the first test, so a new route can't skip the matrix.
 */

type Ids = {
  task: string;
  list: string;
  filter: string;
  token: string;
  notification: string;
  conversation: string;
};
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface UserRoute {
  kind: 'user';
  /** the owner's request: body, and a step that puts the fixture in the state the route needs */
  body?: (ids: Ids) => unknown;
  prepare?: (owner: TestUser, ids: Ids) => Promise<unknown>;
  /** a few routes can't answer 2xx to a plain request; the status they do give the owner, and why */
  ownerStatus?: { status: number; why: string };
}
type RouteClass =
  | UserRoute
  | { kind: 'public'; why: string }
  /** answers everyone the same, without touching data */
  | { kind: 'constant'; status: number; why: string }
  /** reached only through the in-process invoker or the Dapr sidecar, which authenticate themselves */
  | { kind: 'internal' };

const user = (r: Omit<UserRoute, 'kind'> = {}): UserRoute => ({ kind: 'user', ...r });

const classification: Record<string, RouteClass> = {
  'GET /healthz': { kind: 'public', why: 'liveness probe' },
  'GET /readyz': { kind: 'public', why: 'readiness probe' },
  'GET /metrics': { kind: 'public', why: 'Prometheus scrape; no user data' },
  'GET /api/docs': { kind: 'public', why: 'API documentation' },
  'GET /api/docs/json': { kind: 'public', why: 'API documentation' },
  'GET /api/docs/yaml': { kind: 'public', why: 'API documentation' },
  'GET /api/docs/static/*': { kind: 'public', why: 'API documentation' },
  'GET /api/docs/static/index.html': { kind: 'public', why: 'API documentation' },
  'GET /api/docs/static/swagger-initializer.js': { kind: 'public', why: 'API documentation' },
  'GET /api/auth/*': { kind: 'public', why: 'sign-up, sign-in, JWKS' },
  'POST /api/auth/*': { kind: 'public', why: 'sign-up, sign-in' },
  'GET /api/auth/get-session': { kind: 'public', why: 'better-auth' },
  'POST /api/auth/sign-in/email': { kind: 'public', why: 'better-auth' },
  'POST /api/auth/sign-up/email': { kind: 'public', why: 'better-auth' },
  'POST /api/auth/sign-out': { kind: 'public', why: 'better-auth' },
  'GET /': { kind: 'public', why: 'the web app' },
  'GET /*': { kind: 'public', why: 'the web app' },
  'GET /internal/v1/audit/users/:userId/activity': { kind: 'internal' },
  // only with the Dapr adapters (EVENT_BUS=dapr, SCHEDULER=dapr): called by the sidecar with APP_API_TOKEN
  'GET /dapr/subscribe': { kind: 'internal' },
  'POST /dapr/topics/task-events': { kind: 'internal' },
  'POST /dapr/topics/reminders': { kind: 'internal' },
  'POST /dapr/topics/task-updates': { kind: 'internal' },
  'POST /job/:name': { kind: 'internal' },
  'POST /reminder-sweep': { kind: 'internal' },
  'OPTIONS /reminder-sweep': { kind: 'internal' },
  'GET /internal/v1/audit/users/:userId/tasks/:id/history': { kind: 'internal' },

  'GET /api/v1/tasks': user(),
  'POST /api/v1/tasks': user({ body: () => ({ title: 'new' }) }),
  'GET /api/v1/tasks/:id': user(),
  'PATCH /api/v1/tasks/:id': user({ body: () => ({ title: 'renamed' }) }),
  'DELETE /api/v1/tasks/:id': user(),
  'POST /api/v1/tasks/:id/complete': user(),
  'POST /api/v1/tasks/:id/reopen': user({
    prepare: (o, ids) => call(o, 'POST', `/api/v1/tasks/${ids.task}/complete`),
  }),
  'POST /api/v1/tasks/:id/restore': user({
    prepare: (o, ids) => call(o, 'DELETE', `/api/v1/tasks/${ids.task}`),
  }),
  'POST /api/v1/tasks/:id/skip': user(),
  'GET /api/v1/tasks/:id/history': user(),
  'GET /api/v1/tasks/:id/occurrences': user(),
  'GET /api/v1/tasks/:id/series': user(),
  'POST /api/v1/tasks/quick': user({ body: () => ({ text: 'call mum tomorrow' }) }),
  'POST /api/v1/parse': user({ body: () => ({ text: 'call mum tomorrow' }) }),
  'GET /api/v1/lists': user(),
  'POST /api/v1/lists': user({ body: () => ({ name: `List ${randomBytes(3).toString('hex')}` }) }),
  'PATCH /api/v1/lists/:id': user({ body: () => ({ name: `Renamed ${randomBytes(3).toString('hex')}` }) }),
  'DELETE /api/v1/lists/:id': user(),
  'GET /api/v1/filters': user(),
  'POST /api/v1/filters': user({
    body: () => ({ name: `Filter ${randomBytes(3).toString('hex')}`, query: 'today' }),
  }),
  'PATCH /api/v1/filters/:id': user({ body: () => ({ query: 'overdue | p1' }) }),
  'DELETE /api/v1/filters/:id': user(),
  'GET /api/v1/tags': user(),
  'GET /api/v1/tokens': user(),
  'POST /api/v1/tokens': user({ body: () => ({ name: 'cli' }) }),
  'DELETE /api/v1/tokens/:id': user(),
  'GET /api/v1/notifications': user(),
  'POST /api/v1/notifications/:id/read': user(),
  'POST /api/v1/notifications/:id/snooze': user({ body: () => ({ minutes: 5 }) }),
  'GET /api/v1/settings': user(),
  'PATCH /api/v1/settings': user({ body: () => ({ time_zone: 'Europe/Paris' }) }),
  'GET /api/v1/settings/notifications': user(),
  'PUT /api/v1/settings/notifications': user({ body: () => ({ in_app: true }) }),
  'GET /api/v1/activity': user(),
  'GET /api/v1/stream': user({
    ownerStatus: {
      status: 404,
      why: 'a WebSocket route; a plain GET is not an upgrade (the realtime tests cover it)',
    },
  }),
  'POST /api/v1/chat': user({ body: () => chatTurn(`c${randomBytes(4).toString('hex')}`) }),
  'GET /api/v1/conversations': user(),
  'GET /api/v1/conversations/:id': user(),
  'DELETE /api/v1/conversations/:id': user(),
  'GET /mcp': { kind: 'constant', status: 405, why: 'stateless MCP: no server-sent event stream' },
  'DELETE /mcp': { kind: 'constant', status: 405, why: 'stateless MCP: no session to end' },
  'POST /mcp': user({
    body: () => ({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  }),
};

/** Files of the web app's static export (@fastify/static registers one route per file). */
const isStaticFile = (r: string) =>
  /^GET \/[^:*]*\.(html|txt|js|css|json|ico|png|svg|webmanifest|woff2?)$/.test(r);

let t: TestApp;
let owner: TestUser;
let other: TestUser;
let routes: string[];
/** a string put into every fixture of the owner: another user's response must never contain it */
const marker = `secret-${randomBytes(4).toString('hex')}`;

async function call(u: TestUser | undefined, method: Method, url: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { ...(u?.headers ?? {}), ...(method === 'POST' && url.startsWith('/mcp') ? mcpHeaders : {}) },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return res;
}
const mcpHeaders = { accept: 'application/json, text/event-stream' };
const chatTurn = (id: string) => ({
  id,
  messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: `${marker} what is due today?` }] }],
});

/** Fresh resources of `u`, so a destructive route never affects the next one. */
async function fixtures(u: TestUser): Promise<Ids> {
  const task = await call(u, 'POST', '/api/v1/tasks', {
    title: `${marker} task`,
    tags: [marker],
    due: { at: '2030-01-01T09:00:00Z' },
    recurrence: { rrule: 'FREQ=DAILY', mode: 'due' },
  });
  const list = await call(u, 'POST', '/api/v1/lists', {
    name: `${marker} ${randomBytes(3).toString('hex')}`,
  });
  const filter = await call(u, 'POST', '/api/v1/filters', {
    name: `${marker} ${randomBytes(3).toString('hex')}`,
    query: `#${marker}`,
  });
  const token = await call(u, 'POST', '/api/v1/tokens', { name: `${marker} token` });
  const [n] = await t.infra.database.db
    .insert(notifications)
    .values({
      userId: u.id,
      kind: 'reminder',
      title: `${marker} reminder`,
      dedupeKey: randomBytes(8).toString('hex'),
    })
    .returning();
  for (const r of [task, list, filter, token]) expect(r.statusCode, r.body).toBe(201);
  // a conversation (its id is the client's) where this build has the assistant
  const conversation = `c${randomBytes(6).toString('hex')}`;
  if (routes.includes('POST /api/v1/chat')) {
    const chat = await call(u, 'POST', '/api/v1/chat', chatTurn(conversation));
    expect(chat.statusCode, chat.body).toBe(200);
  }
  return {
    task: task.json().id,
    list: list.json().id,
    filter: filter.json().id,
    token: token.json().id,
    notification: n!.id,
    conversation,
  };
}

const fill = (url: string, ids: Ids, u: TestUser) =>
  url
    .replace(':userId', u.id)
    .replace(/\/notifications\/:id/, `/notifications/${ids.notification}`)
    .replace(/\/lists\/:id/, `/lists/${ids.list}`)
    .replace(/\/filters\/:id/, `/filters/${ids.filter}`)
    .replace(/\/tokens\/:id/, `/tokens/${ids.token}`)
    .replace(/\/conversations\/:id/, `/conversations/${ids.conversation}`)
    .replace(/\/tasks\/:id/, `/tasks/${ids.task}`)
    .replace('*', 'x');

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signUp({ name: marker });
  other = await t.signUp();
  routes = [...new Set(t.app.routeTable.map((r) => `${r.method} ${r.url}`))].sort();
});
afterAll(() => t.close());

const userRoutes = () =>
  routes.flatMap((r) => {
    const c = classification[r];
    return c?.kind === 'user' ? [[r, c] as const] : [];
  });

describe('authorisation matrix', () => {
  it('classifies every route of the app', () => {
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !classification[r] && !isStaticFile(r));
    expect(missing, 'routes missing from the classification in this test').toEqual([]);
  });

  it('anonymous: 401 on every route that is not public', async () => {
    const ids = await fixtures(owner);
    for (const r of routes) {
      const c = classification[r];
      if (!c || c.kind === 'public') continue;
      const [method, url] = r.split(' ') as [Method, string];
      const res = await call(
        undefined,
        method,
        fill(url, ids, owner),
        c.kind === 'user' ? c.body?.(ids) : undefined,
      );
      if (c.kind === 'constant') {
        expect(res.statusCode, `${r}: ${c.why}`).toBe(c.status);
        continue;
      }
      if (c.kind === 'internal') {
        expect([401, 403], `${r} → ${res.statusCode}`).toContain(res.statusCode);
        continue;
      }
      expect(res.statusCode, `${r} → ${res.body.slice(0, 200)}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it("another user: 404 for the owner's resource ids, and never the owner's data", async () => {
    for (const [r, c] of userRoutes()) {
      const ids = await fixtures(owner);
      const [method, url] = r.split(' ') as [Method, string];
      const res = await call(other, method, fill(url, ids, owner), c.body?.(ids));
      expect(res.body, `${r} leaked the owner's data`).not.toContain(marker);
      expect(res.body, `${r} leaked the owner's id`).not.toContain(owner.id);
      if (url.includes(':id')) expect(res.statusCode, `${r} → ${res.body.slice(0, 200)}`).toBe(404);
      else expect(res.statusCode, `${r} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
    }
    // and the owner's resources are untouched by all of that
    const mine = await call(owner, 'GET', '/api/v1/tasks?status=all&limit=200');
    expect(mine.json().items.every((x: { title: string }) => x.title.startsWith(marker))).toBe(true);
  });

  it('the owner: 2xx on every route', async () => {
    for (const [r, c] of userRoutes()) {
      const ids = await fixtures(owner);
      await c.prepare?.(owner, ids);
      const [method, url] = r.split(' ') as [Method, string];
      const res = await call(owner, method, fill(url, ids, owner), c.body?.(ids));
      if (c.ownerStatus) expect(res.statusCode, `${r}: ${c.ownerStatus.why}`).toBe(c.ownerStatus.status);
      else expect(res.statusCode, `${r} → ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      if (!c.ownerStatus) expect(res.statusCode, `${r} → ${res.body.slice(0, 200)}`).toBeLessThan(300);
    }
  });
});

describe('authorisation matrix, Dapr shape', () => {
  const sidecar = new FakeDaprSidecar();
  let dapr: TestApp;
  beforeAll(async () => {
    await sidecar.start();
    dapr = await createTestApp({
      config: {
        eventBus: 'dapr',
        scheduler: 'dapr',
        dapr: { ...testConfig().dapr, httpPort: sidecar.port, appApiToken: 'app-token-from-the-sidecar' },
      },
    });
    sidecar.opts.appUrl = await dapr.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await dapr.close();
    await sidecar.stop();
  });

  it('every route the Dapr adapters add is classified, and refused without the app token', async () => {
    const embedded = new Set(routes);
    const added = [...new Set(dapr.app.routeTable.map((r) => `${r.method} ${r.url}`))].filter(
      (r) => !embedded.has(r),
    );
    expect(added.length).toBeGreaterThan(3);
    expect(
      added.filter((r) => classification[r]?.kind !== 'internal'),
      'Dapr routes missing from the classification (as internal)',
    ).toEqual([]);
    for (const r of added) {
      const [method, url] = r.split(' ') as [Method | 'OPTIONS', string];
      const res = await dapr.app.inject({
        method,
        url: url.replace(':name', 'reminder-x'),
        headers: owner.headers,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect([401, 403], `${r} → ${res.statusCode}`).toContain(res.statusCode);
    }
  });
});
