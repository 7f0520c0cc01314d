import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamClient } from '../events/ws-client.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

let t: TestApp;
let u: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp();
});
afterAll(() => t.close());

async function createTask(title = 'seed'): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    headers: u.headers,
    payload: { title },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

describe('text the database cannot store', () => {
  it('NUL in a title → 400 naming body.title, and nothing is created', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { ...u.headers, 'content-type': 'application/json' },
      payload: '{"title":"a\\u0000b"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toEqual([
      { path: 'body.title', message: expect.stringContaining('NUL') },
    ]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tasks?status=all', headers: u.headers });
    expect(list.json().items.map((x: { title: string }) => x.title)).not.toContain('a\u0000b');
  });

  it.each([
    ['lone high surrogate in a tag', { title: 'x', tags: ['ok', 'a\ud800'] }, 'body.tags.1'],
    ['lone low surrogate in a description', { title: 'x', description: '\udc00' }, 'body.description'],
    ['NUL in a nested value', { title: 'x', due: { tz: 'UTC\u0000' } }, 'body.due.tz'],
    ['NUL in a property name', { title: 'x', 'a\u0000': 1 }, 'body'],
  ])('%s → 400 naming %s', async (_name, body, path) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([path]);
  });

  it('NUL in the search query, filter or a path id → 400 naming it', async () => {
    for (const [url, path] of [
      ['/api/v1/tasks?q=a%00b', 'query.q'],
      ['/api/v1/tasks?filter=%23a%00', 'query.filter'],
      ['/api/v1/tasks/a%00b', 'params.id'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: u.headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0].path, url).toBe(path);
    }
  });

  it('every text entry point refuses NUL with a 400 naming the field', async () => {
    const taskId = await createTask();
    const cases: { method: 'POST' | 'PATCH' | 'PUT'; url: string; payload: object; path: string }[] = [
      { method: 'PATCH', url: `/api/v1/tasks/${taskId}`, payload: { title: '\u0000' }, path: 'body.title' },
      { method: 'POST', url: '/api/v1/lists', payload: { name: 'l\u0000' }, path: 'body.name' },
      { method: 'POST', url: '/api/v1/tasks/quick', payload: { text: 'buy \u0000 milk' }, path: 'body.text' },
      { method: 'POST', url: '/api/v1/parse', payload: { text: 'x\ud800' }, path: 'body.text' },
      { method: 'POST', url: '/api/v1/tokens', payload: { name: 'cli\u0000' }, path: 'body.name' },
      {
        method: 'PATCH',
        url: '/api/v1/settings',
        payload: { time_zone: 'UTC\u0000' },
        path: 'body.time_zone',
      },
      {
        method: 'PUT',
        url: '/api/v1/settings/notifications',
        payload: { webhook_secret: 'a-long-secret-\u0000-value' },
        path: 'body.webhook_secret',
      },
      {
        method: 'POST',
        url: '/api/auth/sign-up/email',
        payload: { email: 'x@example.com', password: 'correct-horse-battery', name: 'N\u0000' },
        path: 'body.name',
      },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        headers: u.headers,
        payload: c.payload,
      });
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(400);
      expect(
        res.json().error.details.map((d: { path: string }) => d.path),
        c.url,
      ).toContain(c.path);
    }
  });

  it('bidi overrides are stored as given (they are legitimate in right-to-left text)', async () => {
    const title = '\u202eevil\u202c \u2067שלום\u2069';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: { title },
    });
    expect(res.statusCode).toBe(201);
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${res.json().id}`,
      headers: u.headers,
    });
    expect(got.json().title).toBe(title);
  });

  it('absurd shapes get a 4xx: deep nesting, huge arrays, out-of-range numbers, 1 MB bodies', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const huge = JSON.stringify({ title: 'x', tags: Array.from({ length: 20_000 }, () => 'a') });
    const bodies: [string, number][] = [
      [deep, 400],
      [huge, 400],
      ['{"title":"x","position":1e309}', 400],
      ['{"title":"x","priority":123456789012345678901234567890}', 400],
      [JSON.stringify({ title: 'x'.repeat(1024 * 1024) }), 413],
    ];
    for (const [payload, status] of bodies) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: { ...u.headers, 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload.slice(0, 60)).toBe(status);
    }
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/lists',
      headers: u.headers,
      payload: { name: 'Bounds' },
    });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/lists/${created.json().id}`,
      headers: u.headers,
      payload: { position: 2 ** 40 },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.details[0].path).toBe('body.position');
  });

  it('a wrong content type → 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { ...u.headers, 'content-type': 'application/xml' },
      payload: '<title>x</title>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('bodiless POSTs', () => {
  it('complete with Content-Type: application/json and no body → 200', async () => {
    const id = await createTask();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${id}/complete`,
      headers: { ...u.headers, 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('completed');
  });

  it('reopen, delete-then-restore accept an empty body whatever the content type', async () => {
    const id = await createTask();
    const steps: [string, string, string][] = [
      ['POST', `/api/v1/tasks/${id}/complete`, 'application/x-www-form-urlencoded'],
      ['POST', `/api/v1/tasks/${id}/reopen`, 'text/plain'],
      ['DELETE', `/api/v1/tasks/${id}`, 'application/json; charset=utf-8'],
      ['POST', `/api/v1/tasks/${id}/restore`, 'application/json'],
    ];
    for (const [method, url, type] of steps) {
      const res = await t.app.inject({
        method: method as 'POST',
        url,
        headers: { ...u.headers, 'content-type': type, 'content-length': '0' },
      });
      expect(res.statusCode, `${method} ${url} ${type}: ${res.body}`).toBeLessThan(300);
    }
  });

  it('a route that needs a body still answers 400 when it is empty', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { ...u.headers, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('WebSocket messages', () => {
  it('hostile messages get an error naming the field; the connection keeps working', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = await StreamClient.connect(`${base.replace('http', 'ws')}/api/v1/stream`, {
      headers: u.headers,
    });
    try {
      await ws.waitFor((c) => c.messages.some((m) => m.type === 'hello'));
      const hostile = [
        '{"type":"ping\\u0000"}',
        '{"type":"\\ud800"}',
        '{"\\u0000":1}',
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
        JSON.stringify({ type: 'ping', big: new Array(20_000).fill(0) }),
        'not json',
      ];
      for (const raw of hostile) ws.send(raw);
      await ws.waitFor((c) => c.messages.filter((m) => m.type === 'error').length === hostile.length);
      const errors = ws.messages.filter((m) => m.type === 'error') as unknown as {
        error: { code: string; details?: { path: string }[] };
      }[];
      expect(errors.every((e) => e.error.code === 'VALIDATION_FAILED')).toBe(true);
      expect(errors[0]!.error.details?.[0]?.path).toBe('message.type');
      expect(errors[2]!.error.details?.[0]?.path).toBe('message');
      ws.send({ type: 'ping' });
      await ws.waitFor((c) => c.messages.some((m) => m.type === 'pong'));
      expect(ws.closed).toBeUndefined();
    } finally {
      ws.close();
    }
  });
});
