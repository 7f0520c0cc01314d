import { limits, priorities } from '@taskstream/core';
import { z } from 'zod';
import { instant } from '../../plugins/openapi.responses.ts';

export const recurrenceInput = z
  .object({
    rrule: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,FR'),
    mode: z
      .enum(['due', 'completion'])
      .optional()
      .describe('due (default): next after the due date; completion: next after the completion time'),
  })
  .strict();

export const reminderInput = z.union([
  z
    .object({
      before: z.string().min(1).max(40).describe('ISO 8601 duration before due, e.g. PT15M, PT1H, P1D'),
    })
    .strict(),
  z.object({ at: z.string().min(1).max(64).describe('ISO 8601 date-time') }).strict(),
]);

/** Optimistic concurrency on task writes; the route parses the value (`parseIfMatch`). Other headers pass. */
export const ifMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .max(40)
    .optional()
    .describe(
      'the task version the change is based on, e.g. 3 (also "3" or W/"3"); a newer task answers 412',
    ),
});

export const taskIdParams = z.object({ id: z.uuid({ message: 'must be a task id (uuid)' }) });

export const dueInput = z
  .object({
    at: z.string().min(1).max(64).describe('ISO 8601 instant, or a local date / date-time read in `tz`'),
    tz: z.string().min(1).max(64).optional().describe("IANA time zone; default the user's"),
    all_day: z.boolean().optional(),
  })
  .strict();

export const createTaskBody = z
  .object({
    title: z.string().trim().min(1).max(limits.titleMax),
    description: z.string().max(limits.descriptionMax).optional(),
    list_id: z.uuid().optional(),
    priority: z.enum(priorities).optional(),
    tags: z.array(z.string().max(200)).max(limits.tagsMax).optional(),
    due: dueInput.nullable().optional(),
    recurrence: recurrenceInput.nullable().optional(),
    reminders: z.array(reminderInput).max(10, 'at most 10 reminders per task').optional(),
  })
  .strict();
export type CreateTaskBody = z.infer<typeof createTaskBody>;

/** PATCH takes any subset of the create fields (a null `due` or `recurrence` clears it). */
export const updateTaskBody = createTaskBody.partial();
export type UpdateTaskBody = z.infer<typeof updateTaskBody>;

/** The one JSON shape of a task (tasks.presenter.ts builds it), in every response, event and tool. */
export const taskSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    status: z.enum(['open', 'completed']),
    priority: z.enum(priorities),
    tags: z.array(z.string()),
    list_id: z.uuid(),
    due: z
      .object({
        at: instant(),
        tz: z.string().describe('IANA time zone the due date is read in'),
        all_day: z.boolean(),
        local: z.string().describe('wall-clock due time in `tz` (a date for all-day tasks)'),
      })
      .nullable(),
    recurrence: z.object({ rrule: z.string(), mode: z.enum(['due', 'completion']) }).nullable(),
    reminders: z.array(
      z.union([
        z.object({ before: z.string().describe('ISO 8601 duration before due') }),
        z.object({ at: z.string().describe('UTC instant') }),
      ]),
    ),
    series_id: z.uuid().nullable().describe('shared by every occurrence of a recurring task'),
    occurrence: z.number().int().nullable().describe('0 for the first occurrence of a series, then 1, 2, …'),
    completed_at: instant().nullable(),
    deleted_at: instant().nullable().describe('set while the task is in the trash'),
    created_at: instant(),
    updated_at: instant(),
    version: z.number().int().describe('bumped by every change; send it back in If-Match'),
  })
  .meta({
    id: 'Task',
    description: 'A task',
    examples: [
      {
        id: '0b6f7c1e-3c4f-4a53-9a8e-5f0f6c2d9a10',
        title: 'Call the dentist',
        description: '',
        status: 'open',
        priority: 'high',
        tags: ['health'],
        list_id: '7d1c2a4e-9b1f-4c55-8f0e-2a3b4c5d6e7f',
        due: {
          at: '2026-12-01T09:00:00.000Z',
          tz: 'Europe/Paris',
          all_day: false,
          local: '2026-12-01T10:00:00',
        },
        recurrence: null,
        reminders: [{ before: 'PT15M' }],
        series_id: null,
        occurrence: null,
        completed_at: null,
        deleted_at: null,
        created_at: '2026-11-29T18:00:00.000Z',
        updated_at: '2026-11-29T18:00:00.000Z',
        version: 1,
      },
    ],
  });

/** A page of tasks; pass `next_cursor` back as `cursor` for the next page (null on the last one). */
export const taskPage = z.object({ items: z.array(taskSchema), next_cursor: z.string().nullable() }).meta({
  id: 'TaskPage',
  description: 'A page of tasks',
  examples: [{ items: [], next_cursor: null }],
});

export const sortKeys = ['created', 'due', 'priority', 'status', 'title', 'updated'] as const;
export type SortKey = (typeof sortKeys)[number];

const stringList = z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]);

export const listTasksQuery = z
  .object({
    q: z.string().max(500).optional(),
    filter: z.string().max(2000).optional(),
    status: z.enum(['open', 'completed', 'trash', 'all']).default('open'),
    priority: z.string().max(200).optional().describe('one priority or a comma list'),
    tag: stringList.optional().describe('repeatable'),
    tag_mode: z.enum(['any', 'all']).default('any'),
    list_id: z.uuid().optional(),
    due_before: z.string().max(64).optional(),
    due_after: z.string().max(64).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    has_due: z.enum(['true', 'false']).optional(),
    sort: z
      .string()
      .max(200)
      .optional()
      .describe(`comma list of ${sortKeys.join(', ')}; prefix - for descending`),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .describe('Unknown parameters are ignored.');
export type ListTasksQuery = z.infer<typeof listTasksQuery>;
