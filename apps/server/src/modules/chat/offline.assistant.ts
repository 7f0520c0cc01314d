import { isAffirmative, isNegative, quoteList } from './confirmation.ts';
import type { ChooseAction, PendingQuestion } from './conversations.store.ts';
import type { ReplyWriter } from './reply-writer.ts';

interface TaskRef {
  id: string;
  title: string;
  status: 'open' | 'completed';
  due: { local: string } | null;
  deleted_at: string | null;
}

const capabilities =
  'I can add tasks ("add call mom every sunday at 6pm"), answer questions ("what\'s due this week", "show p1 tasks tagged work", "anything overdue?"), and complete, delete, reopen, restore, reschedule ("move dentist to friday 3pm") or snooze tasks by name.';

const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1 };

/** "2", "the second", "#2" → 1-based choice; -1 for "the last"; undefined when the answer is not a number. */
function choiceIndex(text: string): number | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^(the|number|#)\s*/, '')
    .replace(/\s+one$/, '');
  if (/^\d{1,2}$/.test(t)) return Number(t);
  return ordinals[t];
}

/**
 * The assistant with no model: a deterministic reader of a few sentence shapes, built on the quick-add
 * parser (add) and the filter language (questions), that acts through the same MCP tools the model uses.
 * Task titles only ever appear quoted in its replies; nothing in a task is read as a command.
 */
export class OfflineAssistant {
  constructor(private readonly reply: ReplyWriter) {}

  /** The sentence shapes understood, tried in order (the first match wins); questions come after them. */
  private readonly intents: {
    pattern: RegExp;
    run: (m: RegExpExecArray) => Promise<PendingQuestion | null>;
  }[] = [
    { pattern: /^(?:add|create|new task:?|remind me to)\s+(.+)$/is, run: (m) => this.add(m[1]!) },
    {
      pattern: /^(?:move|reschedule|postpone|push)\s+(.+?)\s+to\s+(.+)$/i,
      run: (m) => this.target(m[1]!, 'open', { type: 'reschedule', when: m[2]! }),
    },
    {
      pattern: /^snooze\s+(.+?)(?:\s+(?:for\s+)?(\d{1,4})\s*(m|min|mins|minutes?|h|hours?))?$/i,
      run: (m) => {
        const n = m[2] ? Number(m[2]) : 10;
        const minutes = m[3] && /^h/i.test(m[3]) ? n * 60 : n;
        return this.target(m[1]!, 'open', {
          type: 'snooze',
          minutes: Math.min(Math.max(minutes, 1), 10_080),
        });
      },
    },
    {
      pattern:
        /^(?:complete|finish|done(?: with)?|check off|tick off|mark)\s+(.+?)(?:\s+as\s+(?:done|complete|completed))?$/i,
      run: (m) => this.target(m[1]!, 'open', { type: 'complete' }),
    },
    {
      pattern: /^(?:reopen|uncomplete|undo|unmark)\s+(.+)$/i,
      run: (m) => this.target(m[1]!, 'completed', { type: 'reopen' }),
    },
    { pattern: /^(?:restore|undelete|bring back)\s+(.+)$/i, run: (m) => this.restore(m[1]!) },
    {
      pattern: /^(?:delete|remove|trash|drop)\s+(.+)$/i,
      run: (m) => this.target(m[1]!, 'all', { type: 'delete' }),
    },
  ];

  /** Answers one user message; returns the question left pending for the next turn, if any. */
  async turn(text: string, pending: PendingQuestion | null): Promise<PendingQuestion | null> {
    const t = text.trim().replace(/[?.!]+$/, '');
    if (pending?.kind === 'choose') {
      const chosen = this.choose(t, pending.candidates);
      if (chosen) return this.act(pending.action, chosen);
      if (isNegative(t)) {
        this.reply.say('Okay, I left everything as it was.');
        return null;
      }
    }
    if (pending?.kind === 'confirm_delete' && isNegative(t)) {
      this.reply.say('Okay, nothing was deleted.');
      return null;
    }
    for (const intent of this.intents) {
      const m = intent.pattern.exec(t);
      if (m) return intent.run(m);
    }
    const filter = questionFilter(t);
    if (filter !== undefined) return this.ask(filter, t);
    if (pending?.kind === 'confirm_delete' && !isAffirmative(t)) {
      this.reply.say(`I did not delete anything. ${capabilities}`);
      return null;
    }
    this.reply.say(`Sorry, I can't do that without a language model configured. ${capabilities}`);
    return null;
  }

  private async add(text: string): Promise<null> {
    const r = await this.reply.tool('add_tasks', { tasks: [{ text }] });
    const task = (
      r.data?.tasks as (TaskRef & { recurrence: unknown; reminders: unknown[] })[] | undefined
    )?.[0];
    if (r.isError || !task) {
      this.reply.say(`I could not add that. ${firstLine(r.text)}`);
      return null;
    }
    const extras = [
      task.due ? `due ${task.due.local.replace('T', ' ')}` : undefined,
      task.recurrence ? 'repeating' : undefined,
      task.reminders.length ? `${task.reminders.length} reminder(s)` : undefined,
    ].filter(Boolean);
    this.reply.say(`Added ${JSON.stringify(task.title)}${extras.length ? ` (${extras.join(', ')})` : ''}.`);
    return null;
  }

  private async ask(filter: string, question: string): Promise<null> {
    const r = filter
      ? await this.reply.tool('find_tasks', { filter, limit: 20, sort: 'due,-priority' })
      : await this.reply.tool('overview', {});
    if (r.isError) {
      this.reply.say(`I could not look that up. ${firstLine(r.text)}`);
      return null;
    }
    if (!filter) {
      this.reply.say(r.text);
      return null;
    }
    const tasks = (r.data?.tasks ?? []) as TaskRef[];
    if (tasks.length === 0) {
      this.reply.say(/overdue/i.test(question) ? 'Nothing is overdue.' : 'No tasks match.');
      return null;
    }
    const lines = tasks.map(
      (x) => `- ${JSON.stringify(x.title)}${x.due ? ` — ${x.due.local.replace('T', ' ')}` : ''}`,
    );
    this.reply.say(`${tasks.length}${r.data?.next_cursor ? '+' : ''} task(s):\n${lines.join('\n')}`);
    return null;
  }

  /** Finds the task a name means, asking which one when several match. */
  private async target(name: string, status: 'open' | 'completed' | 'all', action: ChooseAction) {
    const cleaned = name
      .replace(/^(the|my)\s+/i, '')
      .replace(/^["']|["']$/g, '')
      .trim();
    const r = await this.reply.tool('find_tasks', { query: cleaned, status, limit: 10 });
    let tasks = ((r.data?.tasks ?? []) as TaskRef[]).filter((x) => !x.deleted_at);
    const exact = tasks.filter((x) => x.title.toLowerCase() === cleaned.toLowerCase());
    if (exact.length === 1) tasks = exact;
    if (tasks.length === 0) {
      this.reply.say(
        `I found no ${status === 'completed' ? 'completed ' : status === 'open' ? 'open ' : ''}task matching ${JSON.stringify(cleaned)}.`,
      );
      return null;
    }
    if (tasks.length === 1) return this.act(action, tasks[0]!);
    const candidates = tasks.slice(0, 9).map((x) => ({ id: x.id, title: x.title }));
    const lines = tasks
      .slice(0, 9)
      .map(
        (x, i) => `${i + 1}. ${JSON.stringify(x.title)}${x.due ? ` — ${x.due.local.replace('T', ' ')}` : ''}`,
      );
    this.reply.say(`Which one do you mean?\n${lines.join('\n')}\nReply with the number.`);
    return { kind: 'choose' as const, action, candidates };
  }

  private choose(text: string, candidates: { id: string; title: string }[]) {
    const k = choiceIndex(text);
    if (k !== undefined) return k === -1 ? candidates.at(-1) : candidates[k - 1];
    const lower = text.toLowerCase();
    const named = candidates.filter((c) => c.title.toLowerCase() === lower);
    return named.length === 1 ? named[0] : undefined;
  }

  private async act(
    action: ChooseAction,
    task: { id: string; title: string },
  ): Promise<PendingQuestion | null> {
    const title = JSON.stringify(task.title);
    switch (action.type) {
      case 'delete':
        // never in the same turn: the user confirms first (issue 10, safety)
        this.reply.say(`Delete ${title}? Reply "yes" to confirm.`);
        return { kind: 'confirm_delete', ids: [task.id], titles: [task.title] };
      case 'complete':
      case 'reopen': {
        const r = await this.reply.tool(action.type === 'complete' ? 'complete_tasks' : 'reopen_tasks', {
          ids: [task.id],
        });
        const ok = !r.isError && ((r.data?.tasks as unknown[]) ?? []).length === 1;
        this.reply.say(
          ok
            ? `${action.type === 'complete' ? 'Completed' : 'Reopened'} ${title}.`
            : `I could not change ${title}. ${failure(r)}`,
        );
        return null;
      }
      case 'reschedule': {
        const r = await this.reply.tool('update_tasks', { tasks: [{ id: task.id, due: action.when }] });
        const after = (r.data?.tasks as TaskRef[] | undefined)?.[0];
        this.reply.say(
          after?.due
            ? `Moved ${title} to ${after.due.local.replace('T', ' ')}.`
            : `I could not move ${title}. ${failure(r)}`,
        );
        return null;
      }
      case 'snooze': {
        const r = await this.reply.tool('snooze_reminder', { task_id: task.id, minutes: action.minutes });
        this.reply.say(
          r.isError
            ? `I could not snooze ${title}. ${firstLine(r.text)}`
            : `Snoozed ${title} for ${action.minutes} minutes.`,
        );
        return null;
      }
    }
  }

  private async restore(name: string): Promise<null> {
    const r = await this.reply.tool('find_tasks', { query: name.trim(), status: 'trash', limit: 10 });
    const tasks = (r.data?.tasks ?? []) as TaskRef[];
    if (tasks.length === 0) {
      this.reply.say(`Nothing in the trash matches ${JSON.stringify(name.trim())}.`);
      return null;
    }
    const done = await this.reply.tool('restore_tasks', { ids: tasks.map((x) => x.id) });
    this.reply.say(`Restored ${quoteList(((done.data?.tasks ?? []) as TaskRef[]).map((x) => x.title))}.`);
    return null;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function failure(r: { text: string; data?: Record<string, unknown> | undefined }): string {
  const f = (r.data?.failures as { message: string }[] | undefined)?.[0];
  return f ? f.message : firstLine(r.text);
}

/**
 * A question as a filter: "what's due this week" → `next 7 days`, "show p1 tasks tagged work" → `p1 & #work`,
 * "anything overdue?" → `overdue`. '' means "give an overview"; undefined means "not a question".
 */
export function questionFilter(text: string): string | undefined {
  const t = text.toLowerCase();
  if (
    !/^(what|which|show|list|anything|any|do i|is there|are there|what's|whats|how|tell me|my tasks|tasks)\b/.test(
      t,
    )
  )
    return undefined;
  const terms: string[] = [];
  if (/\boverdue\b|\blate\b/.test(t)) terms.push('overdue');
  if (/\btoday\b/.test(t)) terms.push('today');
  else if (/\btomorrow\b/.test(t)) terms.push('tomorrow');
  else if (/\b(this|next) week\b/.test(t)) terms.push('next 7 days');
  for (const m of t.matchAll(/\bp([1-4])\b/g)) terms.push(`p${m[1]}`);
  if (/\b(urgent)\b/.test(t)) terms.push('p1');
  for (const m of t.matchAll(/(?:tagged|tag)\s+#?([\p{L}\p{N}_-]+)|#([\p{L}\p{N}_-]+)/gu))
    terms.push(`#${m[1] ?? m[2]}`);
  for (const m of t.matchAll(/\bin (?:list |my )?(?:"([^"]+)"|([\p{L}\p{N}_-]+) list)/gu))
    terms.push(`+${JSON.stringify(m[1] ?? m[2])}`);
  if (/\b(completed|done|finished)\b/.test(t)) terms.push('completed');
  return terms.join(' & ');
}
