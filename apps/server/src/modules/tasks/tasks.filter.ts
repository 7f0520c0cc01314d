import {
  addCalendarDays,
  type FilterDateValue,
  type FilterNode,
  filterMentionsStatus,
  localDateOf,
  parseFilter,
  startOfLocalDay,
} from '@taskstream/core';
import { type SQL, sql } from 'drizzle-orm';
import { tasks } from '../../infra/db/schema.ts';
import type { AuthUser } from '../../plugins/authenticate.ts';
import { dueDeadline, searchPlan } from './tasks.query.ts';
import type { ListTasksQuery } from './tasks.schemas.ts';

/** What a compiled filter is evaluated against: whose tasks, when, and in which zone days are counted. */
export interface FilterContext {
  userId: string;
  now: Date;
  timeZone: string;
}

const minute = 60_000;

/** `LIKE` pattern for wildcard pieces; `\` is PostgreSQL's default LIKE escape. */
function likePattern(pieces: readonly string[]): string {
  return pieces.map((p) => p.replace(/[\\%_]/g, (c) => `\\${c}`)).join('%');
}

function instant(d: Date | string): SQL {
  return sql`${typeof d === 'string' ? d : d.toISOString()}::timestamptz`;
}

/**
 * Due date within local days [from, to) — either bound may be open. An all-day task is compared by its
 * calendar date in its own zone; a timed task by its instant against the user's day boundaries.
 */
function dueDays(from: string | null, to: string | null, ctx: FilterContext): SQL {
  const localDate = sql`(${tasks.dueAt} at time zone coalesce(${tasks.dueTz}, 'UTC'))::date`;
  const allDay: SQL[] = [];
  const timed: SQL[] = [];
  if (from !== null) {
    allDay.push(sql`${localDate} >= ${from}::date`);
    timed.push(sql`${tasks.dueAt} >= ${instant(startOfLocalDay(from, ctx.timeZone))}`);
  }
  if (to !== null) {
    allDay.push(sql`${localDate} < ${to}::date`);
    timed.push(sql`${tasks.dueAt} < ${instant(startOfLocalDay(to, ctx.timeZone))}`);
  }
  return sql`(${tasks.dueAt} is not null and case when ${tasks.dueAllDay} then (${sql.join(allDay, sql` and `)}) else (${sql.join(timed, sql` and `)}) end)`;
}

/**
 * Due date against an instant. A timed task compares its instant; an all-day task has no time of day, so
 * it compares its date with the instant's local date: due all day today is not "before today 10am".
 */
function dueAtInstant(op: 'before' | 'after' | 'on', at: Date, ctx: FilterContext): SQL {
  const day = localDateOf(at, ctx.timeZone);
  const localDate = sql`(${tasks.dueAt} at time zone coalesce(${tasks.dueTz}, 'UTC'))::date`;
  const cmp = sql.raw(op === 'before' ? '<' : op === 'after' ? '>' : '=');
  const timed =
    op === 'before'
      ? sql`${tasks.dueAt} < ${instant(at)}`
      : op === 'after'
        ? sql`${tasks.dueAt} > ${instant(at)}`
        : sql`${tasks.dueAt} >= ${instant(at)} and ${tasks.dueAt} < ${instant(new Date(at.getTime() + minute))}`;
  return sql`(${tasks.dueAt} is not null and case when ${tasks.dueAllDay} then ${localDate} ${cmp} ${day}::date else (${timed}) end)`;
}

/** An instant column within [from, to); a null column never matches (so `!` of it does). */
function between(column: SQL, from: Date | string | null, to: Date | string | null): SQL {
  const parts: SQL[] = [sql`${column} is not null`];
  if (from !== null) parts.push(sql`${column} >= ${instant(from)}`);
  if (to !== null) parts.push(sql`${column} < ${instant(to)}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}

function dateCondition(
  field: 'due' | 'created' | 'completed',
  op: 'before' | 'after' | 'on',
  value: FilterDateValue,
  ctx: FilterContext,
): SQL {
  if (value.kind === 'instant') {
    // a phrase with a time ("friday 5pm") compares instants; "on" means within that minute
    const at = new Date(value.at);
    if (field === 'due') return dueAtInstant(op, at, ctx);
    const column = field === 'created' ? sql`${tasks.createdAt}` : sql`${tasks.completedAt}`;
    if (op === 'before') return between(column, null, at);
    if (op === 'after') return sql`(${column} is not null and ${column} > ${instant(at)})`;
    return between(column, at, new Date(at.getTime() + minute));
  }
  const from = op === 'before' ? null : op === 'after' ? addCalendarDays(value.date, 1) : value.date;
  const to = op === 'before' ? value.date : op === 'after' ? null : addCalendarDays(value.date, 1);
  if (field === 'due') return dueDays(from, to, ctx);
  const column = field === 'created' ? sql`${tasks.createdAt}` : sql`${tasks.completedAt}`;
  return between(
    column,
    from === null ? null : startOfLocalDay(from, ctx.timeZone),
    to === null ? null : startOfLocalDay(to, ctx.timeZone),
  );
}

/**
 * Compiles a filter tree to one SQL condition on `tasks`. Every value from the filter is a bound
 * parameter; only fixed SQL text comes from here. Each term yields true or false, never NULL, so that
 * `!` is the exact complement of its operand.
 */
export function compileFilter(node: FilterNode, ctx: FilterContext): SQL {
  switch (node.type) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        node.operands.map((n) => compileFilter(n, ctx)),
        node.type === 'and' ? sql` and ` : sql` or `,
      )})`;
    case 'not':
      return sql`(not ${compileFilter(node.operand, ctx)})`;
    case 'priority':
      return sql`(${tasks.priority} = ${node.rank})`;
    case 'tag':
      return node.pattern
        ? sql`exists (select 1 from unnest(${tasks.tags}) as tag(name) where tag.name like ${likePattern(node.pattern)})`
        : sql`(${tasks.tags} @> array[${node.name}]::text[])`;
    case 'list': {
      // scoped to the caller's lists: another user's list of the same name matches nothing. The alias is
      // written out because Drizzle may print bare column names inside a subquery.
      const name = node.pattern
        ? sql`lower(l.name) like lower(${likePattern(node.pattern)})`
        : sql`lower(l.name) = lower(${node.name})`;
      return sql`(${tasks.listId} in (select l.id from lists l where l.user_id = ${ctx.userId} and ${name}))`;
    }
    case 'search': {
      const plan = searchPlan(node.text, 'fts');
      return plan ? sql`(${plan.match})` : sql`false`;
    }
    case 'status':
      return sql`(${tasks.status} = ${node.status})`;
    case 'overdue':
      return sql`(${tasks.status} = 'open' and ${tasks.dueAt} is not null and ${dueDeadline} <= ${instant(ctx.now)})`;
    case 'noDate':
      return sql`(${tasks.dueAt} is null)`;
    case 'recurring':
      return sql`(${tasks.recurrence} is not null)`;
    case 'date':
      return dateCondition(node.field, node.op, node.value, ctx);
    case 'dueWithin':
      return dueDays(node.from, node.to, ctx);
  }
}

/**
 * The `filter` parameter of `GET /tasks` as a condition, and the query to list with. A filter that names a
 * completion state (`completed`, `open`, `completed after: …`) decides the status itself: the default
 * `status=open` is widened to every non-trashed task unless the request gave `status` explicitly, so
 * `?filter=completed` lists completed tasks, as Todoist shows completed tasks only when asked.
 */
export function taskListFilter(
  query: ListTasksQuery,
  user: AuthUser,
  now: Date,
  statusGiven: boolean,
): { query: ListTasksQuery; condition?: SQL } {
  const text = query.filter;
  if (text === undefined || !text.trim()) return { query };
  const ast = parseFilter(text, { now, timeZone: user.timeZone });
  const condition = compileFilter(ast, { userId: user.id, now, timeZone: user.timeZone });
  const widened = !statusGiven && filterMentionsStatus(ast) ? { ...query, status: 'all' as const } : query;
  return { query: widened, condition };
}
