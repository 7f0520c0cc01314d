import { randomBytes, randomUUID } from 'node:crypto';

export const topics = ['task-events', 'reminders', 'task-updates'] as const;
export type Topic = (typeof topics)[number];

/** `data` of every Taskstream CloudEvent (DESIGN §4). */
export interface EventData<P = unknown> {
  event_id: string;
  event_type: string;
  version: 1;
  user_id: string;
  timestamp: string;
  payload: P;
}

/** CloudEvents 1.0 envelope as written to the outbox and published. */
export interface CloudEvent<P = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  traceparent: string;
  data: EventData<P>;
}

export interface NewEvent<P = unknown> {
  topic: Topic;
  type: string;
  userId: string;
  subject?: string;
  payload: P;
  /** this event's trace, when one append carries events of different traces (else the append's) */
  traceparent?: string;
}

const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A W3C traceparent: the caller's when valid, else a fresh one. */
export function ensureTraceparent(incoming: string | undefined): string {
  if (incoming && traceparentPattern.test(incoming) && !/^00-0{32}-/.test(incoming)) return incoming;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function buildCloudEvent<P>(
  e: NewEvent<P>,
  at: Date,
  traceparent: string,
  source: string,
): CloudEvent<P> {
  const id = randomUUID();
  const time = at.toISOString();
  return {
    specversion: '1.0',
    id,
    type: e.type,
    source,
    time,
    ...(e.subject ? { subject: e.subject } : {}),
    datacontenttype: 'application/json',
    traceparent: e.traceparent ?? traceparent,
    data: {
      event_id: id,
      event_type: e.type,
      version: 1,
      user_id: e.userId,
      timestamp: time,
      payload: e.payload,
    },
  };
}
