import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** A 64-bit transaction id (`pg_current_xact_id()`), kept as text: it may exceed 2^53. */
const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ---- better-auth tables (model keys user/session/account/verification/jwks) ----

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  timeZone: text('time_zone').notNull().default('UTC'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: tstz('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: tstz('access_token_expires_at'),
    refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('accounts_user_id_idx').on(t.userId)],
);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const jwks = pgTable('jwks', {
  id: text('id').primaryKey(),
  publicKey: text('public_key').notNull(),
  privateKey: text('private_key').notNull(),
  createdAt: tstz('created_at').notNull(),
  expiresAt: tstz('expires_at'),
  alg: text('alg'),
  crv: text('crv'),
});

// ---- personal access tokens (scripts, MCP clients) ----

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // sha256 of the token; the token itself is shown once and never stored
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at'),
  },
  (t) => [index('api_tokens_user_id_idx').on(t.userId)],
);

// ---- domain ----

export const lists = pgTable(
  'lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    isInbox: boolean('is_inbox').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lists_user_name_uq').on(t.userId, sql`lower(${t.name})`),
    // at most one Inbox per user
    uniqueIndex('lists_user_inbox_uq').on(t.userId).where(sql`${t.isInbox}`),
  ],
);

/**
 * A saved filter: a filter-language query with a name, shown as a view in the sidebar. Names are unique per
 * user ignoring case, as list names are, so the sidebar and the command palette never show two alike.
 */
export const savedFilters = pgTable(
  'saved_filters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    query: text('query').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_filters_user_name_uq').on(t.userId, sql`lower(${t.name})`)],
);

/**
 * Priority is stored as a rank (0 none … 4 urgent) so that sorting and range filters use a plain index;
 * the API speaks names (see packages/core priorities).
 */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listId: uuid('list_id')
      .notNull()
      .references(() => lists.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['open', 'completed'] })
      .notNull()
      .default('open'),
    priority: smallint('priority').notNull().default(0),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    dueAt: tstz('due_at'),
    dueTz: text('due_tz'),
    dueAllDay: boolean('due_all_day').notNull().default(false),
    recurrence: text('recurrence'),
    recurrenceMode: text('recurrence_mode', { enum: ['due', 'completion'] }),
    // DTSTART of the rule: set when the rule or the due date is edited, carried unchanged to next occurrences
    // (re-anchoring at each occurrence would let a DST-gap time drift, e.g. 02:30 → 03:30 for good)
    recurrenceAnchor: tstz('recurrence_anchor'),
    seriesId: uuid('series_id'),
    occurrence: integer('occurrence'),
    // relative/absolute reminder specs as given by the user; fire times live in `reminders`
    reminderSpecs: jsonb('reminder_specs').notNull().default(sql`'[]'::jsonb`),
    completedAt: tstz('completed_at'),
    deletedAt: tstz('deleted_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B') || setweight(to_tsvector('english', taskstream_tags_text(tags)), 'C')`,
    ),
  },
  (t) => [
    index('tasks_user_status_due_idx').on(t.userId, t.status, t.dueAt),
    // the default listing (open tasks: due ↑ with no date last, priority ↓, created ↑, id) in index order, so
    // GET /tasks reads its first page's rows instead of sorting all of the user's open tasks (8,300 rows and
    // ~24 ms for a 10,000-task user before this index)
    index('tasks_user_open_default_order_idx')
      .on(
        t.userId,
        sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`,
        // NULLS FIRST is what a bare `order by priority desc` means; the index must say it to match
        t.priority.desc().nullsFirst(),
        t.createdAt,
        t.id,
      )
      .where(sql`${t.status} = 'open' and ${t.deletedAt} is null`),
    index('tasks_user_priority_idx').on(t.userId, t.priority),
    index('tasks_user_created_idx').on(t.userId, t.createdAt),
    index('tasks_user_list_idx').on(t.userId, t.listId),
    index('tasks_tags_gin').using('gin', t.tags),
    // (user_id, search) in one GIN index (btree_gin): a search reads only the user's matches, not everyone's
    index('tasks_user_search_gin').using('gin', t.userId, t.search),
    index('tasks_title_trgm').using('gin', sql`${t.title} gin_trgm_ops`),
    uniqueIndex('tasks_series_occurrence_uq').on(t.seriesId, t.occurrence),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    topic: text('topic').notNull(),
    partitionKey: text('partition_key').notNull(),
    event: jsonb('event').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    publishedAt: tstz('published_at'),
    /** the writing transaction (taken before its seq; see infra/events/log-horizon.ts), for diagnostics */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [index('outbox_unpublished_idx').on(t.seq).where(sql`${t.publishedAt} is null`)],
);

export const inbox = pgTable(
  'inbox',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: tstz('processed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);

// ---- event backbone ----

/** Embedded bus: how far each consumer has read the outbox log (by `seq`). */
export const consumerOffsets = pgTable('consumer_offsets', {
  consumer: text('consumer').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Events a consumer gave up on after its retries, with the last error; replayable by hand. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    topic: text('topic').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    event: jsonb('event').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dead_letters_consumer_event_uq').on(t.consumer, t.eventId)],
);

/** Activity log, one row per task event (unique event_id makes the audit consumer idempotent twice over). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    userId: text('user_id').notNull(),
    taskId: uuid('task_id'),
    type: text('type').notNull(),
    client: text('client'),
    changes: jsonb('changes').notNull().default(sql`'[]'::jsonb`),
    data: jsonb('data').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.id), index('audit_log_task_idx').on(t.taskId, t.id)],
);

// ---- reminders and notifications ----

export const reminders = pgTable(
  'reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** {before: ISO 8601 duration} or {at: ISO date-time} */
    spec: jsonb('spec').notNull(),
    fireAt: tstz('fire_at'),
    status: text('status', { enum: ['scheduled', 'fired', 'cancelled'] })
      .notNull()
      .default('scheduled'),
    firedAt: tstz('fired_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('reminders_task_idx').on(t.taskId), index('reminders_due_idx').on(t.status, t.fireAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    taskId: uuid('task_id'),
    reminderId: uuid('reminder_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    /** makes delivery of one trigger idempotent, e.g. the reminder.due event id */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** per-channel delivery state: {in_app: 'delivered', webhook: 'pending', email: 'failed', …} */
    delivery: jsonb('delivery').notNull().default(sql`'{}'::jsonb`),
    createdAt: tstz('created_at').notNull().defaultNow(),
    readAt: tstz('read_at'),
    snoozedUntil: tstz('snoozed_until'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

export const notificationSettings = pgTable('notification_settings', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  inApp: boolean('in_app').notNull().default(true),
  browser: boolean('browser').notNull().default(true),
  email: text('email'),
  emailEnabled: boolean('email_enabled').notNull().default(false),
  webhookUrl: text('webhook_url'),
  webhookSecret: text('webhook_secret'),
  webhookEnabled: boolean('webhook_enabled').notNull().default(false),
  /** default reminder for timed tasks, minutes before due; null = none */
  defaultReminderMinutes: integer('default_reminder_minutes'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Delivery log of outgoing webhooks (one row per attempt series), retried with backoff. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: text('user_id').notNull(),
    notificationId: uuid('notification_id'),
    eventId: uuid('event_id').notNull(),
    url: text('url').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    error: text('error'),
    nextAttemptAt: tstz('next_attempt_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    deliveredAt: tstz('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_url_uq').on(t.eventId, t.url),
    index('webhook_deliveries_pending_idx').on(t.status, t.nextAttemptAt),
  ],
);

// ---- embedded adapters for the scheduler and state ports ----

/** Embedded scheduler: durable one-shot timers; one in-process timer is armed for the earliest. */
export const timers = pgTable(
  'timers',
  {
    name: text('name').primaryKey(),
    fireAt: tstz('fire_at').notNull(),
    data: jsonb('data').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('timers_fire_at_idx').on(t.fireAt)],
);

/** Embedded state store (key/value with etag), e.g. chat history. */
export const kv = pgTable('kv', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  etag: integer('etag').notNull().default(1),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
