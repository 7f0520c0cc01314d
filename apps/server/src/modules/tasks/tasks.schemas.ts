import { limits, priorities } from '@taskstream/core';
import { z } from 'zod';

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
