import type { notificationSettings, notifications } from '../../infra/db/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryState = 'delivered' | 'pending' | 'failed' | 'off';

export interface NotificationDto {
  id: string;
  kind: string;
  title: string;
  body: string;
  task_id: string | null;
  reminder_id: string | null;
  data: unknown;
  /** per channel: in_app, webhook, email → delivered | pending | failed | off */
  delivery: Record<string, DeliveryState>;
  created_at: string;
  read_at: string | null;
  snoozed_until: string | null;
}

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

export interface NotificationSettingsDto {
  in_app: boolean;
  browser: boolean;
  /** address for the email channel; null = the account's email */
  email: string | null;
  email_enabled: boolean;
  webhook_url: string | null;
  /** HMAC-SHA256 key for `X-Taskstream-Signature`; generated when a webhook URL is first set */
  webhook_secret: string | null;
  webhook_enabled: boolean;
  /** default reminder for new timed tasks, minutes before due; null = none */
  default_reminder_minutes: number | null;
}

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
