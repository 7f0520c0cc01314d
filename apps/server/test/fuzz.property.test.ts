import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

let t: TestApp;
let u: TestUser;
let taskId: string;
let listId: string;

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp();
  taskId = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: { title: 'seed', tags: ['a'] },
    })
  ).json().id;
  listId = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/lists',
      headers: u.headers,
      payload: { name: 'Seed list' },
    })
  ).json().id;
});
afterAll(() => t.close());

/** A fingerprint of every user-visible table: a rejected request must leave it unchanged. */
async function snapshot(): Promise<string> {
  const res = await t.infra.database.db.execute(sql`select
    (select coalesce(md5(string_agg(x::text, '|' order by x.id)), '') from tasks x) as tasks,
    (select coalesce(md5(string_agg(x::text, '|' order by x.id)), '') from lists x) as lists,
    (select coalesce(md5(string_agg(x::text, '|' order by x.id)), '') from api_tokens x) as tokens,
    (select count(*) from outbox) as outbox`);
  return JSON.stringify((res as unknown as { rows: unknown[] }).rows[0]);
}

const routes = (): { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string }[] => [
  { method: 'POST', url: '/api/v1/tasks' },
  { method: 'GET', url: '/api/v1/tasks' },
  { method: 'GET', url: `/api/v1/tasks/${taskId}` },
  { method: 'PATCH', url: `/api/v1/tasks/${taskId}` },
  { method: 'DELETE', url: `/api/v1/tasks/${taskId}` },
  { method: 'POST', url: `/api/v1/tasks/${taskId}/complete` },
  { method: 'POST', url: `/api/v1/tasks/${taskId}/reopen` },
  { method: 'POST', url: `/api/v1/tasks/${taskId}/restore` },
  { method: 'GET', url: '/api/v1/lists' },
  { method: 'POST', url: '/api/v1/lists' },
  { method: 'PATCH', url: `/api/v1/lists/${listId}` },
  { method: 'DELETE', url: '/api/v1/lists/not-a-uuid' },
  { method: 'GET', url: '/api/v1/tags' },
  { method: 'POST', url: '/api/v1/tokens' },
  { method: 'DELETE', url: '/api/v1/tokens/00000000-0000-0000-0000-000000000000' },
  { method: 'POST', url: '/api/v1/tasks/not-a-uuid/complete' },
];

const queryKeys = [
  'q',
  'status',
  'priority',
  'tag',
  'tag_mode',
  'list_id',
  'due_before',
  'due_after',
  'overdue',
  'has_due',
  'sort',
  'limit',
  'cursor',
  'filter',
];
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "'; drop table tasks;--",
    '%00',
    '\\',
    '"',
    ':*',
    '!!',
    '((',
    '2027-13-45',
    '-1',
    '1e309',
    'NaN',
    '💥',
    'a'.repeat(3000),
  ),
);
const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 5 })), nasty), {
    maxLength: 5,
  })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

const bodyField = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 25 }),
  fc.object({ maxDepth: 2 }),
);
const taskishBody = fc.record(
  {
    title: bodyField,
    description: bodyField,
    priority: fc.oneof(bodyField, fc.constantFrom('none', 'low', 'urgent', 'URGENT')),
    tags: bodyField,
    list_id: fc.oneof(bodyField, fc.uuid()),
    due: fc.oneof(
      bodyField,
      fc.record(
        {
          at: nasty,
          tz: fc.oneof(nasty, fc.constantFrom('UTC', 'Europe/Paris', 'Nope/Zone')),
          all_day: bodyField,
        },
        { requiredKeys: [] },
      ),
    ),
    name: bodyField,
    position: bodyField,
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(taskishBody, fc.jsonValue({ maxDepth: 3 }));

describe('random requests', () => {
  it('never get a 5xx, and a rejected request changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes().length - 1 }),
        queryString,
        anyBody,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
        fc.boolean(),
        async (routeIndex, qs, body, contentType, rawGarbage) => {
          const route = routes()[routeIndex]!;
          const before = await snapshot();
          const headers: Record<string, string> = { ...u.headers };
          if (contentType) headers['content-type'] = contentType;
          const hasBody = route.method !== 'GET';
          const payload = rawGarbage ? '{"title": "unterminated' : JSON.stringify(body);
          const res = await t.app.inject({
            method: route.method,
            url: `${route.url}?${qs}`,
            headers,
            ...(hasBody ? { payload } : {}),
          });
          expect(
            res.statusCode,
            `${route.method} ${route.url}?${qs} ${payload.slice(0, 200)} → ${res.body.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
            expect(await snapshot()).toBe(before);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers malformed JSON and unknown routes with the one error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { ...u.headers, 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_REQUEST');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: u.headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });
});
