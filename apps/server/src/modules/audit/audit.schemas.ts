import { z } from 'zod';
import { instant } from '../../plugins/openapi.responses.ts';

/** One entry of a task's history or of the activity feed. */
export const activityItemSchema = z.object({
  event_id: z.uuid(),
  type: z.string().describe('the event: task.created, task.updated, task.completed, …'),
  task: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  client: z.enum(['web', 'api', 'assistant']).nullable().describe('which kind of client made the change'),
  at: instant(),
});
export type ActivityItem = z.output<typeof activityItemSchema>;
export type FieldChangeDto = ActivityItem['changes'][number];

export const taskHistorySchema = z
  .object({ items: z.array(activityItemSchema) })
  .meta({ id: 'TaskHistory', description: "A task's changes, oldest first" });

export const activityPageSchema = z
  .object({ items: z.array(activityItemSchema), next_cursor: z.string().nullable() })
  .meta({
    id: 'ActivityPage',
    description: 'A page of the activity feed, newest first',
    examples: [
      {
        items: [
          {
            event_id: '3f2e1d0c-9b8a-4765-8432-10fedcba9876',
            type: 'task.updated',
            task: { id: '0b6f7c1e-3c4f-4a53-9a8e-5f0f6c2d9a10', title: 'Call the dentist' },
            changes: [{ field: 'priority', before: 'none', after: 'high' }],
            client: 'web',
            at: '2026-11-29T18:05:00.000Z',
          },
        ],
        next_cursor: null,
      },
    ],
  });
