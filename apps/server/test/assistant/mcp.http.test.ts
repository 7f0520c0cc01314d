import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { call, connectHttpClient } from './mcp-client.ts';

/** Every tool with its behaviour hints: checked against what the server lists (Todoist's annotations test). */
const expected: Record<string, [readOnly: boolean, destructive: boolean, idempotent: boolean]> = {
  add_tasks: [false, false, false],
  find_tasks: [true, false, true],
  get_task: [true, false, true],
  update_tasks: [false, true, true],
  complete_tasks: [false, false, false],
  reopen_tasks: [false, false, true],
  delete_tasks: [false, true, true],
  restore_tasks: [false, false, true],
  skip_occurrence: [false, false, false],
  snooze_reminder: [false, false, false],
  list_lists: [true, false, true],
  list_tags: [true, false, true],
  get_task_history: [true, false, true],
  overview: [true, false, true],
};

describe('MCP over streamable HTTP (the SDK client against a listening server)', () => {
  let t: TestApp;
  let url: string;
  let a: TestUser;
  let b: TestUser;
  let ca: Client;
  let cb: Client;

  beforeAll(async () => {
    t = await createTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    a = await t.signUp({ timeZone: 'Europe/Paris' });
    b = await t.signUp();
    ca = await connectHttpClient(url, a.token);
    cb = await connectHttpClient(url, b.token);
  }, 60_000);
  afterAll(async () => {
    await ca?.close();
    await cb?.close();
    await t?.close();
  });

  it('answers 401 before any MCP handling, and 405 to GET', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
    const res = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(init),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    const bad = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer tsk_nope' },
      body: JSON.stringify(init),
    });
    expect(bad.status).toBe(401);
    const get = await fetch(`${url}/mcp`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(get.status).toBe(405);
  });

  it('lists every tool with truthful hints and input and output schemas', async () => {
    const { tools } = await ca.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(Object.keys(expected).sort());
    for (const tool of tools) {
      const [readOnly, destructive, idempotent] = expected[tool.name]!;
      expect(tool.annotations, tool.name).toMatchObject({
        title: tool.title,
        readOnlyHint: readOnly,
        destructiveHint: destructive,
        idempotentHint: idempotent,
        openWorldHint: false,
      });
      expect(tool.description!.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
  });

  it('add_tasks (natural language and structured) then find_tasks by filter, query and cursor', async () => {
    const added = await call(ca, 'add_tasks', {
      tasks: [
        { text: 'Call mom every sunday at 6pm #family p2' },
        { title: 'Buy milk', due: 'tomorrow', tags: ['errands'], list: 'inbox' },
        { text: 'Water plants #home' },
      ],
    });
    expect(added.isError).toBe(false);
    expect(added.data.tasks).toHaveLength(3);
    expect(added.data.tasks[0]).toMatchObject({ title: 'Call mom', tags: ['family'], priority: 'high' });
    expect(added.data.tasks[0].recurrence.rrule).toContain('FREQ=WEEKLY');
    expect(added.data.tasks[1].due.all_day).toBe(true);
    expect(added.text).toContain('Added 3 task(s)');

    const family = await call(ca, 'find_tasks', { filter: '#family' });
    expect(family.data.tasks.map((x: { title: string }) => x.title)).toEqual(['Call mom']);
    const words = await call(ca, 'find_tasks', { query: 'milk' });
    expect(words.data.tasks.map((x: { title: string }) => x.title)).toEqual(['Buy milk']);
    const page1 = await call(ca, 'find_tasks', { limit: 2, sort: 'title' });
    expect(page1.data.tasks).toHaveLength(2);
    expect(page1.data.next_cursor).toEqual(expect.any(String));
    const page2 = await call(ca, 'find_tasks', { limit: 2, sort: 'title', cursor: page1.data.next_cursor });
    expect(page2.data.tasks.map((x: { title: string }) => x.title)).toEqual(['Water plants']);
    expect(page2.data.next_cursor).toBeNull();
  });

  it('update_tasks reschedules keeping the time of day and the recurrence', async () => {
    const { data } = await call(ca, 'find_tasks', { filter: '#family' });
    const task = data.tasks[0];
    const moved = await call(ca, 'update_tasks', { tasks: [{ id: task.id, due: 'next wednesday' }] });
    expect(moved.isError).toBe(false);
    const after = moved.data.tasks[0];
    expect(after.due.local.slice(11, 16)).toBe('18:00');
    expect(after.due.local.slice(0, 10)).not.toBe(task.due.local.slice(0, 10));
    expect(after.recurrence).toEqual(task.recurrence);
  });

  it('refuses a bulk change without criteria and explains errors with a next step', async () => {
    const none = await call(ca, 'complete_tasks', {});
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/needs criteria[\s\S]*Next:/);
    const badFilter = await call(ca, 'find_tasks', { filter: '((' });
    expect(badFilter.isError).toBe(true);
    expect(badFilter.text).toMatch(/INVALID_FILTER[\s\S]*Next:/);
    const nothing = await call(ca, 'get_task', { id: '00000000-0000-4000-8000-000000000000' });
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toContain('TASK_NOT_FOUND');
  });

  it('complete, reopen, delete, restore, skip, history, lists, tags and overview work for the owner', async () => {
    const { data } = await call(ca, 'find_tasks', { query: 'milk' });
    const id = data.tasks[0].id;
    expect((await call(ca, 'complete_tasks', { ids: [id] })).data.tasks[0].status).toBe('completed');
    expect((await call(ca, 'reopen_tasks', { ids: [id] })).data.tasks[0].status).toBe('open');
    const deleted = await call(ca, 'delete_tasks', { ids: [id] });
    expect(deleted.text).toContain('restore_tasks');
    expect((await call(ca, 'find_tasks', { query: 'milk' })).data.tasks).toHaveLength(0);
    expect((await call(ca, 'restore_tasks', { ids: [id] })).data.tasks[0].deleted_at).toBeNull();
    const mom = (await call(ca, 'find_tasks', { filter: '#family' })).data.tasks[0];
    const skipped = await call(ca, 'skip_occurrence', { id: mom.id });
    expect(skipped.isError, skipped.text).toBe(false);
    const history = await call(ca, 'get_task_history', { id });
    expect(history.isError, history.text).toBe(false);
    const lists = await call(ca, 'list_lists');
    expect(lists.data.lists[0].is_inbox).toBe(true);
    const tags = await call(ca, 'list_tags');
    expect(tags.data.tags.map((x: { tag: string }) => x.tag)).toEqual(
      expect.arrayContaining(['family', 'home']),
    );
    const ov = await call(ca, 'overview');
    expect(ov.data.upcoming.count + ov.data.today.count + ov.data.overdue.count).toBeGreaterThanOrEqual(1);
  });

  it("user B can neither see nor change user A's tasks through any tool", async () => {
    const { data } = await call(ca, 'find_tasks', { status: 'all', limit: 50 });
    const ids: string[] = data.tasks.map((x: { id: string }) => x.id);
    const recurringId = data.tasks.find((x: { recurrence: unknown }) => x.recurrence).id;
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect((await call(cb, 'find_tasks', { status: 'all', limit: 50 })).data.tasks).toEqual([]);
    expect((await call(cb, 'overview')).data.overdue.count).toBe(0);
    expect((await call(cb, 'list_tags')).data.tags).toEqual([]);
    const attempts: [string, Record<string, unknown>][] = [
      ['get_task', { id: ids[0] }],
      ['get_task_history', { id: ids[0] }],
      ['update_tasks', { tasks: [{ id: ids[0], title: 'pwned' }] }],
      ['complete_tasks', { ids }],
      ['reopen_tasks', { ids }],
      ['delete_tasks', { ids }],
      ['restore_tasks', { ids }],
      ['skip_occurrence', { id: recurringId }],
      ['snooze_reminder', { task_id: ids[0] }],
    ];
    for (const [name, args] of attempts) {
      const res = await call(cb, name, args);
      expect(res.data?.tasks ?? [], name).toEqual([]);
      if (!res.data?.failures?.length) expect(res.isError, name).toBe(true);
    }
    // filters are scoped too: B's bulk change by filter touches nothing of A's
    const byFilter = await call(cb, 'delete_tasks', { filter: '#family | #home | #errands' });
    expect(byFilter.data.tasks).toEqual([]);
    const after = await call(ca, 'find_tasks', { status: 'all', limit: 50 });
    expect(after.data.tasks.map((x: { id: string }) => x.id).sort()).toEqual([...ids].sort());
    expect(
      after.data.tasks.every(
        (x: { title: string; deleted_at: unknown }) => x.title !== 'pwned' && !x.deleted_at,
      ),
    ).toBe(true);
  });
});
