import type { PendingQuestion } from './conversations.store.ts';
import type { ToolCaller } from './mcp-connection.ts';
import type { ReplyWriter } from './reply-writer.ts';

/** "yes", "ok", "delete them", … — what counts as confirming a pending deletion; nothing else does. */
export function isAffirmative(text: string): boolean {
  return /^(y|yes|yep|yeah|sure|ok|okay|confirm(ed)?|do it|go ahead|please do|delete (it|them|both|all))\s*[.!]*$/i.test(
    text.trim(),
  );
}

export function isNegative(text: string): boolean {
  return /^(n|no|nope|cancel|stop|never ?mind|don'?t|keep (it|them))\s*[.!]*$/i.test(text.trim());
}

export function quoteList(titles: string[]): string {
  const quoted = titles.map((t) => JSON.stringify(t));
  return quoted.length <= 5
    ? quoted.join(', ')
    : `${quoted.slice(0, 5).join(', ')} and ${quoted.length - 5} more`;
}

/**
 * What a deletion asked for in chat becomes: the tasks it would delete, resolved now (so the question can
 * name them and a filter cannot match other tasks by the time the user answers), held until a yes.
 */
export async function pendingDeletion(
  tools: ToolCaller,
  args: { ids?: unknown; filter?: unknown },
): Promise<Extract<PendingQuestion, { kind: 'confirm_delete' }> | null> {
  const found: { id: string; title: string }[] = [];
  if (Array.isArray(args.ids)) {
    for (const id of args.ids.slice(0, 50)) {
      const r = await tools.call('get_task', { id: String(id) });
      const task = r.data?.task as { id: string; title: string } | undefined;
      if (!r.isError && task) found.push({ id: task.id, title: task.title });
    }
  } else if (typeof args.filter === 'string' && args.filter.trim()) {
    const r = await tools.call('find_tasks', { filter: args.filter, status: 'all', limit: 50 });
    for (const t of (r.data?.tasks ?? []) as { id: string; title: string; deleted_at: string | null }[]) {
      if (!t.deleted_at) found.push({ id: t.id, title: t.title });
    }
  }
  if (found.length === 0) return null;
  return { kind: 'confirm_delete', ids: found.map((t) => t.id), titles: found.map((t) => t.title) };
}

/** The turn after a yes: the deletion runs through the same tool, and says how to undo it. */
export async function runConfirmedDeletion(
  pending: Extract<PendingQuestion, { kind: 'confirm_delete' }>,
  reply: ReplyWriter,
): Promise<void> {
  const result = await reply.tool('delete_tasks', { ids: pending.ids });
  const deleted = ((result.data?.tasks ?? []) as { title: string }[]).map((t) => t.title);
  if (result.isError || deleted.length === 0) {
    reply.say('Nothing was deleted: those tasks are gone or changed meanwhile.');
    return;
  }
  reply.say(`Deleted ${quoteList(deleted)}. They are in the trash if you want them back ("restore …").`);
}
