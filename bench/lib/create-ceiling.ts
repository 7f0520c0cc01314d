/**
 * The raw ceiling of `POST /api/v1/tasks`: the very statements the API runs for one create (token lookup, Inbox
 * lookup, task insert, the outbox rows), captured from the app, then replayed in one transaction each, through
 * the same driver (`pg`) and through `pgbench`.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type LoopOptions, runLoop } from './loop.ts';
import type { CapturedQuery } from './sql-recorder.ts';
import { type LatencySummary, summarize } from './stats.ts';

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The create's own statements out of everything captured during the request (the in-process consumers run
 * theirs in between): from the token lookup up to and including the outbox insert.
 */
export function createStatements(captured: CapturedQuery[]): CapturedQuery[] {
  const first = captured.findIndex((q) => /from "api_tokens"/.test(q.text));
  const last = captured.findIndex((q) => /insert into "outbox"/.test(q.text));
  if (first < 0 || last < first)
    throw new Error('did not capture a token lookup followed by an outbox insert');
  return captured
    .slice(first, last + 1)
    .filter((q) => /api_tokens|"lists"|insert into "tasks"|insert into "outbox"/.test(q.text));
}

/** The outbox's event ids are unique: each replay gets fresh ones (the rest is replayed as captured). */
function freshEventIds(q: CapturedQuery): CapturedQuery {
  if (!/insert into "outbox"/.test(q.text)) return q;
  const map = new Map<string, string>();
  for (const p of q.params) if (typeof p === 'string' && uuidRe.test(p)) map.set(p, randomUUID());
  return {
    text: q.text,
    params: q.params.map((p) => {
      if (typeof p !== 'string') return p;
      let out = map.get(p) ?? p;
      for (const [from, to] of map) out = out.replaceAll(from, to);
      return out;
    }),
  };
}

/** Replays the create at `concurrency` clients through `pg`, one transaction per create. */
export async function createCeilingPg(
  dbUrl: string,
  statements: CapturedQuery[],
  loop: LoopOptions,
): Promise<LatencySummary> {
  const pool = new pg.Pool({ connectionString: dbUrl, max: loop.concurrency });
  try {
    const r = await runLoop(async () => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        for (const q of statements) {
          const f = freshEventIds(q);
          await c.query({ text: f.text, values: f.params, rowMode: 'array' });
        }
        await c.query('commit');
      } finally {
        c.release();
      }
    }, loop);
    return summarize(r.latencies, r.elapsedMs, r.errors);
  } finally {
    await pool.end();
  }
}

function literal(p: unknown, asUuid: boolean): string {
  if (p === null || p === undefined) return 'null';
  if (typeof p === 'number' || typeof p === 'boolean') return String(p);
  if (asUuid) return 'gen_random_uuid()';
  const s = p instanceof Date ? p.toISOString() : String(p);
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The same transaction as a pgbench script (parameters inlined; the outbox's event ids from gen_random_uuid()),
 * run with `-c <concurrency> -j 2` for `seconds`. Returns transactions per second, or undefined without pgbench.
 */
export async function createCeilingPgbench(
  dbUrl: string,
  statements: CapturedQuery[],
  concurrency: number,
  seconds: number,
): Promise<number | undefined> {
  const lines = statements.map((q) => {
    const outbox = /insert into "outbox"/.test(q.text);
    const text = q.text.replace(/\$(\d+)/g, (_, n: string) => {
      const p = q.params[Number(n) - 1];
      return literal(p, outbox && typeof p === 'string' && uuidRe.test(p));
    });
    // pgbench reads one statement per line unless it ends in a semicolon
    return `${text.replace(/\s*\n\s*/g, ' ')};`;
  });
  const file = join(tmpdir(), `taskstream-create-${process.pid}.sql`);
  writeFileSync(file, ['begin;', ...lines, 'commit;', ''].join('\n'));
  const bin = ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'];
  for (const b of bin) {
    try {
      const { stdout } = await promisify(execFile)(
        b,
        ['-n', '-c', String(concurrency), '-j', '2', '-T', String(seconds), '-f', file, dbUrl],
        { maxBuffer: 1 << 20 },
      );
      const m = /tps = ([\d.]+)/.exec(stdout);
      if (!m) throw new Error(`pgbench printed no tps:\n${stdout}`);
      return Number(m[1]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
  return undefined;
}
