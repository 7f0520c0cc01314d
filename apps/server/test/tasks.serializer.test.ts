import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskPage, taskSchema } from '../src/modules/tasks/tasks.schemas.ts';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

// As in production (NODE_ENV=production): the task reads are stringified without Zod's encoding pass.
let t: TestApp;
let u: TestUser;

beforeAll(async () => {
  t = await createTestApp({ config: { checkResponses: false } });
  u = await t.signUp({ timeZone: 'Europe/Paris' });
});
afterAll(() => t.close());

async function api(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: u.headers, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
}

/** What fastify-type-provider-zod writes for the same body (it throws if the body strays from the schema). */
function zodBytes(schema: typeof taskPage | typeof taskSchema, body: unknown): string {
  const compile = serializerCompiler as (route: unknown) => (data: unknown) => string;
  return compile({ schema, method: 'GET', url: '/api/v1/tasks', httpStatus: '200' })(body);
}

describe('task reads without the Zod encoding pass', () => {
  it('answer byte for byte what the Zod serializer writes, for tasks of every shape', async () => {
    await api('POST', '/tasks', { title: 'Plain' });
    await api('POST', '/tasks', {
      title: 'Timed "quoted" \u00e9\u2028',
      description: 'line\nbreak',
      tags: ['a', 'b'],
      priority: 'urgent',
      due: { at: '2027-03-28T09:30', tz: 'Europe/Berlin' },
      reminders: [{ before: 'PT15M' }, { at: '2027-03-28T06:00:00Z' }],
    });
    await api('POST', '/tasks', { title: 'All day', due: { at: '2027-01-02', all_day: true } });
    await api('POST', '/tasks', {
      title: 'Recurring',
      due: { at: '2027-01-04T08:00' },
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO' },
    });
    const done = (await api('POST', '/tasks', { title: 'Done' })).json() as { id: string };
    await api('POST', `/tasks/${done.id}/complete`);
    const trashed = (await api('POST', '/tasks', { title: 'Trashed' })).json() as { id: string };
    await api('DELETE', `/tasks/${trashed.id}`);

    const page = await api('GET', '/tasks?status=all&limit=3');
    const first = page.json() as { items: { id: string }[]; next_cursor: string | null };
    expect(first.next_cursor).not.toBeNull();
    expect(page.body).toBe(zodBytes(taskPage, first));
    const all = await api('GET', '/tasks?status=all');
    type Item = { id: string; completed_at: string | null; deleted_at: string | null };
    const body = all.json() as { items: Item[] };
    expect(body.items).toHaveLength(5);
    expect(body.items.some((i) => i.completed_at)).toBe(true);
    expect(all.body).toBe(zodBytes(taskPage, body));
    const trash = await api('GET', '/tasks?status=trash');
    const trashBody = trash.json() as { items: Item[] };
    expect(trashBody.items.map((i) => i.deleted_at === null)).toEqual([false]);
    expect(trash.body).toBe(zodBytes(taskPage, trashBody));
    for (const item of [...body.items, ...trashBody.items]) {
      const one = await api('GET', `/tasks/${item.id}`);
      expect(one.body).toBe(zodBytes(taskSchema, one.json()));
    }
  });

  it('still write errors through the Zod serializer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=0', headers: u.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
