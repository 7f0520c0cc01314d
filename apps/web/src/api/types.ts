import type { Priority, QuickAddResult } from '@taskstream/core';

/** The JSON shapes of the API (apps/server: tasks.presenter.ts and friends). */
export interface Task {
  id: string;
  title: string;
  description: string;
  status: 'open' | 'completed';
  priority: Priority;
  tags: string[];
  list_id: string;
  due: { at: string; tz: string; all_day: boolean; local: string } | null;
  recurrence: { rrule: string; mode: 'due' | 'completion' } | null;
  reminders: ReminderSpec[];
  series_id: string | null;
  occurrence: number | null;
  completed_at: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export type ReminderSpec = { before: string } | { at: string };

export interface TaskPage {
  items: Task[];
  next_cursor: string | null;
}

export interface List {
  id: string;
  name: string;
  position: number;
  is_inbox: boolean;
  open_count: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  task_id: string | null;
  created_at: string;
  read_at: string | null;
  snoozed_until: string | null;
}

export interface AccessToken {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export interface HistoryItem {
  event_id: string;
  type: string;
  changes: { field: string; before: unknown; after: unknown }[];
  client: 'web' | 'api' | 'assistant' | null;
  at: string;
}

export interface Occurrences {
  description: string;
  items: { at: string; local: string }[];
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export type ParseResult = QuickAddResult;

/** Body of POST /tasks and PATCH /tasks/:id. */
export interface TaskInput {
  title?: string;
  description?: string;
  list_id?: string;
  priority?: Priority;
  tags?: string[];
  due?: { at: string; tz?: string; all_day?: boolean } | null;
  recurrence?: { rrule: string; mode?: 'due' | 'completion' } | null;
  reminders?: ReminderSpec[];
}
