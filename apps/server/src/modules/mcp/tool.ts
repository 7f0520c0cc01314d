import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { TaskDto } from '../tasks/tasks.presenter.ts';
import { ApiError, type TaskstreamApi } from './taskstream-api.ts';

export interface ToolContext {
  api: TaskstreamApi;
}

/** The MCP behaviour hints, set truthfully per tool (a test checks every one). */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
}

/** What a tool answers: a short text for people and models, and the data, which matches `output`. */
export interface ToolAnswer<O> {
  text: string;
  data: O;
}

/**
 * One workflow tool: zod input and output shapes, hints, and a handler that reaches data only through the
 * API. The same definition serves the MCP server (HTTP and stdio) and, through it, the chat.
 */
export interface ToolDefinition<
  I extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  hints: ToolHints;
  run(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<ToolAnswer<z.infer<z.ZodObject<O>>>>;
}

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return def;
}

/** A request the tool refuses on its own (e.g. a bulk change without criteria), with the next step. */
export class ToolRefusal extends Error {
  override name = 'ToolRefusal';
  constructor(
    message: string,
    readonly next: string,
  ) {
    super(message);
  }
}

/** What to do after an API error, by code: the model (or person) gets a next step, not just a failure. */
function nextStepFor(err: ApiError): string {
  switch (err.code) {
    case 'TASK_NOT_FOUND':
    case 'NOT_FOUND':
      return 'Use find_tasks to look up the task id; ids from another account are not visible.';
    case 'INVALID_FILTER':
      return 'Fix the filter (e.g. "today | overdue", "p1 & #work", "due before: friday") or use query for words.';
    case 'VALIDATION_FAILED':
      return 'Correct the fields named in the details and call the tool again.';
    case 'VERSION_MISMATCH':
      return 'The task changed meanwhile: get_task, then retry with the current state.';
    case 'INVALID_STATE':
      return 'Check the task status with get_task (e.g. reopen only completed tasks).';
    case 'NOT_RECURRING':
      return 'skip_occurrence works on recurring tasks only; use update_tasks to move a one-off task.';
    case 'UNAUTHENTICATED':
      return 'The token was refused: check TASKSTREAM_TOKEN (a personal access token, tsk_…).';
    case 'RATE_LIMITED':
      return 'Wait a minute before calling again.';
    default:
      return 'Try again, or check the arguments.';
  }
}

/** An error as a tool result (`isError`), so the model can read it and recover. */
export function errorResult(err: unknown): CallToolResult {
  if (err instanceof ToolRefusal) {
    return { isError: true, content: [{ type: 'text', text: `Refused: ${err.message}\nNext: ${err.next}` }] };
  }
  if (err instanceof ApiError) {
    const details = err.details ? `\nDetails: ${JSON.stringify(err.details).slice(0, 500)}` : '';
    return {
      isError: true,
      content: [
        { type: 'text', text: `Error ${err.code}: ${err.message}${details}\nNext: ${nextStepFor(err)}` },
      ],
    };
  }
  return {
    isError: true,
    content: [{ type: 'text', text: 'Error: the request failed. Next: try again later.' }],
  };
}

// ---- shared schemas and previews ----

export const taskOutput = z
  .looseObject({
    id: z.string(),
    title: z.string(),
    status: z.enum(['open', 'completed']),
    priority: z.string(),
    tags: z.array(z.string()),
    list_id: z.string(),
    due: z
      .looseObject({ at: z.string(), tz: z.string(), all_day: z.boolean(), local: z.string() })
      .nullable(),
    recurrence: z.looseObject({ rrule: z.string(), mode: z.string() }).nullable(),
    deleted_at: z.string().nullable(),
  })
  .describe('A task, exactly as the REST API returns it');

export const failureOutput = z.object({
  ref: z.string().describe('the id (or item index) that failed'),
  code: z.string(),
  message: z.string(),
});

export const idList = z
  .array(z.uuid({ message: 'must be a task id (uuid)' }))
  .min(1)
  .max(50)
  .describe('Task ids (1–50), from find_tasks or earlier results');

/** Longest task list a tool puts into its text (the structured content carries every returned task). */
export const previewCap = 10;

/** One line per task: title first (people think in titles), then what matters for choosing, then the id. */
export function previewTask(t: TaskDto): string {
  const bits = [
    t.due ? `due ${t.due.local}` : undefined,
    t.priority !== 'none' ? t.priority : undefined,
    t.tags.length ? t.tags.map((x) => `#${x}`).join(' ') : undefined,
    t.recurrence ? 'recurring' : undefined,
    t.status === 'completed' ? 'completed' : undefined,
    t.deleted_at ? 'in trash' : undefined,
  ].filter(Boolean);
  // titles are user data: quoted, so a title can never read as an instruction in the text
  return `- ${JSON.stringify(t.title)}${bits.length ? ` (${bits.join(', ')})` : ''} [id ${t.id}]`;
}

export function previewTasks(tasks: TaskDto[], more = false): string {
  const lines = tasks.slice(0, previewCap).map(previewTask);
  if (tasks.length > previewCap)
    lines.push(`… and ${tasks.length - previewCap} more in the structured result`);
  else if (more) lines.push('… more available: pass next_cursor as cursor');
  return lines.join('\n');
}

/**
 * Runs `each` over the items of a batch one by one (the API writes one task per request, in order), and
 * collects successes and per-item failures instead of stopping at the first.
 */
export async function runBatch<T, R>(
  items: T[],
  ref: (item: T, index: number) => string,
  each: (item: T) => Promise<R>,
): Promise<{ done: R[]; failures: z.infer<typeof failureOutput>[] }> {
  const done: R[] = [];
  const failures: z.infer<typeof failureOutput>[] = [];
  for (const [i, item] of items.entries()) {
    try {
      done.push(await each(item));
    } catch (err) {
      if (err instanceof ApiError) failures.push({ ref: ref(item, i), code: err.code, message: err.message });
      else if (err instanceof ToolRefusal)
        failures.push({ ref: ref(item, i), code: 'REFUSED', message: err.message });
      else throw err;
    }
  }
  return { done, failures };
}

export function failureText(failures: z.infer<typeof failureOutput>[]): string {
  if (failures.length === 0) return '';
  return `\nFailed (${failures.length}):\n${failures.map((f) => `- ${f.ref}: ${f.code} ${f.message}`).join('\n')}`;
}
