import { DomainError } from '@taskstream/core';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../infra/db/db.ts';
import { auditLog, tasks } from '../../infra/db/schema.ts';
import type { ActivityItem, FieldChangeDto } from './audit.schemas.ts';

/** A task's history is capped: far beyond what a person reads, and it keeps the response bounded. */
export const historyLimit = 1_000;

type AuditRow = typeof auditLog.$inferSelect;

function toItem(row: AuditRow): ActivityItem {
  const data = row.data as { task?: { id: string; title: string } };
  return {
    event_id: row.eventId,
    type: row.type,
    task: data.task ?? (row.taskId ? { id: row.taskId, title: '' } : null),
    changes: row.changes as FieldChangeDto[],
    client: (row.client as ActivityItem['client']) ?? null,
    at: row.at.toISOString(),
  };
}

/** A task's changes, oldest first (log order = event order: one user's events are consumed in order). */
export async function taskHistory(
  db: Db,
  userId: string,
  taskId: string,
): Promise<{ items: ActivityItem[] }> {
  const [task] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.userId, userId)))
    .limit(1);
  if (!task) throw new DomainError('TASK_NOT_FOUND');
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.taskId, taskId)))
    .orderBy(asc(auditLog.id))
    .limit(historyLimit);
  return { items: rows.map(toItem) };
}

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof v.id === 'number' && Number.isSafeInteger(v.id) && v.id > 0) return v.id;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('INVALID_CURSOR');
}

/** The user's activity feed, newest first, keyset-paginated on the log id. */
export async function activityFeed(
  db: Db,
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ActivityItem[]; next_cursor: string | null }> {
  const where = [eq(auditLog.userId, userId)];
  if (page.cursor) where.push(lt(auditLog.id, decodeCursor(page.cursor)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toItem),
    next_cursor: rows.length > page.limit && last ? encodeCursor(last.id) : null,
  };
}
