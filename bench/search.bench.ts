/**
 * `npm run bench -- search`: GET /api/v1/tasks (word search, tag + priority filter, overdue by priority) over real
 * HTTP at 1 and 50 clients, each next to the same SQL timed with the driver alone in the same run, plus
 * POST /api/v1/tasks throughput; on PostgreSQL (100 users × 10,000 tasks by default) and PGlite (1 × 10,000).
 *
 * Options: --users N --tasks N (per user) --duration S (per measurement) --warmup S --concurrency N
 *          --reuse (keep an already seeded ts_bench) --explain (EXPLAIN ANALYZE each captured query)
 *          --post-only (PostgreSQL POST throughput alone, no read measurements)
 *          --no-pglite --no-postgres --admin-url postgres://… (server to create ts_bench on)
 */
import { availableParallelism, loadavg } from 'node:os';
import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { createPostgresDatabase } from '../apps/server/src/infra/db/postgres.db.ts';
import { createInfra } from '../apps/server/src/infra/infra.ts';
import { type HttpRequestSpec, runHttpLoad } from './lib/load.ts';
import { runLoop } from './lib/loop.ts';
import { type BenchOptions, flagOption, numberOption, stringOption } from './lib/options.ts';
import { type CapturedQuery, recordingPglite, recordingPostgres, SqlRecorder } from './lib/sql-recorder.ts';
import { type LatencySummary, ms, summarize } from './lib/stats.ts';
import { type Cell, printTable } from './lib/table.ts';
import {
  dropTaskIndexes,
  issueTokens,
  type SeededUser,
  type SqlClient,
  seedTasks,
  seedUsers,
} from './lib/task-seed.ts';

const userPrefix = 'bench-u';
const benchDb = 'ts_bench';
/** Issue 2's targets. */
const targets = { p95AtOneClientMs: 15, apiOverSql: 2, postRps: 1500 } as const;

export interface Scenario {
  key: string;
  label: string;
  /** query strings; requests cycle through users first, then variants */
  variants: string[];
}

export const scenarios: Scenario[] = [
  {
    key: 'word',
    label: 'word search ?q=<word>',
    variants: ['invoice', 'dentist', 'passport', 'budget'].map((w) => `q=${w}`),
  },
  {
    key: 'tag',
    label: 'tag + priority ?tag=<t>&priority=high,urgent',
    variants: ['work', 'home', 'finance', 'errand'].map((t) => `tag=${t}&priority=high,urgent`),
  },
  {
    key: 'overdue',
    label: 'overdue ?overdue=true&sort=-priority',
    variants: ['overdue=true&sort=-priority'],
  },
];

export interface ReadResult {
  scenario: string;
  clients: number;
  api: LatencySummary;
  sql: LatencySummary;
  /** 1-minute load average after the API measurement: other work on the machine skews every figure */
  load: number;
}

export interface SearchBenchReport {
  postgres?: { users: number; tasksPerUser: number; reads: ReadResult[]; post: LatencySummary };
  pglite?: { tasks: number; reads: ReadResult[] };
}

export interface Settings {
  users: number;
  tasks: number;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
  reuse: boolean;
  explain: boolean;
  postOnly: boolean;
  adminUrl: string;
}

const log = (msg: string) => console.log(`[search] ${msg}`);

export async function benchSearch(opts: BenchOptions = {}): Promise<SearchBenchReport> {
  const s: Settings = {
    users: Math.floor(numberOption(opts, 'users', 100)),
    tasks: Math.floor(numberOption(opts, 'tasks', 10_000)),
    durationMs: numberOption(opts, 'duration', 8) * 1000,
    warmupMs: numberOption(opts, 'warmup', 1) * 1000,
    concurrency: Math.floor(numberOption(opts, 'concurrency', 50)),
    reuse: flagOption(opts, 'reuse'),
    explain: flagOption(opts, 'explain'),
    postOnly: flagOption(opts, 'post-only'),
    adminUrl: stringOption(opts, 'admin-url', 'postgres://postgres@127.0.0.1:5432/postgres'),
  };
  const report: SearchBenchReport = {};
  if (!flagOption(opts, 'no-postgres')) report.postgres = await benchPostgres(s);
  if (!flagOption(opts, 'no-pglite')) report.pglite = await benchPglite(s);
  printReport(report, s);
  return report;
}

// ---------------------------------------------------------------- PostgreSQL

async function benchPostgres(s: Settings) {
  const url = new URL(s.adminUrl);
  url.pathname = `/${benchDb}`;
  const dbUrl = url.toString();
  const users = await preparePostgres(s, dbUrl);
  if (s.postOnly)
    return { users: s.users, tasksPerUser: s.tasks, reads: [], post: await postThroughput(s, dbUrl, users) };

  // 1. capture the SQL each request runs, on a separate small app whose Drizzle logs
  const recorder = new SqlRecorder();
  const captureInfra = await createInfra(testConfig({ databaseUrl: dbUrl }), {
    database: recordingPostgres(dbUrl, recorder),
  });
  const captureApp = await buildApp(testConfig({ databaseUrl: dbUrl }), captureInfra);
  const templates = await captureTemplates(captureApp, recorder, users[0]!);
  await captureApp.close();

  const raw = new pg.Pool({ connectionString: dbUrl, max: s.concurrency });
  if (s.explain) await explainAll((t, p) => raw.query(t, p) as Promise<{ rows: unknown[] }>, templates);

  // 2. the same statements with the driver alone (rowMode array, as Drizzle runs selects)
  const sqlResults = new Map<string, LatencySummary>();
  for (const sc of scenarios) {
    for (const clients of [1, s.concurrency]) {
      log(`PostgreSQL raw SQL: ${sc.key} at ${clients} client(s)`);
      const r = await runLoop(
        (i) => {
          const q = queryFor(templates, sc, users, i);
          return raw.query({ text: q.text, values: q.params, rowMode: 'array' });
        },
        loopOpts(s, clients),
      );
      sqlResults.set(`${sc.key}/${clients}`, summarize(r.latencies, r.elapsedMs, r.errors));
    }
  }
  await raw.end();

  // 3. the production app (production Database adapter, pool of 60) over real HTTP
  const config = testConfig({ databaseUrl: dbUrl, dbPoolSize: 60 });
  const app = await buildApp(config, await createInfra(config));
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const reads: ReadResult[] = [];
  try {
    for (const sc of scenarios) {
      for (const clients of [1, s.concurrency]) {
        log(`PostgreSQL API: ${sc.key} at ${clients} client(s)`);
        const api = await httpLoad(s, baseUrl, readSpecs(sc, users), clients);
        reads.push({
          scenario: sc.label,
          clients,
          api,
          sql: sqlResults.get(`${sc.key}/${clients}`)!,
          load: loadavg()[0]!,
        });
      }
    }
  } finally {
    await app.close();
  }
  return { users: s.users, tasksPerUser: s.tasks, reads, post: await postThroughput(s, dbUrl, users) };
}

/**
 * POST /api/v1/tasks at `concurrency` clients on a fresh app (every role, embedded bus, pool of 60), so the
 * consumers' work after each commit shares the process exactly as in production's embedded shape.
 */
async function postThroughput(s: Settings, dbUrl: string, users: SeededUser[]): Promise<LatencySummary> {
  const config = testConfig({ databaseUrl: dbUrl, dbPoolSize: 60 });
  const app = await buildApp(config, await createInfra(config));
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    log(`PostgreSQL API: POST /tasks at ${s.concurrency} clients`);
    const post = await httpLoad(s, baseUrl, postSpecs(users), s.concurrency);
    log(
      `  load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // the throughput only counts if the consumers keep up: report how long they need to drain afterwards
    const drainMs = await consumerDrainMs(dbUrl, 60_000);
    log(
      Number.isFinite(drainMs)
        ? `  task-events consumers caught up ${(drainMs / 1000).toFixed(2)} s after the load ended`
        : '  task-events consumers had not caught up 60 s after the load ended',
    );
    return post;
  } finally {
    await app.close();
    await cleanupPosts(dbUrl);
  }
}

/**
 * How long after now every `task-events` consumer has reached the topic's head as it is now (Infinity after
 * `timeoutMs`): the consumer lag left when a load ends, expressed as time to drain.
 */
export async function consumerDrainMs(dbUrl: string, timeoutMs: number): Promise<number> {
  return withClient(dbUrl, async (c) => {
    const t0 = performance.now();
    const head = Number(
      (await c.query("select coalesce(max(seq), 0) as h from outbox where topic = 'task-events'")).rows[0].h,
    );
    for (;;) {
      const r = await c.query(
        `select coalesce(min(position), 0) as p from consumer_offsets where consumer like '%@task-events'`,
      );
      if (Number(r.rows[0].p) >= head) return performance.now() - t0;
      if (performance.now() - t0 > timeoutMs) return Number.POSITIVE_INFINITY;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/** Creates and seeds the database of `dbUrl` (or, with --reuse, keeps a matching one) and returns users with fresh tokens. */
export async function preparePostgres(s: Settings, dbUrl: string): Promise<SeededUser[]> {
  const dbName = new URL(dbUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: s.adminUrl });
  await admin.connect();
  try {
    if (s.reuse && (await seededSize(admin, dbUrl, s))) {
      log(`reusing ${dbName} (${s.users} users × ${s.tasks} tasks)`);
      return withClient(dbUrl, (c) => issueTokens(c, userIds(s.users)));
    }
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
  } finally {
    await admin.end();
  }
  const migrator = createPostgresDatabase(dbUrl, 2);
  await migrator.migrate();
  await migrator.close();

  const t0 = performance.now();
  const users = await withClient(dbUrl, async (c) => {
    await seedUsers(c, userPrefix, s.users);
    return issueTokens(c, userIds(s.users));
  });
  const indexDefs = await withClient(dbUrl, dropTaskIndexes);
  log(`seeding ${s.users} × ${s.tasks} tasks in PostgreSQL …`);
  // two sessions, one per core: generating the tsvector column is CPU-bound
  const half = Math.ceil(s.users / 2);
  await Promise.all(
    [
      [0, half],
      [half, s.users],
    ].map(([from, to]) =>
      withClient(dbUrl, async (c) => {
        await c.query('set synchronous_commit = off');
        // chunks of users keep each statement's memory and WAL modest
        for (let u = from!; u < to!; u += 10)
          await seedTasks(c, userPrefix, s.tasks, u, Math.min(u + 10, to!));
      }),
    ),
  );
  log(
    `tasks inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s; building ${indexDefs.length} indexes …`,
  );
  const queue = [...indexDefs];
  await Promise.all(
    [0, 1].map(() =>
      withClient(dbUrl, async (c) => {
        await c.query(`set maintenance_work_mem = '512MB'`);
        for (let def = queue.shift(); def; def = queue.shift()) await c.query(def);
      }),
    ),
  );
  await withClient(dbUrl, (c) => c.query('vacuum analyze'));
  log(`seeded, indexed and analyzed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return users;
}

async function seededSize(admin: pg.Client, dbUrl: string, s: Settings): Promise<boolean> {
  const exists = await admin.query('select 1 from pg_database where datname = $1', [
    new URL(dbUrl).pathname.slice(1),
  ]);
  if (!exists.rowCount) return false;
  return withClient(dbUrl, async (c) => {
    const r = await c.query<{ users: string; tasks: string }>(
      `select (select count(*) from users where id like $1 || '%') as users,
              (select count(*) from tasks where user_id like $1 || '%') as tasks`,
      [userPrefix],
    );
    return Number(r.rows[0]!.users) === s.users && Number(r.rows[0]!.tasks) === s.users * s.tasks;
  });
}

/** Removes what the POST measurement created, so a --reuse run starts from the seeded data again. */
export async function cleanupPosts(dbUrl: string): Promise<void> {
  await withClient(dbUrl, async (c) => {
    await c.query(`delete from tasks where title like 'Bench post %'`);
    await c.query('delete from outbox');
    // without this the next run's first (raw SQL) phase scans the dead rows and GIN pending entries
    await c.query('vacuum analyze');
  });
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------- PGlite

async function benchPglite(s: Settings) {
  const recorder = new SqlRecorder();
  const { database, client } = recordingPglite(recorder);
  const config = testConfig();
  const app = await buildApp(config, await createInfra(config, { database }));
  try {
    log(`seeding 1 × ${s.tasks} tasks in PGlite …`);
    const c = pgliteClient(client);
    const ids = await seedUsers(c, userPrefix, 1);
    const users = await issueTokens(c, ids);
    await seedTasks(c, userPrefix, s.tasks, 0, 1);
    // PGlite has no autovacuum: without this its planner keeps seq-scanning after a bulk load
    await client.exec('vacuum analyze');
    const templates = await captureTemplates(app, recorder, users[0]!);
    if (s.explain) await explainAll((t, p) => client.query(t, p), templates);
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const reads: ReadResult[] = [];
    for (const sc of scenarios) {
      log(`PGlite: ${sc.key} at 1 client`);
      const r = await runLoop(
        (i) => {
          const q = queryFor(templates, sc, users, i);
          return client.query(q.text, q.params, { rowMode: 'array' });
        },
        loopOpts(s, 1),
      );
      const sql = summarize(r.latencies, r.elapsedMs, r.errors);
      const api = await httpLoad(s, baseUrl, readSpecs(sc, users), 1);
      reads.push({ scenario: sc.label, clients: 1, api, sql, load: loadavg()[0]! });
    }
    return { tasks: s.tasks, reads };
  } finally {
    await app.close();
  }
}

/** PGlite's query has the same shape as pg's for our purposes; parameters must be an array. */
export function pgliteClient(client: PGlite): SqlClient {
  return { query: (text, params) => client.query(text, params ?? []) };
}

// ---------------------------------------------------------------- shared

export type Templates = Map<string, CapturedQuery[]>;

/** One request per scenario variant as user 0, recording the tasks query it runs. */
export async function captureTemplates(
  app: FastifyInstance,
  recorder: SqlRecorder,
  user: SeededUser,
): Promise<Templates> {
  const out: Templates = new Map();
  for (const sc of scenarios) {
    const list: CapturedQuery[] = [];
    for (const v of sc.variants) {
      let body = '';
      const queries = await recorder.capture(async () => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v1/tasks?${v}`,
          headers: { authorization: `Bearer ${user.token}` },
        });
        if (res.statusCode !== 200) throw new Error(`GET /tasks?${v} → ${res.statusCode} ${res.body}`);
        body = res.body;
      });
      // the listing is the query on tasks that orders; the other one is the token lookup
      const listing = queries.filter((q) => /from "tasks"/i.test(q.text) && /order by/i.test(q.text));
      if (listing.length !== 1) {
        throw new Error(`expected one listing query for ?${v}, saw ${listing.length}: the search fell back?`);
      }
      const items = (JSON.parse(body) as { items: unknown[] }).items.length;
      log(`captured ?${v} (${items} items for user 0)`);
      list.push(listing[0]!);
    }
    out.set(sc.key, list);
  }
  return out;
}

/** Request i's statement: user i mod N, then variant; the user id is the only parameter swapped. */
export function queryFor(templates: Templates, sc: Scenario, users: SeededUser[], i: number): CapturedQuery {
  const k = i % (users.length * sc.variants.length);
  const user = users[k % users.length]!;
  const t = templates.get(sc.key)![Math.floor(k / users.length)]!;
  const template0 = users[0]!.id;
  return { text: t.text, params: t.params.map((p) => (p === template0 ? user.id : p)) };
}

/** Requests in the same order as queryFor, so API and SQL see the same mix of users and variants. */
export function readSpecs(sc: Scenario, users: SeededUser[]): HttpRequestSpec[] {
  return sc.variants.flatMap((v) =>
    users.map((u) => ({
      method: 'GET' as const,
      path: `/api/v1/tasks?${v}`,
      headers: { authorization: `Bearer ${u.token}` },
      expect: 200,
    })),
  );
}

export function postSpecs(users: SeededUser[]): HttpRequestSpec[] {
  const bodies = [
    { title: 'Bench post call the plumber', priority: 'high', tags: ['home'] },
    {
      title: 'Bench post review the budget',
      description: 'numbers for Q3 before friday',
      tags: ['work', 'finance'],
    },
    { title: 'Bench post buy groceries', due: { at: '2030-05-01T09:00', tz: 'Europe/Paris' } },
    { title: 'Bench post renew passport', priority: 'urgent', due: { at: '2030-06-01' } },
  ];
  return bodies.flatMap((b) =>
    users.map((u) => ({
      method: 'POST' as const,
      path: '/api/v1/tasks',
      headers: { authorization: `Bearer ${u.token}` },
      body: JSON.stringify(b),
      expect: 201,
    })),
  );
}

function loopOpts(s: Settings, concurrency: number) {
  return { concurrency, durationMs: s.durationMs, warmupMs: s.warmupMs, maxOps: 1_000_000 };
}

async function httpLoad(s: Settings, baseUrl: string, requests: HttpRequestSpec[], clients: number) {
  const r = await runHttpLoad({ baseUrl, requests, ...loopOpts(s, clients) });
  if (r.errors) log(`  ${r.errors} failed requests, first: ${r.firstError}`);
  return summarize(r.latencies, r.elapsedMs, r.errors);
}

export async function explainAll(
  run: (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>,
  templates: Templates,
): Promise<void> {
  for (const sc of scenarios) {
    const q = templates.get(sc.key)![0]!;
    const res = await run(`explain (analyze, buffers) ${q.text}`, q.params);
    const plan = res.rows.map((r) => Object.values(r as Record<string, unknown>)[0]).join('\n');
    console.log(
      `\n--- EXPLAIN ANALYZE ${sc.label}\n${q.text}\n-- params ${JSON.stringify(q.params)}\n${plan}`,
    );
  }
}

function userIds(n: number): string[] {
  return Array.from({ length: n }, (_, u) => `${userPrefix}${String(u).padStart(4, '0')}`);
}

// ---------------------------------------------------------------- report

const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

function readRows(reads: ReadResult[], onPostgres: boolean): Cell[][] {
  return reads.map((r) => {
    const ratio50 = r.api.p50 / r.sql.p50;
    const ratio95 = r.api.p95 / r.sql.p95;
    const checks = [`API/SQL≤${targets.apiOverSql} ${mark(ratio50 <= targets.apiOverSql)}`];
    if (onPostgres && r.clients === 1)
      checks.unshift(`p95≤${targets.p95AtOneClientMs} ${mark(r.api.p95 <= 15)}`);
    return [
      r.scenario,
      r.clients,
      ms(r.api.p50),
      ms(r.api.p95),
      ms(r.api.p99),
      r.api.rps.toFixed(0),
      ms(r.sql.p50),
      ms(r.sql.p95),
      ms(r.sql.p99),
      r.sql.rps.toFixed(0),
      ratio50.toFixed(2),
      ratio95.toFixed(2),
      r.load.toFixed(1),
      checks.join(', '),
    ];
  });
}

const readHeaders = [
  'GET /api/v1/tasks',
  'clients',
  'API p50',
  'p95',
  'p99',
  'req/s',
  'SQL p50',
  'p95',
  'p99',
  'q/s',
  'ratio p50',
  'ratio p95',
  'load1',
  'targets',
];

function printReport(report: SearchBenchReport, s: Settings): void {
  const window = `${s.durationMs / 1000} s per measurement after ${s.warmupMs / 1000} s warm-up; times in ms`;
  const pgr = report.postgres;
  if (pgr) {
    if (pgr.reads.length > 0)
      printTable(
        `PostgreSQL 15, ${pgr.users} users × ${pgr.tasksPerUser} tasks (${window})`,
        readHeaders,
        readRows(pgr.reads, true),
      );
    const p = pgr.post;
    printTable(
      `POST /api/v1/tasks on PostgreSQL at ${s.concurrency} clients`,
      ['', 'req/s', 'p50', 'p95', 'p99', 'errors', 'target'],
      [
        [
          'create task',
          p.rps.toFixed(0),
          ms(p.p50),
          ms(p.p95),
          ms(p.p99),
          p.errors,
          `≥${targets.postRps} req/s ${mark(p.rps >= targets.postRps)}`,
        ],
      ],
    );
  }
  if (report.pglite) {
    printTable(
      `PGlite (in memory), 1 user × ${report.pglite.tasks} tasks (${window})`,
      readHeaders,
      readRows(report.pglite.reads, false),
    );
  }
  console.log(
    `\nratio = API latency / raw SQL latency of the same statement (pg or PGlite driver, same user/variant mix);` +
      ` load1 = 1-minute load average on this ${availableParallelism()}-core machine.`,
  );
}
