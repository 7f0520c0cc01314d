/**
 * `npm run bench [-- --quick]`: the whole suite in one run. Every figure is measured next to its ceiling in the
 * same run (raw SQL of the same statement through the same driver, pgbench, an empty route of the same server),
 * printed as one table and written to bench/results/latest.json and BENCHMARKS.md.
 *
 * The server under test is always a child process (`taskstream serve`, the production entry point) and HTTP
 * load always comes from another child process (lib/load-worker.ts); only raw-SQL ceilings, the seeding and the
 * in-process event/reminder probes run in this process.
 *
 * Options: --quick (smaller scale, < 5 min) --users N --tasks N --duration S --warmup S --mixed S
 *          --reuse (keep a matching seeded ts_bench_suite) --admin-url postgres://…
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { createPostgresDatabase } from '../apps/server/src/infra/db/postgres.db.ts';
import { createInfra } from '../apps/server/src/infra/infra.ts';
import {
  freePort,
  type ServerProcess,
  startServerProcess,
} from '../apps/server/test/events/server-process.ts';
import { commitToHandler, wsLatency } from './events.bench.ts';
import { createCeilingPg, createCeilingPgbench, createStatements } from './lib/create-ceiling.ts';
import { type HttpRequestSpec, runHttpLoad } from './lib/load.ts';
import { type LoopOptions, runLoop } from './lib/loop.ts';
import { type BenchOptions, flagOption, numberOption, stringOption } from './lib/options.ts';
import { recordingPostgres, SqlRecorder } from './lib/sql-recorder.ts';
import { type LatencySummary, ms, percentile, summarize } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';
import type { SeededUser } from './lib/task-seed.ts';
import { measureReminders, type ReminderResult } from './reminders.bench.ts';
import {
  captureTemplates,
  cleanupPosts,
  consumerDrainMs,
  postSpecs,
  preparePostgres,
  queryFor,
  readSpecs,
  type Scenario,
  type Settings,
  scenarios,
  type Templates,
  withClient,
} from './search.bench.ts';

/** One row of the table and of latest.json. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** the target as a condition, e.g. "≤ 10 ms"; empty for a figure reported without one */
  target: string;
  /** the issue's requirement this figure answers */
  requirement: string;
  /** the ceiling measured in the same run, if the figure has one */
  baseline: { name: string; value: number; unit: string } | null;
  /** value / baseline.value */
  ratio: number | null;
  /** null for a figure reported without a target */
  met: boolean | null;
}

interface Scale {
  quick: boolean;
  users: number;
  tasks: number;
  durationMs: number;
  warmupMs: number;
  mixedMs: number;
  commitWrites: number;
  wsWrites: number;
  reminders: number;
  reminderWindowMs: number;
}

const authSecret = 'bench-secret-bench-secret-bench-secret';
/** What `npm start` runs: the server compiled to JavaScript (apps/server/scripts/ensure-build.mjs). */
const compiledCli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const tsxCli = fileURLToPath(new URL('../apps/server/bin/taskstream.js', import.meta.url));
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const load1 = () => loadavg()[0]!;

function scaleOf(opts: BenchOptions): Scale {
  const quick = flagOption(opts, 'quick');
  return {
    quick,
    users: Math.floor(numberOption(opts, 'users', quick ? 10 : 100)),
    tasks: Math.floor(numberOption(opts, 'tasks', 10_000)),
    durationMs: numberOption(opts, 'duration', quick ? 3 : 15) * 1000,
    warmupMs: numberOption(opts, 'warmup', 1) * 1000,
    mixedMs: numberOption(opts, 'mixed', quick ? 20 : 300) * 1000,
    commitWrites: quick ? 200 : 1000,
    wsWrites: quick ? 300 : 1000,
    // the same rate as 10,000 a minute, over a shorter window in --quick
    reminders: quick ? 2_000 : 10_000,
    reminderWindowMs: quick ? 12_000 : 60_000,
  };
}

export async function benchSuite(opts: BenchOptions = {}): Promise<Figure[]> {
  const scale = scaleOf(opts);
  const adminUrl = stringOption(opts, 'admin-url', 'postgres://postgres@127.0.0.1:5432/postgres');
  // databases of their own: `npm run bench -- search` (ts_bench) may run at the same time
  const dbUrl = withDatabase(adminUrl, 'ts_bench_suite');
  const settings: Settings = {
    users: scale.users,
    tasks: scale.tasks,
    durationMs: scale.durationMs,
    warmupMs: scale.warmupMs,
    concurrency: 50,
    reuse: flagOption(opts, 'reuse'),
    explain: false,
    postOnly: false,
    adminUrl,
  };
  const started = new Date();
  const loads: number[] = [load1()];
  const figures: Figure[] = [];
  const t0 = performance.now();

  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../apps/server/scripts/ensure-build.mjs', import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  log(`seeding PostgreSQL: ${scale.users} users × ${scale.tasks} tasks`);
  const users = await preparePostgres(settings, dbUrl);
  figures.push(...(await searchAndCreate(scale, dbUrl, users)));
  loads.push(load1());
  figures.push(...(await embeddedProcess(scale)));
  loads.push(load1());
  figures.push(...(await mixedWorkload(scale, dbUrl, users)));
  loads.push(load1());
  figures.push(...(await commitToHandlerFigures(scale, dbUrl)));
  figures.push(...(await reminderFigures(scale, adminUrl)));
  loads.push(load1());

  const report = {
    machine: machine(),
    date: started.toISOString(),
    scale: scale.quick ? 'quick' : 'full',
    dataset: `PostgreSQL: ${scale.users} users × ${scale.tasks} tasks; mixed workload ${scale.mixedMs / 1000} s`,
    durationS: Math.round((performance.now() - t0) / 1000),
    loadAverage1m: loads.map((l) => Number(l.toFixed(2))),
    results: figures,
  };
  const table = renderTable(figures);
  console.log(`\n${table}\n`);
  console.log(
    `${report.machine}; 1-minute load average during the run ${loads.map((l) => l.toFixed(1)).join(' → ')}; ${report.durationS} s`,
  );
  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  const latest = new URL('latest.json', resultsDir);
  writeFileSync(latest, `${JSON.stringify(report, null, 2)}\n`);
  // in the repository's own format, so that `npm run lint` passes with the committed results
  execFileSync('npx', ['biome', 'format', '--write', fileURLToPath(latest)], { stdio: 'ignore' });
  writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), renderMarkdown(report, table));
  log('wrote bench/results/latest.json and BENCHMARKS.md');
  return figures;
}

// ---------------------------------------------------------------- PostgreSQL: search, GET, POST

async function searchAndCreate(scale: Scale, dbUrl: string, users: SeededUser[]): Promise<Figure[]> {
  const out: Figure[] = [];
  // the statements the API runs, captured from an in-process app whose Drizzle logs (no load involved)
  const recorder = new SqlRecorder();
  const captureConfig = testConfig({ databaseUrl: dbUrl });
  const captureApp = await buildApp(
    captureConfig,
    await createInfra(captureConfig, { database: recordingPostgres(dbUrl, recorder) }),
  );
  const searched = scenarios.filter((s) => s.key !== 'overdue');
  let templates: Templates;
  let create: Awaited<ReturnType<typeof createStatements>>;
  /** statements logged while one POST ran on an every-role app: the create's own and its consumers' */
  let perPost = 0;
  try {
    templates = await captureTemplates(captureApp, recorder, users[0]!);
    const post = async () => {
      const res = await captureApp.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: { authorization: `Bearer ${users[0]!.token}` },
        payload: { title: 'Bench post ceiling capture', priority: 'high', tags: ['home'] },
      });
      if (res.statusCode !== 201) throw new Error(`capture POST → ${res.statusCode} ${res.body}`);
    };
    // the create as the load meets it: after a first one, the app knows the user's Inbox id (InboxIds)
    await post();
    const captured = await recorder.capture(post);
    create = createStatements(captured);
    perPost = captured.length;
  } finally {
    await captureApp.close();
  }

  // raw SQL ceilings of the reads, through pg (rowMode array, as Drizzle runs selects)
  const raw = new pg.Pool({ connectionString: dbUrl, max: 50 });
  const rawReads = new Map<string, LatencySummary>();
  try {
    for (const sc of searched) {
      for (const clients of [1, 50]) {
        log(`raw SQL: ${sc.key} at ${clients}`);
        const r = await runLoop(
          (i) => {
            const q = queryFor(templates, sc, users, i);
            return raw.query({ text: q.text, values: q.params, rowMode: 'array' });
          },
          loopOf(scale, clients),
        );
        rawReads.set(`${sc.key}/${clients}`, summarize(r.latencies, r.elapsedMs, r.errors));
      }
    }
  } finally {
    await raw.end();
  }
  log('raw SQL: create transaction at 50 (pg, then pgbench)');
  const createPg = await createCeilingPg(dbUrl, create, loopOf(scale, 50));
  const createPgbench = await createCeilingPgbench(dbUrl, create, 50, Math.round(scale.durationMs / 1000));
  await cleanupPosts(dbUrl);
  const createCeiling = createPgbench
    ? { name: 'pgbench -c 50 -j 2, the same create transaction', value: createPgbench, unit: 'tx/s' }
    : { name: 'pg driver, the same create transaction at 50', value: createPg.rps, unit: 'tx/s' };
  out.push(
    info(
      'raw create transaction through pg, 50 clients',
      createPg.rps,
      'tx/s',
      'ceiling of POST /tasks (same driver)',
    ),
    info(
      '  statements of one POST /api/v1/tasks',
      create.length + 2,
      'statements',
      `with begin and commit; ${perPost} logged in all while it ran on an every-role app (its consumers' too)`,
    ),
  );

  // the api role alone
  const api = await serve({ ROLE: 'api', DATABASE_URL: dbUrl, DB_POOL_SIZE: '60' });
  try {
    log('api role: /healthz at 50');
    const healthz = await httpLoad(scale, api.url, [{ ...get('/healthz', ''), expect: 200 }], 50);
    log('api role: GET /api/v1/tasks first page at 50');
    const firstPage = await httpLoad(
      scale,
      api.url,
      users.map((u) => get('/api/v1/tasks', u.token)),
      50,
    );
    out.push(
      figure({
        name: 'GET /api/v1/tasks first page, 50 clients (api role)',
        value: firstPage.rps,
        unit: 'req/s',
        target: '≥ 40 % of /healthz',
        requirement: 'GET /tasks throughput ≥ 40 % of /healthz in the same run',
        baseline: { name: '/healthz of the same server, 50 clients', value: healthz.rps, unit: 'req/s' },
        met: (r) => r >= 0.4,
      }),
      info('  GET first page p95 at 50 clients', firstPage.p95, 'ms', ''),
    );
    for (const sc of searched) out.push(...(await readFigures(scale, api, sc, users, rawReads)));
    log('api role: POST /api/v1/tasks at 50');
    const post = await httpLoad(scale, api.url, postSpecs(users), 50);
    out.push(createFigure('POST /api/v1/tasks, 50 clients, api role alone', post, createCeiling));
  } finally {
    await stop(api);
  }
  await cleanupPosts(dbUrl);

  const all = await serve({ DATABASE_URL: dbUrl, DB_POOL_SIZE: '60' });
  try {
    log('every role: POST /api/v1/tasks at 50');
    const post = await httpLoad(scale, all.url, postSpecs(users), 50);
    out.push(createFigure('POST /api/v1/tasks, 50 clients, every role in one process', post, createCeiling));
    const drain = await consumerDrainMs(dbUrl, 60_000);
    out.push(info('  task-events consumers drained after that load', drain, 'ms', ''));
  } finally {
    await stop(all);
  }
  await cleanupPosts(dbUrl);
  return out;
}

const readTargets: Record<string, { p95At1: number; rpsAt50?: number; requirement: string }> = {
  word: {
    p95At1: 10,
    rpsAt50: 500,
    requirement: 'word search p95 ≤ 10 ms and ≤ 1.5 × raw SQL; ≥ 500 req/s at 50',
  },
  tag: { p95At1: 8, requirement: 'tag + priority p95 ≤ 8 ms at 1 client' },
};

async function readFigures(
  scale: Scale,
  server: ServerProcess,
  sc: Scenario,
  users: SeededUser[],
  rawReads: Map<string, LatencySummary>,
): Promise<Figure[]> {
  const t = readTargets[sc.key]!;
  const name = sc.key === 'word' ? 'word search ?q=<word>' : 'tag + priority';
  const specs = readSpecs(sc, users);
  log(`api role: ${sc.key} at 1`);
  const one = await httpLoad(scale, server.url, specs, 1);
  log(`api role: ${sc.key} at 50`);
  const fifty = await httpLoad(scale, server.url, specs, 50);
  const sql1 = rawReads.get(`${sc.key}/1`)!;
  const sql50 = rawReads.get(`${sc.key}/50`)!;
  const rawP95 = { name: 'raw SQL p95 of the same query, 1 client', value: sql1.p95, unit: 'ms' };
  return [
    figure({
      name: `${name}, 1 client, p95`,
      value: one.p95,
      unit: 'ms',
      target: sc.key === 'word' ? `≤ ${t.p95At1} ms and ≤ 1.5 × raw SQL` : `≤ ${t.p95At1} ms`,
      requirement: t.requirement,
      baseline: rawP95,
      met: (ratio, v) => v <= t.p95At1 && (sc.key !== 'word' || ratio <= 1.5),
    }),
    info(
      `  ${name}, 1 client, p50 / p99`,
      one.p50,
      'ms',
      `p99 ${ms(one.p99)} ms; raw SQL p50 ${ms(sql1.p50)} ms`,
    ),
    info(`  ${name}, 1 client`, one.rps, 'req/s', `raw SQL ${sql1.rps.toFixed(0)} q/s`),
    figure({
      name: `${name}, 50 clients`,
      value: fifty.rps,
      unit: 'req/s',
      target: t.rpsAt50 ? `≥ ${t.rpsAt50} req/s` : '',
      requirement: t.requirement,
      baseline: { name: 'raw SQL of the same query, 50 clients', value: sql50.rps, unit: 'q/s' },
      met: t.rpsAt50 ? (_r, v) => v >= t.rpsAt50! : undefined,
    }),
    info(
      `  ${name}, 50 clients, p50 / p95 / p99`,
      fifty.p95,
      'ms',
      `p50 ${ms(fifty.p50)}, p99 ${ms(fifty.p99)}; raw SQL p95 ${ms(sql50.p95)} ms`,
    ),
  ];
}

function createFigure(name: string, post: LatencySummary, ceiling: NonNullable<Figure['baseline']>): Figure {
  return figure({
    name,
    value: post.rps,
    unit: 'req/s',
    target: '≥ 50 % of the raw create',
    requirement: 'POST /api/v1/tasks ≥ 50 % of the raw ceiling of the same transaction',
    baseline: ceiling,
    met: (r) => r >= 0.5 && post.errors === 0,
  });
}

// ---------------------------------------------------------------- the embedded process (`npm start`)

/** PGlite, every role, as `npm start` runs it: start-up, idle and loaded memory, write → WebSocket. */
async function embeddedProcess(scale: Scale): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-bench-'));
  // the first start creates the database (PGlite's initdb, then the migrations); every later start opens it
  log(
    'embedded: first start of the compiled `taskstream serve` (PGlite, every role) on an empty data directory',
  );
  const first = await startEmbedded(compiledCli, dataDir);
  await stop(first.server);
  log('embedded: restart through tsx (bin/taskstream.js), for comparison');
  const viaTsx = await startEmbedded(tsxCli, dataDir);
  await stop(viaTsx.server);
  log('embedded: restart of the compiled server');
  const { server, startup, idle } = await startEmbedded(compiledCli, dataDir);
  try {
    const users: { token: string }[] = [];
    for (let i = 0; i < 20; i++) users.push(await signUpHttp(server.url, i));
    log('embedded: write → WebSocket, 100 sockets, 4 writers');
    const ws = await wsLatency(server.url, users, scale.wsWrites, 4);
    log('embedded: loaded memory (GET first page + POST at 50 clients)');
    let peak = rssMb(server);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(server));
    }, 200);
    const specs: HttpRequestSpec[] = users.flatMap((u, i) => [
      get('/api/v1/tasks', u.token),
      {
        method: 'POST',
        path: '/api/v1/tasks',
        headers: { authorization: `Bearer ${u.token}` },
        body: JSON.stringify({ title: `Bench embedded ${i}`, tags: ['home'] }),
        expect: 201,
      },
    ]);
    const loaded = await httpLoad(scale, server.url, specs, 50);
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(server));
    return [
      info(
        '  first start on an empty data directory (creates the database)',
        first.startup,
        'ms',
        `idle RSS ${first.idle.toFixed(0)} MB`,
      ),
      figure({
        name: 'start-up of the compiled `taskstream serve` (PGlite, every role, existing data) to a healthy /readyz',
        value: startup,
        unit: 'ms',
        target: '≤ 5000 ms',
        requirement: '`npm start` to a healthy /readyz ≤ 5 s',
        baseline: null,
        met: (_r, v) => v <= 5000,
      }),
      info(
        '  the same restart through tsx (TypeScript compiled at run time)',
        viaTsx.startup,
        'ms',
        `idle RSS ${viaTsx.idle.toFixed(0)} MB`,
      ),
      figure({
        name: 'RSS of the embedded every-role process, idle (after a restart)',
        value: idle,
        unit: 'MB',
        target: '≤ 300 MB',
        requirement: 'memory of `npm start` ≤ 300 MB idle / ≤ 400 MB under load',
        baseline: null,
        met: (_r, v) => v <= 300,
      }),
      figure({
        name: 'RSS of the embedded every-role process, peak under load',
        value: peak,
        unit: 'MB',
        target: '≤ 400 MB',
        requirement: 'memory of `npm start` ≤ 300 MB idle / ≤ 400 MB under load',
        baseline: null,
        met: (_r, v) => v <= 400,
      }),
      info(
        '  embedded GET + POST mix at 50 clients during the memory figure',
        loaded.rps,
        'req/s',
        `errors ${loaded.errors}`,
      ),
      figure({
        name: 'write → WebSocket receipt, 100 sockets, 4 writers, p95 (embedded)',
        value: ws.summary.p95,
        unit: 'ms',
        target: '≤ 20 ms',
        requirement: 'write → WebSocket p95 ≤ 20 ms with 100 clients and 4 writers',
        baseline: { name: 'the HTTP write alone (its response), p95', value: ws.response.p95, unit: 'ms' },
        met: (_r, v) => v <= 20,
      }),
    ];
  } finally {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts `entry serve` on the PGlite data directory `dataDir`; start-up is spawn → a healthy /readyz. */
async function startEmbedded(entry: string, dataDir: string) {
  const port = await freePort();
  const t0 = performance.now();
  const server = await startServerProcess(
    { ...startEnv(entry), DATA_DIR: dataDir, AUTH_RATE_LIMIT: '1000000' },
    port,
    [],
    entry,
  );
  await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, 60_000);
  const startup = performance.now() - t0;
  // idle: after start-up has settled (PGlite's first queries, lazy imports, GC)
  await new Promise((r) => setTimeout(r, 3_000));
  return { server, startup, idle: rssMb(server) };
}

// ---------------------------------------------------------------- mixed workload

/**
 * 100 users (or the seeded ones) on the every-role process over PostgreSQL: 70 % reads (first page, word
 * search, tag filter), 20 % creates, 10 % completions of recurring tasks (each completion a distinct task, so
 * every one is a real completion that brings a next occurrence).
 */
async function mixedWorkload(scale: Scale, dbUrl: string, users: SeededUser[]): Promise<Figure[]> {
  const server = await serve({ DATABASE_URL: dbUrl, DB_POOL_SIZE: '60' });
  const seconds = scale.mixedMs / 1000;
  try {
    // enough recurring tasks for every completion at a generous 600 req/s
    const completions = Math.ceil(seconds * 600 * 0.1);
    log(`mixed: creating ${completions} recurring tasks`);
    const recurring = users.map((u, i) => ({
      method: 'POST' as const,
      path: '/api/v1/tasks',
      headers: { authorization: `Bearer ${u.token}` },
      body: JSON.stringify({
        title: `Bench mixed recurring ${i}`,
        due: { at: '2031-01-06' },
        recurrence: { rrule: 'FREQ=WEEKLY' },
      }),
      expect: 201,
    }));
    // one per user through the API (so the row is exactly what a create writes), then copied in SQL, each
    // copy a series of its own: thousands of API creates would take longer than the workload itself
    const made = await runHttpLoad({
      baseUrl: server.url,
      requests: recurring,
      concurrency: 10,
      durationMs: 600_000,
      warmupMs: 0,
      maxOps: recurring.length,
    });
    if (made.errors) throw new Error(`creating recurring tasks failed: ${made.firstError}`);
    const ids = await withClient(dbUrl, async (c) => {
      await c.query(
        `insert into tasks (user_id, list_id, title, description, priority, tags, due_at, due_tz, due_all_day,
                            recurrence, recurrence_mode, recurrence_anchor, series_id, occurrence, reminder_specs)
         select t.user_id, t.list_id, t.title || ' #' || g, t.description, t.priority, t.tags, t.due_at, t.due_tz,
                t.due_all_day, t.recurrence, t.recurrence_mode, t.recurrence_anchor, gen_random_uuid(), 0,
                t.reminder_specs
         from tasks t cross join generate_series(1, $1::int) g
         where t.title like 'Bench mixed recurring %'`,
        [Math.ceil(completions / users.length)],
      );
      const r = await c.query<{ id: string; user_id: string }>(
        `select id, user_id from tasks where title like 'Bench mixed recurring %' and status = 'open'
         order by id limit $1`,
        [completions],
      );
      return r.rows;
    });
    const tokenOf = new Map(users.map((u) => [u.id, u.token]));
    const reads = (u: SeededUser, i: number): HttpRequestSpec[] => [
      get('/api/v1/tasks', u.token),
      get(`/api/v1/tasks?q=${['invoice', 'budget', 'dentist'][i % 3]}`, u.token),
      get('/api/v1/tasks?tag=work&priority=high,urgent', u.token),
    ];
    const specs: HttpRequestSpec[] = [];
    for (let k = 0; k < ids.length; k++) {
      const u = users[k % users.length]!;
      for (let j = 0; j < 7; j++) specs.push(reads(u, k + j)[j % 3]!);
      for (let j = 0; j < 2; j++)
        specs.push({
          method: 'POST',
          path: '/api/v1/tasks',
          headers: { authorization: `Bearer ${u.token}` },
          body: JSON.stringify({ title: `Bench post mixed ${k}.${j}`, priority: 'medium' }),
          expect: 201,
        });
      const t = ids[k]!;
      specs.push({
        method: 'POST',
        path: `/api/v1/tasks/${t.id}/complete`,
        headers: { authorization: `Bearer ${tokenOf.get(t.user_id)!}` },
        expect: 200,
      });
    }
    // the same write → WebSocket probe as the embedded one, on this every-role process over PostgreSQL,
    // before the mixed load (20 seeded users × 5 sockets; its tasks are removed in `finally`)
    log('postgres: write → WebSocket, 100 sockets, 4 writers');
    const wsUsers: { token: string }[] = users.slice(0, 20);
    while (wsUsers.length < 20) wsUsers.push(await signUpHttp(server.url, wsUsers.length));
    const ws = await wsLatency(server.url, wsUsers, scale.wsWrites, 4);
    log(`mixed: 100 clients for ${seconds} s`);
    let peak = rssMb(server);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(server));
    }, 500);
    const r = await runHttpLoad({
      baseUrl: server.url,
      requests: specs,
      concurrency: 100,
      durationMs: scale.mixedMs,
      warmupMs: 0,
      maxOps: 10_000_000,
    });
    clearInterval(sampler);
    const drain = await consumerDrainMs(dbUrl, 60_000);
    const s = summarize(r.latencies, r.elapsedMs, r.errors);
    if (r.errors) log(`mixed: ${r.errors} errors ${JSON.stringify(r.errorKinds)}; first: ${r.firstError}`);
    return [
      figure({
        name: `mixed workload, 100 clients, ${seconds} s: errors`,
        value: r.errors,
        unit: 'errors',
        target: '= 0',
        requirement:
          '5-minute mixed workload of 100 users: 0 errors, consumer lag drained within 2 s of the end',
        baseline: null,
        met: (_r, v) => v === 0,
      }),
      figure({
        name: '  mixed workload: consumer lag drained after the end',
        value: drain,
        unit: 'ms',
        target: '≤ 2000 ms',
        requirement: 'consumer lag drained within 2 s of the end',
        baseline: null,
        met: (_r, v) => v <= 2000,
      }),
      info('  mixed workload throughput', s.rps, 'req/s', `p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms`),
      info('  mixed workload p95', s.p95, 'ms', ''),
      info('  mixed workload p99', s.p99, 'ms', ''),
      info('  mixed workload peak RSS of the server', peak, 'MB', 'PostgreSQL, every role'),
      figure({
        name: 'write → WebSocket receipt, 100 sockets, 4 writers, p95 (PostgreSQL, every role)',
        value: ws.summary.p95,
        unit: 'ms',
        target: '≤ 20 ms',
        requirement: 'write → WebSocket p95 ≤ 20 ms with 100 clients and 4 writers',
        baseline: { name: 'the HTTP write alone (its response), p95', value: ws.response.p95, unit: 'ms' },
        met: (_r, v) => v <= 20,
      }),
    ];
  } finally {
    await stop(server);
    await withClient(dbUrl, async (c) => {
      await c.query(
        `delete from tasks where title like 'Bench mixed recurring %' or title like 'ws bench %'`,
      );
    });
    await cleanupPosts(dbUrl);
  }
}

// ---------------------------------------------------------------- event and reminder latency

async function commitToHandlerFigures(scale: Scale, dbUrl: string): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [label, database] of [
    ['PGlite', undefined],
    ['PostgreSQL', createPostgresDatabase(dbUrl, 10)],
  ] as const) {
    log(`commit → handler on ${label}`);
    const s = await commitToHandler(scale.commitWrites, database);
    out.push(
      figure({
        name: `event commit → handler p95, ${label}`,
        value: s.p95,
        unit: 'ms',
        target: '≤ 5 ms',
        requirement: 'event commit → handler p95 ≤ 5 ms on PGlite and on PostgreSQL',
        baseline: null,
        met: (_r, v) => v <= 5,
      }),
    );
  }
  return out;
}

async function reminderFigures(scale: Scale, adminUrl: string): Promise<Figure[]> {
  const out: Figure[] = [];
  const remindersDb = 'ts_bench_reminders';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${remindersDb} with (force)`);
  await admin.query(`create database ${remindersDb}`);
  await admin.end();
  for (const [label, database] of [
    ['PGlite', undefined],
    ['PostgreSQL', createPostgresDatabase(withDatabase(adminUrl, remindersDb), 20)],
  ] as const) {
    log(`reminders on ${label}: ${scale.reminders} due within ${scale.reminderWindowMs / 1000} s`);
    const r: ReminderResult = await measureReminders({
      count: scale.reminders,
      windowMs: scale.reminderWindowMs,
      userCount: 100,
      database,
    });
    const sorted = Float64Array.from(r.fireLateness).sort();
    const notified = Float64Array.from(r.notifyLateness).sort();
    const p99 = percentile(sorted, 99);
    const bad = r.missed + r.firedTwice + r.notifiedTwice + r.notMissing;
    out.push(
      figure({
        name: `reminder lateness p99, ${scale.reminders} due within ${scale.reminderWindowMs / 1000} s, ${label}`,
        value: p99,
        unit: 'ms',
        target: '≤ 200 ms, none missed or twice',
        requirement: 'reminder lateness p99 ≤ 200 ms for 10,000 due within a minute, none missed or twice',
        baseline: null,
        met: (_r, v) => v <= 200 && bad === 0,
      }),
      info(
        `  ${label}: missed / fired twice / notified twice / without notification`,
        bad,
        'reminders',
        `${r.missed} / ${r.firedTwice} / ${r.notifiedTwice} / ${r.notMissing}; notification p99 ${ms(percentile(notified, 99))} ms`,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------- helpers

function figure(
  f: Omit<Figure, 'ratio' | 'met'> & { met?: (ratio: number, value: number) => boolean },
): Figure {
  const ratio = f.baseline && f.baseline.value > 0 ? f.value / f.baseline.value : null;
  const { met, ...rest } = f;
  return { ...rest, ratio, met: met ? met(ratio ?? Number.NaN, f.value) : null };
}

/** A figure reported for context, without a target of its own. */
function info(name: string, value: number, unit: string, note: string): Figure {
  return { name, value, unit, target: '', requirement: note, baseline: null, ratio: null, met: null };
}

function get(path: string, token: string): HttpRequestSpec {
  return { method: 'GET', path, headers: token ? { authorization: `Bearer ${token}` } : {}, expect: 200 };
}

function loopOf(scale: Scale, concurrency: number): LoopOptions {
  return { concurrency, durationMs: scale.durationMs, warmupMs: scale.warmupMs, maxOps: 1_000_000 };
}

async function httpLoad(scale: Scale, baseUrl: string, requests: HttpRequestSpec[], clients: number) {
  const r = await runHttpLoad({ baseUrl, requests, ...loopOf(scale, clients) });
  if (r.errors) log(`  ${r.errors} failed requests ${JSON.stringify(r.errorKinds)}; first: ${r.firstError}`);
  return summarize(r.latencies, r.elapsedMs, r.errors);
}

async function serve(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess(
    { ...startEnv(compiledCli), AUTH_SECRET: authSecret, AUTH_RATE_LIMIT: '1000000', ...env },
    port,
    [],
    compiledCli,
  );
}

/** As `npm start` runs the compiled CLI (with source maps for stack traces). */
function startEnv(entry: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ...(entry === compiledCli ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };
}

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.exited;
  clearTimeout(timer);
}

async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // not answering yet
    }
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resident set size of the server process, from /proc (Linux). */
function rssMb(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function signUpHttp(base: string, i: number): Promise<{ token: string }> {
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({
      email: `bench-${i}-${randomBytes(4).toString('hex')}@example.com`,
      password: 'correct-horse-battery',
      name: `Bench ${i}`,
    }),
  });
  if (res.status !== 200) throw new Error(`sign-up → ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, PostgreSQL 15`;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : ms(v);
}

function renderTable(figures: Figure[]): string {
  return formatTable(
    ['figure', 'value', 'target', 'ceiling (same run)', 'ratio', 'met'],
    figures.map((f) => [
      f.name,
      `${fmt(f.value)} ${f.unit}`,
      // a figure without a target shows its note (context), never its requirement as if it were a target
      f.target || (f.requirement && !f.baseline ? `(${f.requirement})` : ''),
      f.baseline ? `${fmt(f.baseline.value)} ${f.baseline.unit}: ${f.baseline.name}` : '',
      f.ratio === null ? '' : f.ratio.toFixed(2),
      f.met === null ? '' : f.met ? 'yes' : 'NO',
    ]),
  );
}

function renderMarkdown(
  report: {
    machine: string;
    date: string;
    scale: string;
    dataset: string;
    durationS: number;
    loadAverage1m: number[];
    results: Figure[];
  },
  table: string,
): string {
  const analysis = (() => {
    try {
      return readFileSync(new URL('./analysis.md', import.meta.url), 'utf8');
    } catch {
      return '';
    }
  })();
  const missed = report.results.filter((f) => f.met === false).length;
  const judged = report.results.filter((f) => f.met !== null).length;
  return `# Benchmarks

Generated by \`npm run bench${report.scale === 'quick' ? ' -- --quick' : ''}\` on ${report.date} (${report.scale} scale, ${report.durationS} s; ${report.dataset}).
Machine: ${report.machine}. 1-minute load average during the run: ${report.loadAverage1m.join(' → ')}
(the machine is shared; every ratio below compares two figures measured in the same run, minutes apart).

${judged - missed} of ${judged} targets met. The raw figures are in [bench/results/latest.json](bench/results/latest.json).

\`\`\`
${table}
\`\`\`

How it is measured: the server under test is a child process (\`taskstream serve\`, the production entry point); HTTP
load comes from another child process (a closed loop of N keep-alive clients, bench/lib/load-worker.ts). Ceilings:
the raw SQL is the statement the API ran, captured from the app and replayed through the same driver (\`pg\`); the
raw create is the create's own statements in one transaction, through \`pg\` and through \`pgbench -c 50 -j 2\`;
\`/healthz\` is the empty route of the same server in the same minute.
${analysis ? `\n${analysis}` : ''}`;
}
