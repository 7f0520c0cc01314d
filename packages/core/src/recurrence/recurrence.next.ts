import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors.ts';
import { parseRecurrence } from './recurrence.parse.ts';
import type { NextOccurrenceInput, ParsedRule, RecurrenceUntil } from './recurrence.types.ts';

type PlainDateTime = Temporal.PlainDateTime;
type ZonedDateTime = Temporal.ZonedDateTime;

/** Bounds the candidate scan in `firstAfter`; two days hold at most 48 hourly slots. */
const MAX_CANDIDATES = 500;
const MAX_PREVIEW = 1000;

function assertDate(name: string, value: Date | undefined): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new DomainError('VALIDATION_FAILED', `${name} must be a valid Date`, { field: name });
  }
}

/** The instant's wall-clock time in `tz`. Throws INVALID_TIME_ZONE for an unknown zone. */
function toZoned(instant: Date, tz: string): ZonedDateTime {
  try {
    return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(tz);
  } catch (error) {
    throw new DomainError('INVALID_TIME_ZONE', `Unknown time zone "${tz}"`, { tz, cause: String(error) });
  }
}

/**
 * Wall-clock time → instant. `compatible` is RFC 5545 §3.3.5's rule for DATE-TIME with TZID: a time in a
 * spring-forward gap moves forward by the gap (02:30 → 03:30), a repeated fall-back time takes the
 * earlier offset. Note RFC 5545 §3.3.10 would drop generated gap times instead; users of a task manager
 * expect "every day at 02:30" to still happen that day, as calendar apps do.
 */
function resolveLocal(local: PlainDateTime, tz: string): Date {
  return new Date(local.toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds);
}

/** A wall-clock time encoded as if it were UTC, so the library expands it without any zone rules. */
function floatingDate(local: PlainDateTime): Date {
  return new Date(local.toZonedDateTime('UTC').epochMilliseconds);
}

/**
 * The rule as an rrule-temporal series in "floating" time (zone UTC, wall-clock fields of the anchor).
 * Expanding wall-clock times and resolving them to instants afterwards is what keeps 09:00 at 09:00
 * across DST and lets gap times move forward instead of vanishing. COUNT and UNTIL are left out: they
 * are applied by the caller, against occurrence indexes and real instants.
 */
function floatingSeries(rule: ParsedRule, start: PlainDateTime, allDay: boolean) {
  const list = <T>(values: readonly T[]): T[] | undefined => (values.length > 0 ? [...values] : undefined);
  return new RRuleTemporal({
    freq: rule.freq,
    interval: rule.interval,
    byDay: list(rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`)),
    byMonthDay: list(rule.byMonthDay),
    byMonth: list(rule.byMonth),
    bySetPos: list(rule.bySetPos),
    // A date-only series has no time of day: every occurrence keeps the anchor's (normally midnight).
    byHour: allDay ? undefined : list(rule.byHour),
    byMinute: allDay ? undefined : list(rule.byMinute),
    bySecond: allDay ? undefined : list(rule.bySecond),
    wkst: rule.wkst,
    tzid: 'UTC',
    dtstart: start.toZonedDateTime('UTC'),
    temporal: Temporal,
  });
}

type Series = ReturnType<typeof floatingSeries>;

/** Next wall-clock occurrence after (or at, if inclusive) `from`; null when the rule never occurs again. */
function floatingNext(series: Series, from: PlainDateTime, inclusive: boolean): PlainDateTime | null {
  try {
    return series.next(floatingDate(from), inclusive)?.toPlainDateTime() ?? null;
  } catch (error) {
    // The library gives up after its iteration cap: a rule that cannot occur again has ended.
    if (error instanceof Error && /Maximum (iterations|candidate evaluations)/i.test(error.message))
      return null;
    throw error;
  }
}

/** First occurrence whose instant is strictly after `threshold`, scanning wall-clock candidates. */
function firstAfter(series: Series, threshold: Date, tz: string): Date | null {
  const thresholdLocal = toZoned(threshold, tz).toPlainDateTime();
  // Resolving moves gap times forward, so wall-clock order and instant order can differ by up to the
  // size of a DST shift: start a day early and keep scanning a day past the first hit.
  let cursor = thresholdLocal.subtract({ days: 1 });
  let best: Date | null = null;
  let horizon: PlainDateTime | null = null;
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    const occurrence = floatingNext(series, cursor, false);
    if (occurrence === null) break;
    if (horizon !== null && Temporal.PlainDateTime.compare(occurrence, horizon) > 0) break;
    const instant = resolveLocal(occurrence, tz);
    if (instant > threshold && (best === null || instant < best)) {
      best = instant;
      horizon ??= occurrence.add({ days: 1 });
    }
    cursor = occurrence;
  }
  return best;
}

/** First occurrence on or after the local date `from`, at the anchor's time of day. */
function firstOnOrAfterDate(
  series: Series,
  from: Temporal.PlainDate,
  anchorTime: Temporal.PlainTime,
  tz: string,
) {
  const occurrence = floatingNext(series, from.toPlainDateTime(), true);
  return occurrence === null ? null : resolveLocal(occurrence.toPlainDate().toPlainDateTime(anchorTime), tz);
}

function withinUntil(
  until: RecurrenceUntil | undefined,
  candidate: Date,
  tz: string,
  allDay: boolean,
): boolean {
  if (until === undefined) return true;
  if (until.kind === 'date' || allDay) {
    // A DATE UNTIL includes its whole local day; a date-only series compares dates only.
    const untilDate =
      until.kind === 'utc'
        ? toZoned(until.instant, tz).toPlainDate()
        : Temporal.PlainDate.from((until.kind === 'date' ? until.date : until.dateTime).slice(0, 10));
    return Temporal.PlainDate.compare(toZoned(candidate, tz).toPlainDate(), untilDate) <= 0;
  }
  const limit =
    until.kind === 'utc' ? until.instant : resolveLocal(Temporal.PlainDateTime.from(until.dateTime), tz);
  return candidate <= limit;
}

function validateInput(input: NextOccurrenceInput): void {
  assertDate('dtstart.at', input.dtstart?.at);
  assertDate('after', input.after);
  assertDate('now', input.now);
  if (input.completedAt !== undefined) assertDate('completedAt', input.completedAt);
  if (input.mode !== 'due' && input.mode !== 'completion') {
    throw new DomainError('VALIDATION_FAILED', `mode must be "due" or "completion"`, { field: 'mode' });
  }
  if (!Number.isInteger(input.occurrenceIndex) || input.occurrenceIndex < 0) {
    throw new DomainError('VALIDATION_FAILED', 'occurrenceIndex must be an integer ≥ 0', {
      field: 'occurrenceIndex',
    });
  }
  toZoned(input.now, input.dtstart.tz);
}

function computeNext(rule: ParsedRule, input: NextOccurrenceInput): Date | null {
  const { tz, allDay } = input.dtstart;
  if (rule.count !== undefined && input.occurrenceIndex + 1 >= rule.count) return null;
  if (rule.freq === 'HOURLY' && allDay) {
    throw new DomainError('INVALID_RECURRENCE', 'An all-day task cannot repeat hourly', { part: 'FREQ' });
  }
  const anchorLocal = toZoned(input.dtstart.at, tz).toPlainDateTime();
  const completedAt = input.completedAt ?? input.now;
  let next: Date | null;

  if (input.mode === 'due') {
    // Strictly after the current due date and, skipping missed occurrences, after now.
    const threshold = new Date(Math.max(input.after.getTime(), input.now.getTime()));
    if (allDay) {
      // A date-only occurrence is missed only once its day is over: today's still counts.
      const dayAfterDue = toZoned(input.after, tz).toPlainDate().add({ days: 1 });
      const today = toZoned(input.now, tz).toPlainDate();
      const from = Temporal.PlainDate.compare(dayAfterDue, today) >= 0 ? dayAfterDue : today;
      next = firstOnOrAfterDate(floatingSeries(rule, anchorLocal, true), from, anchorLocal.toPlainTime(), tz);
    } else {
      next = firstAfter(floatingSeries(rule, anchorLocal, false), threshold, tz);
    }
  } else if (rule.freq === 'HOURLY') {
    // every! N hours: restart the series at the completion's local time (to the minute), so the next is
    // N wall-clock hours later unless BY parts say otherwise.
    const restart = toZoned(completedAt, tz)
      .toPlainDateTime()
      .round({ smallestUnit: 'minute', roundingMode: 'floor' });
    next = firstAfter(floatingSeries(rule, restart, false), completedAt, tz);
  } else {
    // every! for day-or-longer rules: restart the series on the completion's local date at the anchor's
    // time of day, and take its first occurrence on a later date ("every! 3 days" done Tue 18:00 → Fri).
    const completionDate = toZoned(completedAt, tz).toPlainDate();
    const restart = completionDate.toPlainDateTime(anchorLocal.toPlainTime());
    const series = floatingSeries(rule, restart, allDay);
    const fromDate = completionDate.add({ days: 1 });
    if (allDay) {
      next = firstOnOrAfterDate(series, fromDate, anchorLocal.toPlainTime(), tz);
    } else {
      // Not necessarily the anchor's time: with several BYHOUR values the day's first one wins.
      const local = floatingNext(series, fromDate.toPlainDateTime(), true);
      next = local === null ? null : resolveLocal(local, tz);
    }
  }
  return next !== null && withinUntil(rule.until, next, tz, allDay) ? next : null;
}

/**
 * The next occurrence of a recurring task, or null when the series has ended (COUNT reached, past
 * UNTIL, or a rule that can never occur again).
 *
 * - mode `due`: the first occurrence of the series anchored at `dtstart` that is strictly after `after`
 *   and after `now` (missed occurrences are skipped). For an all-day series an occurrence is missed only
 *   once its local day is over, so an overdue daily all-day task moves to today.
 * - mode `completion` (Todoist's `every!`): for DAILY and longer, the series restarts on the local date of
 *   `completedAt` at the anchor's time of day and the first occurrence on a later date is returned
 *   ("every! 3 days" at 09:00 completed Tue 18:00 → Fri 09:00; "every! month" completed Feb 20 → Mar 20).
 *   For HOURLY, INTERVAL wall-clock hours after the completion minute.
 *
 * Occurrences keep the anchor's local wall-clock time across DST. A time in a spring-forward gap moves
 * forward by the gap; a repeated fall-back time takes the earlier offset. HOURLY steps in wall-clock hours
 * too, so "every 3 hours from 09:00" stays on 09, 12, 15… local all year (one interval is an hour shorter
 * or longer on a DST night, and a repeated fall-back hour happens once).
 */
export function nextOccurrence(input: NextOccurrenceInput): Date | null {
  const rule = parseRecurrence(input.rrule);
  validateInput(input);
  return computeNext(rule, input);
}

/**
 * The next `n` occurrences after the current one. The first is `nextOccurrence(input)`; each following one
 * assumes the previous occurrence is completed exactly at its due time. Stops early when the series ends.
 */
export function previewOccurrences(input: NextOccurrenceInput, n: number): Date[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_PREVIEW) {
    throw new DomainError('VALIDATION_FAILED', `n must be an integer in 0..${MAX_PREVIEW}`, { field: 'n' });
  }
  const rule = parseRecurrence(input.rrule);
  validateInput(input);
  const result: Date[] = [];
  let current = input;
  while (result.length < n) {
    const next = computeNext(rule, current);
    if (next === null) break;
    result.push(next);
    current = { ...current, after: next, completedAt: next, occurrenceIndex: current.occurrenceIndex + 1 };
  }
  return result;
}
