import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json } from '../../plugins/openapi.responses.ts';
import { writeContext } from '../tasks/tasks.routes.ts';
import { notificationSchema, notificationSettingsSchema } from './notifications.presenter.ts';
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

const notificationList = z
  .object({ items: z.array(notificationSchema) })
  .meta({ id: 'NotificationList', description: 'Notifications, newest first' });
const userSettings = z
  .object({ time_zone: z.string().describe('IANA zone') })
  .meta({ id: 'Settings', description: 'Your settings', examples: [{ time_zone: 'Europe/Paris' }] });

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
        operationId: 'listNotifications',
        summary: 'Your notifications, newest first',
        querystring: listQuery,
        response: { 200: json(notificationList, 'Your notifications'), ...errors(400, 401) },
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
    {
      schema: {
        tags: ['notifications'],
        operationId: 'markNotificationRead',
        summary: 'Mark a notification read',
        params: idParams,
        response: { 200: json(notificationSchema, 'The notification, read'), ...errors(400, 401, 404) },
      },
    },
    (req) => notifications.markRead(currentUser(req).id, req.params.id),
  );
  r.post(
    '/notifications/:id/snooze',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'snoozeNotification',
        summary: 'Hide a notification for a while; it comes back unread and is pushed again',
        params: idParams,
        body: snoozeBody,
        response: { 200: json(notificationSchema, 'The notification, snoozed'), ...errors(400, 401, 404) },
      },
    },
    (req) => notifications.snooze(writeContext(req), req.params.id, req.body.minutes),
  );

  r.get(
    '/settings',
    {
      schema: {
        tags: ['settings'],
        operationId: 'getSettings',
        summary: 'Your settings',
        response: { 200: json(userSettings, 'Your settings'), ...errors(400, 401) },
      },
    },
    async (req) => ({ time_zone: await notifications.getTimeZone(currentUser(req).id) }),
  );
  r.patch(
    '/settings',
    {
      schema: {
        tags: ['settings'],
        operationId: 'updateSettings',
        summary: 'Change your settings (time zone)',
        body: userSettingsBody,
        response: { 200: json(userSettings, 'Your settings after the change'), ...errors(400, 401) },
      },
    },
    async (req) => ({ time_zone: await notifications.setTimeZone(currentUser(req).id, req.body.time_zone) }),
  );
  r.get(
    '/settings/notifications',
    {
      schema: {
        tags: ['settings'],
        operationId: 'getNotificationSettings',
        summary: 'Notification channels',
        response: {
          200: json(notificationSettingsSchema, 'Your notification channels'),
          ...errors(400, 401),
        },
      },
    },
    (req) => notifications.getSettings(currentUser(req).id),
  );
  r.put(
    '/settings/notifications',
    {
      schema: {
        tags: ['settings'],
        operationId: 'updateNotificationSettings',
        summary: 'Change notification channels (fields left out keep their value)',
        body: settingsBody,
        response: {
          200: json(notificationSettingsSchema, 'Your notification channels after the change'),
          ...errors(400, 401),
        },
      },
    },
    (req) => notifications.putSettings(currentUser(req).id, req.body),
  );
}
