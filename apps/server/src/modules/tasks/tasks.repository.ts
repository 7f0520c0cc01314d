import { and, eq, getTableColumns, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../infra/db/db.ts';
import { tasks } from '../../infra/db/schema.ts';
import type { TaskRow } from './tasks.presenter.ts';

const { search: _search, ...columns } = getTableColumns(tasks);
/** Every task column but the search vector, which is large and never returned. */
export const taskColumns = columns;

/** A task of this user (trashed included), optionally locked for update. */
export async function findTask(
  db: Executor,
  userId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<TaskRow | undefined> {
  const q = db
    .select(taskColumns)
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .limit(1);
  const rows = opts.forUpdate ? await q.for('update') : await q;
  return rows[0];
}

export async function updateTaskRow(
  db: Executor,
  row: TaskRow,
  set: Partial<typeof tasks.$inferInsert>,
  at: Date,
): Promise<TaskRow> {
  const [updated] = await db
    .update(tasks)
    .set({ ...set, updatedAt: at, version: row.version + 1 })
    .where(and(eq(tasks.id, row.id), eq(tasks.userId, row.userId)))
    .returning(taskColumns);
  return updated!;
}

export function statusCondition(status: 'open' | 'completed' | 'trash' | 'all'): SQL {
  switch (status) {
    case 'open':
      return and(eq(tasks.status, 'open'), isNull(tasks.deletedAt))!;
    case 'completed':
      return and(eq(tasks.status, 'completed'), isNull(tasks.deletedAt))!;
    case 'trash':
      return isNotNull(tasks.deletedAt);
    case 'all':
      return isNull(tasks.deletedAt);
  }
}
