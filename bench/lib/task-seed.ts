/**
 * Set-based seeding of users, Inboxes, personal access tokens and tasks, for benchmarks. Everything is generated
 * inside the database (`INSERT … SELECT … FROM generate_series`) so a million tasks load in well under a minute;
 * the SQL is plain PostgreSQL 15 and runs unchanged on PGlite.
 */
import { randomBytes } from 'node:crypto';
import { hashToken, tokenPrefix } from '../../apps/server/src/plugins/authenticate.ts';

/** The minimal client both `pg` and PGlite satisfy. */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export interface SeededUser {
  id: string;
  token: string;
}

const verbs = [
  'call',
  'email',
  'buy',
  'book',
  'review',
  'fix',
  'clean',
  'plan',
  'prepare',
  'send',
  'pay',
  'renew',
  'update',
  'schedule',
  'cancel',
  'finish',
  'draft',
  'organize',
  'order',
  'return',
  'check',
  'write',
  'read',
  'submit',
  'pick up',
  'drop off',
  'repair',
  'backup',
  'deploy',
  'test',
];
const nouns = [
  'invoice',
  'report',
  'groceries',
  'dentist',
  'passport',
  'insurance',
  'taxes',
  'presentation',
  'budget',
  'newsletter',
  'laptop',
  'car',
  'garden',
  'kitchen',
  'flight',
  'hotel',
  'birthday',
  'gift',
  'meeting',
  'contract',
  'proposal',
  'website',
  'server',
  'database',
  'slides',
  'receipts',
  'doctor',
  'vet',
  'plumber',
  'landlord',
  'subscription',
  'library books',
  'bike',
  'garage',
  'bank',
  'mortgage',
  'resume',
  'interview',
  'roadmap',
  'backlog',
  'release',
  'documentation',
  'onboarding',
  'payroll',
  'vacation',
  'wedding',
  'recipe',
  'pharmacy',
  'windows',
  'laundry',
];
const qualifiers = [
  'for mom',
  'for the team',
  'before friday',
  'this week',
  'with Alex',
  'for the client',
  'tomorrow morning',
  'after lunch',
  'for Q3',
  'again',
  'online',
  'at the office',
  'for the trip',
  'for Sam',
  'next month',
];
const filler = [
  'the',
  'a',
  'and',
  'to',
  'of',
  'with',
  'before',
  'after',
  'remember',
  'ask',
  'about',
  'new',
  'old',
  'quarterly',
  'monthly',
  'notes',
  'details',
  'numbers',
  'figures',
  'appointment',
  'deadline',
  'follow',
  'up',
  'confirm',
  'price',
  'address',
  'phone',
  'time',
  'options',
  'list',
  'copy',
  'signed',
  'draft',
  'final',
  'version',
  'budget',
  'morning',
  'evening',
  'weekend',
  'urgent',
  'maybe',
  'check',
  'status',
  'team',
  'client',
  'account',
  'password',
];
export const tagPool = [
  'work',
  'home',
  'errand',
  'finance',
  'health',
  'family',
  'shopping',
  'travel',
  'admin',
  'email',
  'phone',
  'reading',
  'writing',
  'project-x',
  'project-y',
  'garden',
  'car',
  'school',
  'kids',
  'fitness',
  'music',
  'cooking',
  'ops',
  'bug',
  'feature',
  'review',
  'waiting',
  'someday',
  'quick',
  'deep-work',
];
const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

const arr = (words: string[]) => `array[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]::text[]`;
/** A random element of a SQL array expression, drawn anew for every row it is evaluated in. */
const pick = (a: string, n: number) => `(${a})[1 + floor(random() * ${n})::int]`;

/** Creates `count` users (ids `<prefix>0000…`), each with an Inbox. */
export async function seedUsers(db: SqlClient, prefix: string, count: number): Promise<string[]> {
  await db.query(
    `insert into users (id, name, email, email_verified, time_zone)
     select $1 || lpad(u::text, 4, '0'), 'Bench User ' || u, $1 || u || '@bench.example', true,
            (${arr(zones)})[1 + u % ${zones.length}]
     from generate_series(0, $2::int - 1) u`,
    [prefix, count],
  );
  await db.query(
    `insert into lists (user_id, name, is_inbox, position)
     select id, 'Inbox', true, 0 from users where id like $1 || '%'`,
    [prefix],
  );
  return Array.from({ length: count }, (_, u) => `${prefix}${String(u).padStart(4, '0')}`);
}

/**
 * Gives each user a fresh personal access token named "bench" (replacing an earlier run's: only hashes are stored,
 * so a reused database needs new tokens).
 */
export async function issueTokens(db: SqlClient, userIds: string[]): Promise<SeededUser[]> {
  const users = userIds.map((id) => ({
    id,
    token: `${tokenPrefix}${randomBytes(24).toString('base64url')}`,
  }));
  await db.query(`delete from api_tokens where name = 'bench' and user_id = any($1::text[])`, [userIds]);
  await db.query(
    `insert into api_tokens (user_id, name, token_hash, prefix)
     select u, 'bench', h, p from unnest($1::text[], $2::text[], $3::text[]) as t(u, h, p)`,
    [users.map((u) => u.id), users.map((u) => hashToken(u.token)), users.map((u) => u.token.slice(0, 8))],
  );
  return users;
}

/**
 * Inserts `perUser` tasks into the Inbox of every user whose id is in [fromUser, toUser) of `prefix`.
 * Distribution: priorities none 40 / low 20 / medium 20 / high 13 / urgent 7 %, 0–3 tags from a pool of 30,
 * ~60 % due within ±60 days (a third of those all-day), ~15 % completed, ~2 % in the trash.
 */
export async function seedTasks(
  db: SqlClient,
  prefix: string,
  perUser: number,
  fromUser: number,
  toUser: number,
): Promise<void> {
  const ids = Array.from(
    { length: toUser - fromUser },
    (_, i) => `${prefix}${String(fromUser + i).padStart(4, '0')}`,
  );
  const v = arr(verbs);
  const n = arr(nouns);
  const q = arr(qualifiers);
  const f = arr([...filler, ...nouns]);
  const t = arr(tagPool);
  // The inner query draws every random number once per row (offset 0 keeps the planner from inlining it, which
  // would re-evaluate random() at each use); the correlated subqueries reference g so they run per row too.
  await db.query(
    `insert into tasks (user_id, list_id, title, description, status, priority, tags, due_at, due_tz, due_all_day,
                        completed_at, deleted_at, created_at, updated_at)
     select s.user_id, s.list_id,
       initcap(${pick(v, verbs.length)}) || ' ' || ${pick(n, nouns.length)}
         || case when s.r_q < 0.4 then ' ' || ${pick(q, qualifiers.length)} else '' end,
       case when s.r_desc < 0.3 then '' else
         (select string_agg(${pick(f, filler.length + nouns.length)}, ' ')
          from generate_series(1, 6 + (s.g * 7) % 19) w where w > 0 and s.g > 0) end,
       case when s.r_status < 0.15 then 'completed' else 'open' end,
       case when s.r_pri < 0.40 then 0 when s.r_pri < 0.60 then 1 when s.r_pri < 0.80 then 2
            when s.r_pri < 0.93 then 3 else 4 end,
       coalesce((select array_agg(distinct ${pick(t, tagPool.length)})
                 from generate_series(1, (s.r_tags * 4)::int) k where s.g > 0), '{}'),
       case when s.r_due >= 0.6 then null
            when s.r_allday < 0.33 then ((now() + s.offset_days * interval '1 day') at time zone s.tz)::date::timestamp at time zone s.tz
            else date_trunc('minute', now() + s.offset_days * interval '1 day') end,
       case when s.r_due < 0.6 then s.tz end,
       s.r_due < 0.6 and s.r_allday < 0.33,
       case when s.r_status < 0.15 then s.created + interval '3 days' end,
       case when s.r_del < 0.02 then now() - interval '1 day' end,
       s.created, s.created
     from (
       select l.user_id, l.id as list_id, u.time_zone as tz, g,
              random() as r_q, random() as r_desc, random() as r_status, random() as r_pri, random() as r_tags,
              random() as r_due, random() as r_allday, random() as r_del,
              random() * 120 - 60 as offset_days,
              now() - random() * interval '365 days' as created
       from lists l join users u on u.id = l.user_id
       cross join generate_series(1, $2::int) g
       where l.is_inbox and l.user_id = any($1::text[])
       offset 0
     ) s`,
    [ids, perUser],
  );
}

/**
 * Drops the secondary indexes of `tasks` and returns their definitions, so a bulk load doesn't maintain them row
 * by row; `recreate` builds them again from exactly what the migrations created.
 */
export async function dropTaskIndexes(db: SqlClient): Promise<string[]> {
  const res = (await db.query(
    `select indexname, indexdef from pg_indexes
     where schemaname = 'public' and tablename = 'tasks' and indexname not in
       (select conname from pg_constraint where conrelid = 'public.tasks'::regclass)`,
  )) as { rows: { indexname: string; indexdef: string }[] };
  for (const r of res.rows) await db.query(`drop index "${r.indexname}"`);
  return res.rows.map((r) => r.indexdef);
}
