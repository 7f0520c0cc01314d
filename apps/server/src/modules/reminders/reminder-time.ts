import { DomainError, parseDateTimeInZone } from '@taskstream/core';
import { Temporal } from 'temporal-polyfill';

/** A reminder as stored in `tasks.reminder_specs` and `reminders.spec`, normalised. */
export type ReminderSpec = { before: string } | { at: string };

/** The due date of a task, as far as reminders care. */
export interface DueForReminders {
  at: Date;
  tz: string;
  allDay: boolean;
}

export const maxRemindersPerTask = 10;

/** Local time an all-day task's relative reminders count back from (docs/reminders.md). */
export const allDayReminderTime = Temporal.PlainTime.from('09:00');

const isoDuration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/**
 * Parses a non-negative ISO 8601 duration (`PT15M`, `PT1H`, `P1D`, `P1W`, `P1DT2H`) of at most a year.
 * Fractions and signs are rejected: "before" is always before.
 */
export function parseReminderDuration(text: string, path = 'before'): Temporal.Duration {
  const upper = text.trim().toUpperCase();
  const invalid = (message: string) =>
    new DomainError('VALIDATION_FAILED', 'Invalid reminder', [{ path, message }]);
  if (!isoDuration.test(upper)) throw invalid('must be an ISO 8601 duration such as PT15M, PT1H or P1D');
  const d = Temporal.Duration.from(upper);
  // Calendar units are measured from a fixed date so "P1Y" and "P12M" compare alike.
  const hours = d.total({ unit: 'hours', relativeTo: Temporal.PlainDate.from('2001-01-01') });
  if (hours > 366 * 24) throw invalid('must be at most one year');
  return d;
}

/**
 * Validates reminders from a request and stores them in one form: `before` as an upper-case duration,
 * `at` as a UTC instant (a local date-time without offset is read in `tz`, the task's zone).
 */
export function normalizeReminderSpecs(
  input: ReadonlyArray<{ before?: string | undefined; at?: string | undefined }>,
  tz: string,
  pathPrefix = 'body.reminders',
): ReminderSpec[] {
  if (input.length > maxRemindersPerTask) {
    throw new DomainError('VALIDATION_FAILED', 'Too many reminders', [
      { path: pathPrefix, message: `at most ${maxRemindersPerTask} reminders per task` },
    ]);
  }
  const seen = new Set<string>();
  const out: ReminderSpec[] = [];
  input.forEach((r, i) => {
    let spec: ReminderSpec;
    if (r.before !== undefined) {
      parseReminderDuration(r.before, `${pathPrefix}.${i}.before`);
      spec = { before: r.before.trim().toUpperCase() };
    } else if (r.at !== undefined) {
      const at = parseDateTimeInZone(r.at, tz);
      if (!at) {
        throw new DomainError('VALIDATION_FAILED', 'Invalid reminder', [
          { path: `${pathPrefix}.${i}.at`, message: 'must be an ISO 8601 date-time' },
        ]);
      }
      spec = { at: at.toISOString() };
    } else {
      throw new DomainError('VALIDATION_FAILED', 'Invalid reminder', [
        { path: `${pathPrefix}.${i}`, message: 'needs "before" (a duration) or "at" (a date-time)' },
      ]);
    }
    // the same reminder twice would notify twice at the same moment: keep one
    const key = specKey(spec);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(spec);
    }
  });
  return out;
}

/** Stable identity of a spec, to match stored reminder rows with the task's current specs. */
export function specKey(spec: ReminderSpec): string {
  return 'before' in spec ? `before:${spec.before}` : `at:${spec.at}`;
}

/** Reads a spec back from jsonb; anything else (hand-edited rows) is null. */
export function asReminderSpec(value: unknown): ReminderSpec | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.before === 'string') return { before: v.before };
  if (typeof v.at === 'string') return { at: v.at };
  return null;
}

export function asReminderSpecs(value: unknown): ReminderSpec[] {
  return Array.isArray(value) ? value.map(asReminderSpec).filter((s): s is ReminderSpec => s !== null) : [];
}

/**
 * When a reminder fires, or null when it cannot (a relative reminder on a task without a due date).
 *
 * `before` counts back in the task's zone with calendar semantics: "P1D" before 09:00 is 09:00 the day
 * before, even across a DST change. For an all-day task the reference is 09:00 local on the due date, so
 * "PT1H" fires at 08:00 and "P1D" at 09:00 the day before.
 */
export function reminderFireAt(spec: ReminderSpec, due: DueForReminders | null): Date | null {
  if ('at' in spec) return new Date(spec.at);
  if (!due) return null;
  let reference = Temporal.Instant.fromEpochMilliseconds(due.at.getTime()).toZonedDateTimeISO(due.tz);
  if (due.allDay) {
    reference = reference
      .toPlainDate()
      .toPlainDateTime(allDayReminderTime)
      .toZonedDateTime(due.tz, { disambiguation: 'compatible' });
  }
  const fire = reference.subtract(parseReminderDuration(spec.before));
  return new Date(fire.epochMilliseconds);
}
