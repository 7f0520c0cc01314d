import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';
import { testDatabaseUrl } from './helpers/test-db.ts';

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
    (select coalesce(md5(string_agg(x::text, '|' order by x.user_id)), '') from notification_settings x) as settings,
    (select coalesce(md5(string_agg(x.time_zone, '|' order by x.id)), '') from users x) as zones,
    (select count(*) from outbox) as outbox`);
  return JSON.stringify((res as unknown as { rows: unknown[] }).rows[0]);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const routes = (): { method: Method; url: string }[] => [
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
  { method: 'POST', url: '/api/v1/tasks/quick' },
  { method: 'POST', url: '/api/v1/parse' },
  { method: 'PATCH', url: '/api/v1/settings' },
  { method: 'PUT', url: '/api/v1/settings/notifications' },
  { method: 'POST', url: `/api/v1/tasks/${taskId}/skip` },
  { method: 'POST', url: '/api/auth/sign-up/email' },
  { method: 'POST', url: '/api/auth/sign-in/email' },
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
/** Strings PostgreSQL can't store (NUL, lone surrogates) and ones it can but that often break code (bidi). */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    '\ud800',
    'x\udfffy',
    '\udc00\ud800',
    '\u202eevil.exe\u202c',
    '\u2067שלום\u2069 \u200f',
    '\ufeff\u200b',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 5 }),
      fc.oneof(loneSurrogate, fc.constant('\u0000')),
      fc.string({ maxLength: 5 }),
    )
    .map(([a, b, c]) => a + b + c),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const nasty = fc.oneof(
  fc.string(),
  hostileString,
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
/** encodeURIComponent, except that a lone surrogate (not UTF-8 encodable) goes out as its CESU-8 bytes. */
const encodeQuery = (v: string) =>
  v
    .split(/([\ud800-\udfff])/)
    .map((part) => {
      if (part.length !== 1 || !/[\ud800-\udfff]/.test(part)) return encodeURIComponent(part);
      const c = part.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
        .map((b) => `%${b.toString(16)}`)
        .join('');
    })
    .join('');
const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 5 })), nasty), {
    maxLength: 5,
  })
  .map((pairs) => pairs.map(([k, v]) => `${encodeQuery(k)}=${encodeQuery(v)}`).join('&'));

const bodyField = fc.oneof(
  fc.string({ maxLength: 30 }),
  hostileString,
  fc.constantFrom(1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, 1e-320),
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
    text: bodyField,
    time_zone: bodyField,
    webhook_url: fc.oneof(
      bodyField,
      fc.constantFrom('http://169.254.169.254/', 'http://[::1]/', 'http://0x7f.1/'),
    ),
    webhook_secret: bodyField,
    minutes: bodyField,
    email: fc.oneof(bodyField, fc.constantFrom('fuzz@example.com', 'a\u0000@example.com')),
    password: fc.oneof(bodyField, fc.constant('correct-horse-battery')),
    [`k${'\u0000'}`]: bodyField,
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(taskishBody, fc.jsonValue({ maxDepth: 3 }));
const rawPayload = fc.oneof(
  fc.constant('{"title": "unterminated'),
  fc.integer({ min: 30, max: 20_000 }).map((n) => `{"title":"x","due":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 30, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc
    .integer({ min: 10_001, max: 60_000 })
    .map((n) => JSON.stringify({ title: 'x', tags: new Array(n).fill('t') })),
  fc
    .constantFrom('1e309', '-1e309', '1e-400', '123456789012345678901234567890', '-0', '2147483648')
    .map((num) => `{"title":"x","position":${num},"minutes":${num},"limit":${num}}`),
  fc.constantFrom(1024 * 1024 - 20, 1024 * 1024 + 1).map((n) => JSON.stringify({ title: 'x'.repeat(n) })),
  fc.constant('{"title":"a\\u0000b"}'),
  fc.constant('{"title":"\\ud800"}'),
);

describe('random requests', () => {
  it('never get a 5xx, and a rejected request changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes().length - 1 }),
        queryString,
        anyBody,
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'text/html',
          'application/octet-stream',
          undefined,
        ),
        fc.option(rawPayload, { freq: 3 }),
        async (routeIndex, qs, body, contentType, raw) => {
          const route = routes()[routeIndex]!;
          const before = await snapshot();
          const headers: Record<string, string> = { ...u.headers };
          if (contentType) headers['content-type'] = contentType;
          const hasBody = route.method !== 'GET';
          const payload = raw ?? JSON.stringify(body);
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
            // better-auth answers its own errors in its own shape ({code, message}, see the AuthError schema)
            const body = res.json();
            expect(
              route.url.startsWith('/api/auth/') ? (body.error?.code ?? body.code) : body.error.code,
            ).toMatch(/^[A-Z_]+$/);
            expect(await snapshot()).toBe(before);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stores any text it accepts exactly as sent, and refuses only what PostgreSQL cannot store', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      hostileString,
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (title, description) => {
        const before = await snapshot();
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/tasks',
          headers: u.headers,
          payload: { title, description },
        });
        expect(res.statusCode).toBeLessThan(500);
        const unstorable = (v: string) => v.includes('\u0000') || /\p{Cs}/u.test(v);
        if (unstorable(title) || unstorable(description)) {
          expect(res.statusCode).toBe(400);
          expect(res.json().error.details.length).toBeGreaterThan(0);
          expect(await snapshot()).toBe(before);
          return;
        }
        if (title.trim() === '') {
          expect(res.statusCode).toBe(400);
          return;
        }
        expect(res.statusCode, res.body).toBe(201);
        const got = await t.app.inject({
          method: 'GET',
          url: `/api/v1/tasks/${res.json().id}`,
          headers: u.headers,
        });
        // PGlite's wire reader decodes each text field with a BOM-stripping TextDecoder, so on the embedded
        // database (only) a leading U+FEFF comes back without it; PostgreSQL returns it intact
        const expected = testDatabaseUrl ? description : description.replace(/^\ufeff/, '');
        expect(got.json()).toMatchObject({ title: title.trim(), description: expected });
      }),
      { numRuns: 150 },
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
