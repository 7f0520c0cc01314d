import { z } from 'zod';
import type { notificationSettings, notifications } from '../../infra/db/schema.ts';
import { instant } from '../../plugins/openapi.responses.ts';

export type NotificationRow = typeof notifications.$inferSelect;

const deliveryState = z.enum(['delivered', 'pending', 'failed', 'off']);
export type DeliveryState = z.output<typeof deliveryState>;

/** A notification as the API shows it. */
export const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().describe('e.g. reminder'),
    title: z.string(),
    body: z.string(),
    task_id: z.uuid().nullable(),
    reminder_id: z.uuid().nullable(),
    data: z.unknown(),
    delivery: z
      .record(z.string(), deliveryState)
      .describe('per channel (in_app, webhook, email): delivered, pending, failed or off'),
    created_at: instant(),
    read_at: instant().nullable(),
    snoozed_until: instant().nullable(),
  })
  .meta({
    id: 'Notification',
    description: 'A notification',
    examples: [
      {
        id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
        kind: 'reminder',
        title: 'Call the dentist',
        body: 'Due at 10:00',
        task_id: '0b6f7c1e-3c4f-4a53-9a8e-5f0f6c2d9a10',
        reminder_id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        data: {},
        delivery: { in_app: 'delivered', webhook: 'off', email: 'off' },
        created_at: '2026-12-01T08:45:00.000Z',
        read_at: null,
        snoozed_until: null,
      },
    ],
  });
export type NotificationDto = z.output<typeof notificationSchema>;

/** The user's notification channels. */
export const notificationSettingsSchema = z
  .object({
    in_app: z.boolean(),
    browser: z.boolean(),
    email: z.string().nullable().describe("address for the email channel; null = the account's email"),
    email_enabled: z.boolean(),
    webhook_url: z.string().nullable(),
    webhook_secret: z
      .string()
      .nullable()
      .describe('HMAC-SHA256 key for `X-Taskstream-Signature`; generated when a webhook URL is first set'),
    webhook_enabled: z.boolean(),
    default_reminder_minutes: z
      .number()
      .int()
      .nullable()
      .describe('default reminder for new timed tasks, minutes before due; null = none'),
  })
  .meta({ id: 'NotificationSettings', description: 'Notification channels' });
export type NotificationSettingsDto = z.output<typeof notificationSettingsSchema>;

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    task_id: row.taskId,
    reminder_id: row.reminderId,
    data: row.data,
    delivery: (row.delivery ?? {}) as Record<string, DeliveryState>,
    created_at: row.createdAt.toISOString(),
    read_at: row.readAt?.toISOString() ?? null,
    snoozed_until: row.snoozedUntil?.toISOString() ?? null,
  };
}

export type SettingsRow = typeof notificationSettings.$inferSelect;

export const defaultSettings: NotificationSettingsDto = {
  in_app: true,
  browser: true,
  email: null,
  email_enabled: false,
  webhook_url: null,
  webhook_secret: null,
  webhook_enabled: false,
  default_reminder_minutes: null,
};

export function toSettingsDto(row: SettingsRow | undefined): NotificationSettingsDto {
  if (!row) return { ...defaultSettings };
  return {
    in_app: row.inApp,
    browser: row.browser,
    email: row.email,
    email_enabled: row.emailEnabled,
    webhook_url: row.webhookUrl,
    webhook_secret: row.webhookSecret,
    webhook_enabled: row.webhookEnabled,
    default_reminder_minutes: row.defaultReminderMinutes,
  };
}
