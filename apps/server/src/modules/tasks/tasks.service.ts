import { randomUUID } from 'node:crypto';
import {
  assertTimeZone,
  DomainError,
  localDateTime,
  normalizeTags,
  parseDateTimeInZone,
  priorityRank,
} from '@taskstream/core';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db, Executor, Tx } from '../../infra/db/db.ts';
import { violatedForeignKey } from '../../infra/db/pg-errors.ts';
import { lists, tasks } from '../../infra/db/schema.ts';
import type { NewEvent } from '../../infra/events/cloud-event.ts';
import { appendEvents } from '../../infra/events/outbox.ts';
import type { AuthUser } from '../../plugins/authenticate.ts';
import { InboxIds } from '../lists/inbox-ids.ts';
import { validateRecurrence } from '../recurring/recurrence.input.ts';
import { normalizeReminderSpecs } from '../reminders/reminder-time.ts';
import { defaultReminderSpecs } from '../reminders/reminders.sync.ts';
import { type TaskDto, type TaskRow, toTaskDto } from './tasks.presenter.ts';
import {
  afterCursor,
  decodeCursor,
  dueDeadline,
  encodeCursor,
  orderBy,
  parsePriorities,
  parseQueryDate,
  type SearchMode,
  searchPlan,
  sortSignature,
  sortTermsFor,
} from './tasks.query.ts';
import { findTask, statusCondition, taskColumns, updateTaskRow } from './tasks.repository.ts';
import type { CreateTaskBody, ListTasksQuery, UpdateTaskBody } from './tasks.schemas.ts';

export type TaskEventType =
  | 'task.created'
  | 'task.updated'
  | 'task.completed'
  | 'task.reopened'
  | 'task.deleted'
  | 'task.restored';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Payload of every `task-events` event: the task after the change, what changed, and who changed it. */
export interface TaskEventPayload {
  task: TaskDto;
  changes: FieldChange[];
  client: AuthUser['client'];
}

/** Payload of `task.state_changed` on `task-updates`: the task-events payload plus the event that caused it. */
export interface TaskStateChangedPayload extends TaskEventPayload {
  cause: TaskEventType;
}

/** What a request passes into a write: the caller and the trace to carry into its events. */
export interface WriteContext {
  user: AuthUser;
  traceparent: string;
}

/** Hooks other modules attach to task writes, run inside the write's transaction (reminders, recurrence). */
export type TaskWriteHook = (
  tx: Tx,
  event: { type: TaskEventType; before: TaskRow | null; after: TaskRow; at: Date },
) => Promise<void>;

interface DueFields {
  dueAt: Date | null;
  dueTz: string | null;
  dueAllDay: boolean;
}

export class TasksService {
  private readonly hooks: TaskWriteHook[] = [];
  private readonly inboxIds = new InboxIds();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outboxWritten: () => void,
  ) {}

  /** The service's "now", so a route resolves a filter's dates against the same clock the listing uses. */
  now(): Date {
    return this.clock.now();
  }

  /** Registers a hook that runs in every task write's transaction. */
  onWrite(hook: TaskWriteHook): void {
    this.hooks.push(hook);
  }

  async create(ctx: WriteContext, body: CreateTaskBody): Promise<TaskDto> {
    const at = this.clock.now();
    const due = this.resolveDue(body.due, ctx.user);
    const tags = normalizeTags(body.tags ?? []);
    const recurrence = body.recurrence ? validateRecurrence(body.recurrence, due) : null;
    const insert = () =>
      this.db.transaction(async (tx) => {
        const listId = body.list_id
          ? await this.ownedList(tx, ctx.user.id, body.list_id)
          : await this.inboxIds.get(tx, ctx.user.id);
        // no `reminders` in the body = the user's default reminder; `reminders: []` = none
        const reminderSpecs =
          body.reminders !== undefined
            ? normalizeReminderSpecs(body.reminders, due.dueTz ?? ctx.user.timeZone)
            : defaultReminderSpecs(ctx.user.id, due);
        const [created] = await tx
          .insert(tasks)
          .values({
            userId: ctx.user.id,
            listId,
            title: body.title,
            description: body.description ?? '',
            priority: priorityRank(body.priority ?? 'none'),
            tags,
            ...due,
            reminderSpecs,
            ...(recurrence
              ? {
                  recurrence: recurrence.rrule,
                  recurrenceMode: recurrence.mode,
                  recurrenceAnchor: due.dueAt,
                  seriesId: randomUUID(),
                  occurrence: 0,
                }
              : {}),
            createdAt: at,
            updatedAt: at,
          })
          .returning(taskColumns);
        await this.afterWrite(tx, ctx, 'task.created', null, created!, at);
        return created!;
      });
    let row: TaskRow;
    try {
      row = await insert();
    } catch (err) {
      if (body.list_id || violatedForeignKey(err) !== 'tasks_list_id_lists_id_fk')
        throw refusedReference(err);
      // the remembered Inbox is gone with its database or its user (see InboxIds): look it up again, once
      this.inboxIds.forget(ctx.user.id);
      row = await insert().catch((retryErr: unknown) => {
        throw refusedReference(retryErr);
      });
    }
    this.outboxWritten();
    return toTaskDto(row);
  }

  async get(user: AuthUser, id: string): Promise<TaskDto> {
    const row = await findTask(this.db, user.id, id);
    if (!row) throw new DomainError('TASK_NOT_FOUND');
    return toTaskDto(row);
  }

  async update(ctx: WriteContext, id: string, body: UpdateTaskBody, ifMatch?: number): Promise<TaskDto> {
    return this.write(ctx, id, ifMatch, async (tx, row) => {
      if (row.deletedAt) throw new DomainError('TASK_NOT_FOUND', 'Task is in the trash; restore it first');
      const set: Partial<typeof tasks.$inferInsert> = {};
      if (body.title !== undefined) set.title = body.title;
      if (body.description !== undefined) set.description = body.description;
      if (body.priority !== undefined) set.priority = priorityRank(body.priority);
      if (body.tags !== undefined) set.tags = normalizeTags(body.tags);
      if (body.list_id !== undefined) set.listId = await this.ownedList(tx, ctx.user.id, body.list_id);
      if (body.due !== undefined) Object.assign(set, this.resolveDue(body.due, ctx.user));
      const due = {
        dueAt: set.dueAt !== undefined ? set.dueAt : row.dueAt,
        dueTz: set.dueTz !== undefined ? set.dueTz : row.dueTz,
        dueAllDay: set.dueAllDay ?? row.dueAllDay,
      };
      if (body.reminders !== undefined) {
        set.reminderSpecs = normalizeReminderSpecs(body.reminders, due.dueTz ?? ctx.user.timeZone);
      }
      if (body.recurrence === null) {
        // series_id and occurrence stay: the task keeps its place in the series' history
        Object.assign(set, { recurrence: null, recurrenceMode: null, recurrenceAnchor: null });
      } else if (body.recurrence !== undefined || (row.recurrence && body.due !== undefined)) {
        const rule = validateRecurrence(
          body.recurrence ?? { rrule: row.recurrence!, mode: row.recurrenceMode ?? 'due' },
          due,
        );
        // editing the rule or the due date re-anchors the series at this occurrence's (new) due date
        Object.assign(set, {
          recurrence: rule.rrule,
          recurrenceMode: rule.mode,
          recurrenceAnchor: due.dueAt,
        });
        if (!row.seriesId) Object.assign(set, { seriesId: randomUUID(), occurrence: 0 });
      }
      return { type: 'task.updated', set };
    });
  }

  async complete(ctx: WriteContext, id: string, ifMatch?: number): Promise<TaskDto> {
    return this.write(ctx, id, ifMatch, async (_tx, row, at) => {
      if (row.deletedAt) throw new DomainError('TASK_NOT_FOUND', 'Task is in the trash; restore it first');
      if (row.status === 'completed') return null;
      return { type: 'task.completed', set: { status: 'completed', completedAt: at } };
    });
  }

  async reopen(ctx: WriteContext, id: string, ifMatch?: number): Promise<TaskDto> {
    return this.write(ctx, id, ifMatch, async (_tx, row) => {
      if (row.deletedAt) throw new DomainError('TASK_NOT_FOUND', 'Task is in the trash; restore it first');
      if (row.status === 'open') return null;
      return { type: 'task.reopened', set: { status: 'open', completedAt: null } };
    });
  }

  async remove(ctx: WriteContext, id: string, ifMatch?: number): Promise<void> {
    await this.write(ctx, id, ifMatch, async (_tx, row, at) =>
      row.deletedAt ? null : { type: 'task.deleted', set: { deletedAt: at } },
    );
  }

  async restore(ctx: WriteContext, id: string, ifMatch?: number): Promise<TaskDto> {
    return this.write(ctx, id, ifMatch, async (_tx, row) =>
      row.deletedAt ? { type: 'task.restored', set: { deletedAt: null } } : null,
    );
  }

  async list(
    user: AuthUser,
    query: ListTasksQuery,
    extraFilter?: SQL,
  ): Promise<{ items: TaskDto[]; next_cursor: string | null }> {
    const sig = sortSignature(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, sig) : undefined;
    const conditions = this.listConditions(user, query);
    if (extraFilter) conditions.push(extraFilter);
    const run = async (mode: SearchMode) => {
      const plan = query.q ? searchPlan(query.q, mode) : null;
      const terms = sortTermsFor(query, plan);
      const where = [...conditions];
      if (plan) where.push(plan.match);
      if (cursor) where.push(afterCursor(terms, cursor.values));
      const keys = sql.join(
        terms.map((t) => sql`(${t.expr})::text`),
        sql`, `,
      );
      const select = (db: Executor) =>
        db
          .select({ ...taskColumns, sortKeys: sql<(string | null)[]>`array[${keys}]` })
          .from(tasks)
          .where(and(...where))
          .orderBy(...orderBy(terms))
          .limit(query.limit + 1);
      if (mode !== 'fuzzy') return { rows: await select(this.db), mode };
      // the default word-similarity threshold (0.6) misses one-letter typos in longer words
      const rows = await this.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`);
        return select(tx);
      });
      return { rows, mode };
    };
    // Whole words first: an exact word reads only this user's entries of the (user_id, search) index, where a
    // prefix makes PostgreSQL collect every user's matches of it (a common word at 1,000,000 tasks: 5 ms
    // against 44 ms). When whole words don't fill a page, the prefix (a superset) finds what is being typed.
    let result = await run(cursor?.mode ?? 'exact');
    if (
      query.q &&
      !cursor &&
      result.mode === 'exact' &&
      result.rows.length <= query.limit &&
      searchPlan(query.q, 'fts')?.prefix
    ) {
      result = await run('fts');
    }
    // typo tolerance: when full text finds nothing, fall back to trigram similarity on titles
    if (query.q && !cursor && result.rows.length === 0) result = await run('fuzzy');
    const page = result.rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next_cursor =
      result.rows.length > query.limit && last
        ? encodeCursor({ sig, values: last.sortKeys, ...(query.q ? { mode: result.mode } : {}) })
        : null;
    return { items: page.map(({ sortKeys: _k, ...row }) => toTaskDto(row)), next_cursor };
  }

  private listConditions(user: AuthUser, query: ListTasksQuery): SQL[] {
    const now = this.clock.now();
    const where: SQL[] = [eq(tasks.userId, user.id), statusCondition(query.status)];
    const ranks = parsePriorities(query.priority);
    if (ranks)
      where.push(
        sql`${tasks.priority} in (${sql.join(
          ranks.map((r) => sql`${r}`),
          sql`, `,
        )})`,
      );
    const tagValues = query.tag === undefined ? [] : Array.isArray(query.tag) ? query.tag : [query.tag];
    if (tagValues.length) {
      const tags = normalizeTags(tagValues.flatMap((t) => t.split(',')).filter((t) => t.trim()));
      const arr = sql`array[${sql.join(
        tags.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`;
      where.push(query.tag_mode === 'all' ? sql`${tasks.tags} @> ${arr}` : sql`${tasks.tags} && ${arr}`);
    }
    if (query.list_id) where.push(eq(tasks.listId, query.list_id));
    const before = parseQueryDate(query.due_before, user.timeZone, 'due_before');
    if (before) where.push(sql`${tasks.dueAt} < ${before.toISOString()}::timestamptz`);
    const after = parseQueryDate(query.due_after, user.timeZone, 'due_after');
    if (after) where.push(sql`${tasks.dueAt} > ${after.toISOString()}::timestamptz`);
    if (query.overdue === 'true') {
      where.push(
        sql`${tasks.status} = 'open' and ${tasks.dueAt} is not null and ${dueDeadline} <= ${now.toISOString()}::timestamptz`,
      );
    } else if (query.overdue === 'false') {
      where.push(sql`(${tasks.dueAt} is null or ${dueDeadline} > ${now.toISOString()}::timestamptz)`);
    }
    if (query.has_due === 'true') where.push(sql`${tasks.dueAt} is not null`);
    if (query.has_due === 'false') where.push(sql`${tasks.dueAt} is null`);
    return where;
  }

  /**
   * Runs one change to a task in a transaction: locks the row, checks `If-Match`, applies the change,
   * bumps the version and appends the event. A change that returns null is a no-op (no event, no bump).
   */
  async write(
    ctx: WriteContext,
    id: string,
    ifMatch: number | undefined,
    change: (
      tx: Tx,
      row: TaskRow,
      at: Date,
    ) => Promise<{ type: TaskEventType; set: Partial<typeof tasks.$inferInsert> } | null>,
  ): Promise<TaskDto> {
    const at = this.clock.now();
    let wrote = false;
    const write = this.db.transaction(async (tx) => {
      const current = await findTask(tx, ctx.user.id, id, { forUpdate: true });
      if (!current) throw new DomainError('TASK_NOT_FOUND');
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new DomainError('VERSION_MISMATCH', `The task is at version ${current.version}`, {
          current_version: current.version,
        });
      }
      const planned = await change(tx, current, at);
      if (!planned) return current;
      const updated = await updateTaskRow(tx, current, planned.set, at);
      await this.afterWrite(tx, ctx, planned.type, current, updated, at);
      wrote = true;
      return updated;
    });
    const row = await write.catch((err: unknown) => {
      throw refusedReference(err);
    });
    if (wrote) this.outboxWritten();
    return toTaskDto(row);
  }

  /**
   * Deletes one of the user's lists (never the Inbox) and moves its tasks, trashed ones included, to the
   * Inbox as ordinary changes: each moved task gets its version bump and its `task.updated` events, so other
   * open clients and the activity log see the move. The list row is locked first, so a create or move into
   * the list that runs meanwhile either commits before (and its task is moved too) or fails its foreign key
   * after the delete and answers LIST_NOT_FOUND.
   */
  async deleteList(ctx: WriteContext, listId: string): Promise<void> {
    const at = this.clock.now();
    const owner = and(eq(lists.id, listId), eq(lists.userId, ctx.user.id));
    const moved = await this.db.transaction(async (tx) => {
      const [list] = await tx.select({ isInbox: lists.isInbox }).from(lists).where(owner).for('update');
      if (!list) throw new DomainError('LIST_NOT_FOUND');
      if (list.isInbox) throw new DomainError('INBOX_NOT_DELETABLE');
      const inbox = await this.inboxIds.get(tx, ctx.user.id);
      const rows = await tx
        .select(taskColumns)
        .from(tasks)
        .where(and(eq(tasks.listId, listId), eq(tasks.userId, ctx.user.id)))
        .orderBy(tasks.id)
        .for('update');
      for (const row of rows) {
        const updated = await updateTaskRow(tx, row, { listId: inbox }, at);
        await this.afterWrite(tx, ctx, 'task.updated', row, updated, at);
      }
      await tx.delete(lists).where(owner);
      return rows.length;
    });
    if (moved > 0) this.outboxWritten();
  }

  /**
   * Inserts a task row prepared by another module inside that module's transaction (the recurring role's
   * next occurrence), running the write hooks and appending `task.created` like `create`. Returns null,
   * writing nothing, when the row's (series_id, occurrence) already exists.
   */
  async insertInTransaction(
    tx: Tx,
    ctx: WriteContext,
    values: typeof tasks.$inferInsert,
    at: Date,
  ): Promise<TaskRow | null> {
    const [created] = await tx
      .insert(tasks)
      .values({ ...values, createdAt: at, updatedAt: at })
      .onConflictDoNothing({ target: [tasks.seriesId, tasks.occurrence] })
      .returning(taskColumns);
    if (!created) return null;
    await this.afterWrite(tx, ctx, 'task.created', null, created, at);
    return created;
  }

  private async afterWrite(
    tx: Tx,
    ctx: WriteContext,
    type: TaskEventType,
    before: TaskRow | null,
    after: TaskRow,
    at: Date,
  ) {
    for (const hook of this.hooks) await hook(tx, { type, before, after, at });
    const dto = toTaskDto(after);
    const payload: TaskEventPayload = {
      task: dto,
      changes: before ? diffTasks(toTaskDto(before), dto) : [],
      client: ctx.user.client,
    };
    const event: NewEvent<TaskEventPayload> = {
      topic: 'task-events',
      type,
      userId: ctx.user.id,
      subject: after.id,
      payload,
    };
    // what live clients need, committed with the change itself so a socket never sees a rolled-back state
    const live: NewEvent<TaskStateChangedPayload> = {
      topic: 'task-updates',
      type: 'task.state_changed',
      userId: ctx.user.id,
      subject: after.id,
      payload: { ...payload, cause: type },
    };
    await appendEvents(tx, { at, traceparent: ctx.traceparent, source: 'taskstream/api' }, [event, live]);
  }

  private async ownedList(db: Executor, userId: string, listId: string): Promise<string> {
    const [row] = await db
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.id, listId), eq(lists.userId, userId)))
      .limit(1);
    if (!row)
      throw new DomainError('LIST_NOT_FOUND', 'List not found', [
        { path: 'body.list_id', message: 'no such list' },
      ]);
    return row.id;
  }

  private resolveDue(due: CreateTaskBody['due'], user: AuthUser): DueFields {
    if (!due) return { dueAt: null, dueTz: null, dueAllDay: false };
    const tz = assertTimeZone(due.tz ?? user.timeZone, 'body.due.tz');
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(due.at.trim());
    const allDay = due.all_day ?? dateOnly;
    let at = parseDateTimeInZone(due.at, tz);
    // an all-day task is anchored at the start of its local day
    if (at && allDay) at = parseDateTimeInZone(localDateTime(at, tz).slice(0, 10), tz);
    if (!at) {
      throw new DomainError('VALIDATION_FAILED', 'Invalid due date', [
        { path: 'body.due.at', message: 'must be an ISO 8601 instant or a local date / date-time' },
      ]);
    }
    return { dueAt: at, dueTz: tz, dueAllDay: allDay };
  }
}

/**
 * A create refused because the account went away while the request ran (its lists and tasks go with it):
 * the task's or the new Inbox's foreign key to the user fails. That is the caller's lost credential, not a
 * server fault. Any other error is returned as it is.
 */
function refusedReference(err: unknown): unknown {
  const fk = violatedForeignKey(err);
  if (fk === 'tasks_user_id_users_id_fk' || fk === 'lists_user_id_users_id_fk') {
    return new DomainError('UNAUTHENTICATED', 'The account no longer exists');
  }
  // the list was deleted between the ownership check and the write (deleteList locks it meanwhile)
  if (fk === 'tasks_list_id_lists_id_fk') {
    return new DomainError('LIST_NOT_FOUND', 'List not found', [
      { path: 'body.list_id', message: 'no such list' },
    ]);
  }
  return err;
}

const diffedFields: (keyof TaskDto)[] = [
  'title',
  'description',
  'status',
  'priority',
  'tags',
  'list_id',
  'due',
  'recurrence',
  'reminders',
  'completed_at',
  'deleted_at',
];

export function diffTasks(before: TaskDto, after: TaskDto): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of diffedFields) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes.push({ field, before: before[field], after: after[field] });
    }
  }
  return changes;
}
