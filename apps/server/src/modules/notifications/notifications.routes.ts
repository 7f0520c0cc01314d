import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { writeContext } from '../tasks/tasks.routes.ts';
import type { NotificationsService } from './notifications.service.ts';

const idParams = z.object({ id: z.uuid({ message: 'must be a notification id (uuid)' }) });
const listQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  include_snoozed: z
    .enum(['true', 'false'])
    .optional()
    .describe('snoozed notifications are hidden until they come back'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const snoozeBody = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  })
  .strict();

const settingsBody = z
  .object({
    in_app: z.boolean().optional(),
    browser: z.boolean().optional(),
    email: z.email().max(320).nullable().optional().describe("null = the account's email"),
    email_enabled: z.boolean().optional(),
    webhook_url: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(2000)
      .nullable()
      .optional(),
    webhook_secret: z.string().min(16).max(200).nullable().optional().describe('generated when omitted'),
    webhook_enabled: z.boolean().optional(),
    default_reminder_minutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .nullable()
      .optional(),
  })
  .strict();

const userSettingsBody = z
  .object({ time_zone: z.string().min(1).max(64).describe('IANA zone, e.g. Europe/Paris') })
  .strict();

/** Notifications and settings under /api/v1 (issue 5 items 6–7). */
export async function notificationsRoutes(
  app: FastifyInstance,
  opts: { notifications: NotificationsService },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { notifications } = opts;
  r.addHook('preHandler', app.requireUser);

  r.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first',
        querystring: listQuery,
      },
    },
    (req) =>
      notifications.list(currentUser(req).id, {
        unread: req.query.unread === 'true',
        include_snoozed: req.query.include_snoozed === 'true',
        limit: req.query.limit,
      }),
  );
  r.post(
    '/notifications/:id/read',
    { schema: { tags: ['notifications'], summary: 'Mark a notification read', params: idParams } },
    (req) => notifications.markRead(currentUser(req).id, req.params.id),
  );
  r.post(
    '/notifications/:id/snooze',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Hide a notification for a while; it comes back unread and is pushed again',
        params: idParams,
        body: snoozeBody,
      },
    },
    (req) => notifications.snooze(writeContext(req), req.params.id, req.body.minutes),
  );

  r.get('/settings', { schema: { tags: ['settings'], summary: 'Your settings' } }, async (req) => ({
    time_zone: await notifications.getTimeZone(currentUser(req).id),
  }));
  r.patch(
    '/settings',
    { schema: { tags: ['settings'], summary: 'Change your settings (time zone)', body: userSettingsBody } },
    async (req) => ({ time_zone: await notifications.setTimeZone(currentUser(req).id, req.body.time_zone) }),
  );
  r.get(
    '/settings/notifications',
    { schema: { tags: ['settings'], summary: 'Notification channels' } },
    (req) => notifications.getSettings(currentUser(req).id),
  );
  r.put(
    '/settings/notifications',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change notification channels (fields left out keep their value)',
        body: settingsBody,
      },
    },
    (req) => notifications.putSettings(currentUser(req).id, req.body),
  );
}
