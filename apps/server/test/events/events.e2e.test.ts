import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { StreamClient } from './ws-client.ts';

let t: TestApp;
let u: TestUser;
let v: TestUser;
let base: string;
const sockets: StreamClient[] = [];

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp();
  v = await t.signUp();
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = url.replace('http://', 'ws://');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

async function stream(user: TestUser, query = '', via: 'header' | 'query' = 'header'): Promise<StreamClient> {
  const qs =
    via === 'query'
      ? `?access_token=${encodeURIComponent(user.token)}${query ? `&${query}` : ''}`
      : query
        ? `?${query}`
        : '';
  const client = await StreamClient.connect(`${base}/api/v1/stream${qs}`, {
    headers: via === 'header' ? user.headers : {},
  });
  sockets.push(client);
  await client.waitFor((c) => c.messages.some((m) => m.type === 'hello'), 5_000, 'hello');
  return client;
}

async function api(user: TestUser, method: string, url: string, payload?: object) {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: user.headers,
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

describe('embedded event backbone, end to end', () => {
  let taskId: string;
  let mine: StreamClient;
  let theirs: StreamClient;

  it("pushes each change to the owner's sockets and nothing to another user's", async () => {
    mine = await stream(u);
    theirs = await stream(v, '', 'query');
    const created = await api(u, 'POST', '/tasks', { title: 'Write report' });
    expect(created.status).toBe(201);
    taskId = created.body.id;
    expect(
      (await api(u, 'PATCH', `/tasks/${taskId}`, { title: 'Write the report', priority: 'high' })).status,
    ).toBe(200);
    expect((await api(u, 'POST', `/tasks/${taskId}/complete`)).status).toBe(200);
    expect((await api(u, 'DELETE', `/tasks/${taskId}`)).status).toBe(204);
    await mine.waitFor((c) => c.events().length === 4, 5_000, 'four live updates');
    const events = mine.events();
    expect(events.every((e) => e.type === 'task.state_changed')).toBe(true);
    expect(events.map((e) => e.data?.cause)).toEqual([
      'task.created',
      'task.updated',
      'task.completed',
      'task.deleted',
    ]);
    expect(events[1]!.data).toMatchObject({
      task: { id: taskId, title: 'Write the report', priority: 'high' },
      changes: expect.arrayContaining([
        { field: 'title', before: 'Write report', after: 'Write the report' },
      ]),
      client: 'api',
    });
    expect(events[3]!.data).toMatchObject({ task: { id: taskId, deleted_at: expect.any(String) } });
    // the other user's write reaches only them
    await api(v, 'POST', '/tasks', { title: 'Theirs' });
    await theirs.waitFor((c) => c.events().length === 1, 5_000, "the other user's own update");
    expect(
      theirs.events().every((e) => (e.data?.task as { title?: string } | undefined)?.title === 'Theirs'),
    ).toBe(true);
    expect(mine.events()).toHaveLength(4);
  });

  it('/history shows each change in order: what changed, when, by which client', async () => {
    let res = await api(u, 'GET', `/tasks/${taskId}/history`);
    for (let i = 0; i < 200 && res.body.items?.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 10));
      res = await api(u, 'GET', `/tasks/${taskId}/history`);
    }
    expect(res.status).toBe(200);
    const items = res.body.items as { type: string; changes: unknown[]; client: string; at: string }[];
    expect(items.map((i) => i.type)).toEqual([
      'task.created',
      'task.updated',
      'task.completed',
      'task.deleted',
    ]);
    expect(items[1]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'title', before: 'Write report', after: 'Write the report' },
        { field: 'priority', before: 'none', after: 'high' },
      ]),
    );
    expect(items[2]!.changes).toEqual(
      expect.arrayContaining([{ field: 'status', before: 'open', after: 'completed' }]),
    );
    expect(items.every((i) => i.client === 'api' && !Number.isNaN(Date.parse(i.at)))).toBe(true);
    // a change made through the assistant is attributed to it
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/restore`,
      headers: { ...u.headers, 'x-taskstream-client': 'assistant' },
    });
    let after = await api(u, 'GET', `/tasks/${taskId}/history`);
    for (let i = 0; i < 200 && after.body.items.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 10));
      after = await api(u, 'GET', `/tasks/${taskId}/history`);
    }
    expect(after.body.items[4]).toMatchObject({ type: 'task.restored', client: 'assistant' });
  });

  it("never shows one user's history or activity to another", async () => {
    expect((await api(v, 'GET', `/tasks/${taskId}/history`)).status).toBe(404);
    const feed = await api(v, 'GET', '/activity');
    expect(feed.body.items.every((i: { task: { title: string } }) => i.task.title === 'Theirs')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tasks/${taskId}/history` })).statusCode).toBe(
      401,
    );
  });

  it('pages the activity feed newest first with a cursor', async () => {
    const first = await api(u, 'GET', '/activity?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { type: string }) => i.type)).toEqual(['task.restored', 'task.deleted']);
    const second = await api(u, 'GET', `/activity?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((i: { type: string }) => i.type)).toEqual([
      'task.completed',
      'task.updated',
    ]);
    const last = await api(u, 'GET', `/activity?limit=2&cursor=${second.body.next_cursor}`);
    expect(last.body).toMatchObject({ items: [{ type: 'task.created' }], next_cursor: null });
    expect((await api(u, 'GET', '/activity?cursor=garbage')).body.error.code).toBe('INVALID_CURSOR');
  });

  it('replays what a reconnecting client missed after ?since=, then continues live', async () => {
    const firstId = mine.events()[0]!.id!;
    const again = await stream(u, `since=${firstId}`);
    await again.waitFor((c) => c.messages.some((m) => m.type === 'replay.completed'), 5_000, 'replay');
    const replayed = again.events().map((e) => e.data?.cause);
    expect(replayed).toEqual(['task.updated', 'task.completed', 'task.deleted', 'task.restored']);
    await api(u, 'PATCH', `/tasks/${taskId}`, { title: 'Live again' });
    await again.waitFor((c) => c.events().length === 5, 5_000, 'live after replay');
    const unknown = await stream(u, `since=${crypto.randomUUID()}`);
    await unknown.waitFor((c) => c.messages.some((m) => m.type === 'resync'), 5_000, 'resync');
    expect(unknown.messages.find((m) => m.type === 'resync')).toMatchObject({ reason: 'since_unknown' });
    // another user's event id is unknown to this user: no replay across users
    const theirsId = theirs.events()[0]!.id!;
    const cross = await stream(u, `since=${theirsId}`);
    await cross.waitFor((c) => c.messages.some((m) => m.type === 'resync'), 5_000, 'resync for foreign id');
  });

  it('validates the query and client messages, and refuses unauthenticated upgrades', async () => {
    await expect(StreamClient.connect(`${base}/api/v1/stream`)).rejects.toThrow(/401/);
    await expect(StreamClient.connect(`${base}/api/v1/stream?access_token=nope`)).rejects.toThrow(/401/);
    await expect(
      StreamClient.connect(`${base}/api/v1/stream?since=not-an-id`, { headers: u.headers }),
    ).rejects.toThrow(/400/);
    const c = await stream(u);
    c.send({ type: 'ping' });
    c.send('not json');
    c.send({ type: 'subscribe', user: v.id });
    await c.waitFor((x) => x.messages.filter((m) => m.type === 'error').length === 2, 5_000, 'errors');
    expect(c.messages.some((m) => m.type === 'pong')).toBe(true);
    expect(c.closed).toBeUndefined();
  });
});
