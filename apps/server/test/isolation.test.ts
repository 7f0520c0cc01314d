import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

let t: TestApp;
let a: TestUser;
let b: TestUser;
let taskId: string;
let listId: string;

const req = (user: TestUser, method: string, url: string, payload?: object) =>
  t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: user.headers,
    ...(payload ? { payload } : {}),
  });

beforeAll(async () => {
  t = await createTestApp();
  a = await t.signUp();
  b = await t.signUp();
  listId = (await req(a, 'POST', '/lists', { name: 'Secret projects' })).json().id;
  taskId = (
    await req(a, 'POST', '/tasks', {
      title: 'Alpha confidential plan',
      tags: ['secret'],
      list_id: listId,
      priority: 'urgent',
    })
  ).json().id;
  await req(b, 'POST', '/tasks', { title: 'Bravo own task', tags: ['mine'] });
});
afterAll(() => t.close());

describe("one user never reaches another's data", () => {
  it("answers 404 on every route for another user's task, and changes nothing", async () => {
    const attempts: [string, string, object?][] = [
      ['GET', `/tasks/${taskId}`],
      ['PATCH', `/tasks/${taskId}`, { title: 'pwned' }],
      ['DELETE', `/tasks/${taskId}`],
      ['POST', `/tasks/${taskId}/complete`],
      ['POST', `/tasks/${taskId}/reopen`],
      ['POST', `/tasks/${taskId}/restore`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await req(b, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('TASK_NOT_FOUND');
    }
    const own = (await req(a, 'GET', `/tasks/${taskId}`)).json();
    expect(own).toMatchObject({
      title: 'Alpha confidential plan',
      status: 'open',
      deleted_at: null,
      version: 1,
    });
  });

  it("never shows another user's tasks in lists, search, filters or tag counts", async () => {
    for (const url of [
      '/tasks',
      '/tasks?status=all',
      '/tasks?q=alpha',
      '/tasks?q=confidentail',
      '/tasks?tag=secret',
      '/tasks?priority=urgent',
    ]) {
      const items = (await req(b, 'GET', url)).json().items as { title: string }[];
      expect(
        items.map((i) => i.title),
        url,
      ).not.toContain('Alpha confidential plan');
    }
    expect((await req(b, 'GET', '/tags')).json().items).toEqual([{ tag: 'mine', count: 1 }]);
    expect((await req(b, 'GET', `/tasks?list_id=${listId}`)).json().items).toEqual([]);
  });

  it("cannot use, rename or delete another user's list", async () => {
    expect((await req(b, 'POST', '/tasks', { title: 'x', list_id: listId })).statusCode).toBe(404);
    expect((await req(b, 'PATCH', `/lists/${listId}`, { name: 'mine now' })).statusCode).toBe(404);
    expect((await req(b, 'DELETE', `/lists/${listId}`)).statusCode).toBe(404);
    const names = (await req(b, 'GET', '/lists')).json().items.map((l: { name: string }) => l.name);
    expect(names).toEqual(['Inbox']);
  });

  it("cannot revoke another user's token", async () => {
    const token = (await req(a, 'POST', '/tokens', { name: 'cli' })).json();
    expect((await req(b, 'DELETE', `/tokens/${token.id}`)).statusCode).toBe(404);
    expect((await req(b, 'GET', '/tokens')).json().items).toEqual([]);
    const viaToken = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${taskId}`,
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(viaToken.statusCode).toBe(200);
  });
});
