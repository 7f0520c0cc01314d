import { expect } from 'vitest';
import { parseQuickAdd, type QuickAddResult } from '../../src/quick-add/index.ts';

/** A reference instant and zone; every case names one explicitly (no test reads the clock). */
export interface Ref {
  name: string;
  now: Date;
  tz: string;
}

/** Wed 2027-01-20 15:30 in Berlin. */
export const BERLIN_WED: Ref = {
  name: 'Berlin Wed 2027-01-20 15:30',
  now: new Date('2027-01-20T14:30:00Z'),
  tz: 'Europe/Berlin',
};
/** Fri 2027-03-12 10:00 in New York: DST starts Sunday 2027-03-14 02:00. */
export const NY_DST: Ref = {
  name: 'New York Fri 2027-03-12 10:00 (DST week)',
  now: new Date('2027-03-12T15:00:00Z'),
  tz: 'America/New_York',
};
/** Sun 2027-03-14 01:30 EST in New York, half an hour before clocks jump to 03:00. */
export const NY_GAP: Ref = {
  name: 'New York Sun 2027-03-14 01:30 EST',
  now: new Date('2027-03-14T06:30:00Z'),
  tz: 'America/New_York',
};
/** Sat 2027-03-27 12:00 in Berlin: DST starts Sunday 2027-03-28 02:00. */
export const BERLIN_DST: Ref = {
  name: 'Berlin Sat 2027-03-27 12:00 (DST week)',
  now: new Date('2027-03-27T11:00:00Z'),
  tz: 'Europe/Berlin',
};
/** Mon 2028-02-28 10:00 UTC, the day before a leap day. */
export const LEAP_EVE: Ref = {
  name: 'UTC Mon 2028-02-28 10:00',
  now: new Date('2028-02-28T10:00:00Z'),
  tz: 'UTC',
};
/** Tue 2028-02-29 12:00 in Tokyo, on the leap day. */
export const LEAP_DAY: Ref = {
  name: 'Tokyo Tue 2028-02-29 12:00',
  now: new Date('2028-02-29T03:00:00Z'),
  tz: 'Asia/Tokyo',
};

/**
 * Expected fields. `due` is "YYYY-MM-DD" (all day) or "YYYY-MM-DD HH:MM", null for "no due date";
 * `rrule` null for "no recurrence". Fields left out are not checked.
 */
export interface Expect {
  title?: string;
  due?: string | null;
  rrule?: string | null;
  mode?: 'due' | 'completion';
  priority?: QuickAddResult['priority'] | null;
  tags?: string[];
  list?: string | null;
  reminders?: QuickAddResult['reminders'];
  description?: string;
}

export type Case = [input: string, expected: Expect];

export function check(ref: Ref, input: string, exp: Expect): void {
  const r = parseQuickAdd(input, { now: ref.now, timeZone: ref.tz });
  const got: Expect = {};
  if ('title' in exp) got.title = r.title;
  if ('due' in exp) got.due = r.due ? (r.due.time ? `${r.due.date} ${r.due.time}` : r.due.date) : null;
  if ('rrule' in exp) got.rrule = r.recurrence?.rrule ?? null;
  if ('mode' in exp) got.mode = r.recurrence?.mode;
  if ('priority' in exp) got.priority = r.priority ?? null;
  if ('tags' in exp) got.tags = r.tags;
  if ('list' in exp) got.list = r.list ?? null;
  if ('reminders' in exp) got.reminders = r.reminders;
  if ('description' in exp) got.description = r.description;
  expect(got, `${input} @ ${ref.name}`).toEqual(exp);
  if (r.due) {
    expect(r.due.tz).toBe(ref.tz);
    expect(r.due.all_day).toBe(r.due.time === undefined);
  }
}
