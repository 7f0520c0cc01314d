import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors.ts';
import { parseRecurrence } from './recurrence.parse.ts';
import type { ParsedRule, RecurrenceByDay, RecurrenceUntil, RecurrenceWeekday } from './recurrence.types.ts';

const DAY_NAMES: Record<RecurrenceWeekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WORKWEEK = 'MO,TU,WE,TH,FR';

export interface DescribeRecurrenceOptions {
  /** The series' local time of day, `HH:MM`; used when the rule has no BYHOUR. */
  readonly time?: string;
  /** IANA zone in which a UTC UNTIL is shown as a local date. */
  readonly tz?: string;
}

function joinWith(items: readonly string[], word: 'and' | 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix =
    mod100 >= 11 && mod100 <= 13
      ? 'th'
      : n % 10 === 1
        ? 'st'
        : n % 10 === 2
          ? 'nd'
          : n % 10 === 3
            ? 'rd'
            : 'th';
  return `${n}${suffix}`;
}

/** 1 → "1st", -1 → "last", -2 → "2nd to last". */
function position(n: number): string {
  if (n === -1) return 'last';
  return n < 0 ? `${ordinal(-n)} to last` : ordinal(n);
}

function plural(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

function dayCodes(byDay: readonly RecurrenceByDay[]): string {
  return byDay.map((d) => d.weekday).join(',');
}

/** A set of plain weekdays as a noun: "workday", "weekend day", "day", or "Monday or Friday". */
function daySetNoun(byDay: readonly RecurrenceByDay[]): string {
  const codes = dayCodes(byDay);
  if (codes === WORKWEEK) return 'workday';
  if (codes === 'SA,SU') return 'weekend day';
  if (byDay.length === 7) return 'day';
  return joinWith(
    byDay.map((d) => DAY_NAMES[d.weekday]),
    'or',
  );
}

/** Plain weekdays in plural: "weekdays", "Mondays and Fridays". */
function daysPlural(byDay: readonly RecurrenceByDay[]): string {
  if (dayCodes(byDay) === WORKWEEK) return 'weekdays';
  if (dayCodes(byDay) === 'SA,SU') return 'weekends';
  return joinWith(
    byDay.map((d) => `${DAY_NAMES[d.weekday]}s`),
    'and',
  );
}

/** "the 1st and 15th", "the last day", "the 1st, 15th and last day". */
function monthDays(byMonthDay: readonly number[]): string {
  const positive = byMonthDay.filter((d) => d > 0).map(ordinal);
  const negative = byMonthDay.filter((d) => d < 0).map((d) => `${position(d)} day`);
  return `the ${joinWith([...positive, ...negative], 'and')}`;
}

/** "the 1st Monday and the last Friday": counted-from-start before counted-from-end, as people say it. */
function ordinalDays(byDay: readonly RecurrenceByDay[]): string {
  const rank = (d: RecurrenceByDay) =>
    d.ordinal === undefined ? 0 : d.ordinal > 0 ? d.ordinal : 100 + d.ordinal;
  return joinWith(
    [...byDay]
      .sort((a, b) => rank(a) - rank(b))
      .map((d) =>
        d.ordinal === undefined ? DAY_NAMES[d.weekday] : `the ${position(d.ordinal)} ${DAY_NAMES[d.weekday]}`,
      ),
    'and',
  );
}

function monthNames(byMonth: readonly number[]): string {
  return joinWith(
    byMonth.map((m) => MONTH_NAMES[m - 1] ?? String(m)),
    'and',
  );
}

/** What to say about the day(s) within a month: "on the last Friday", "on the 31st", "on weekdays". */
function withinMonth(rule: ParsedRule): string {
  const { byDay, byMonthDay, bySetPos } = rule;
  if (bySetPos.length > 0 && byDay.length > 0 && byDay.every((d) => d.ordinal === undefined)) {
    const positions = joinWith(bySetPos.map(position), 'and');
    return ` on the ${positions} ${daySetNoun(byDay)}`;
  }
  const pieces: string[] = [];
  if (byMonthDay.length > 0) pieces.push(` on ${monthDays(byMonthDay)}`);
  if (byDay.length > 0) {
    const ordinalsOnly = byDay.every((d) => d.ordinal !== undefined);
    if (ordinalsOnly) pieces.push(` on ${ordinalDays(byDay)}`);
    else
      pieces.push(byMonthDay.length > 0 ? ` when it is a ${daySetNoun(byDay)}` : ` on ${daysPlural(byDay)}`);
  }
  if (bySetPos.length > 0) pieces.push(`, only the ${joinWith(bySetPos.map(position), 'and')} of those`);
  return pieces.join('');
}

function frequencyPhrase(rule: ParsedRule): string {
  const { byDay, byMonth, byMonthDay, interval } = rule;
  const inMonths = byMonth.length > 0 ? ` in ${monthNames(byMonth)}` : '';
  switch (rule.freq) {
    case 'HOURLY': {
      const on = byDay.length > 0 ? ` on ${daysPlural(byDay)}` : '';
      const dates = byMonthDay.length > 0 ? ` on ${monthDays(byMonthDay)}` : '';
      return `${plural(interval, 'hour')}${on}${dates}${inMonths}`;
    }
    case 'DAILY': {
      if (byDay.length > 0 && interval === 1) {
        if (dayCodes(byDay) === WORKWEEK) return `every weekday${inMonths}`;
        return `every ${joinWith(
          byDay.map((d) => DAY_NAMES[d.weekday]),
          'and',
        )}${inMonths}`;
      }
      const on = byDay.length > 0 ? ` on ${daysPlural(byDay)}` : '';
      const dates = byMonthDay.length > 0 ? ` on ${monthDays(byMonthDay)}` : '';
      return `${plural(interval, 'day')}${on}${dates}${inMonths}`;
    }
    case 'WEEKLY': {
      const names = byDay.map((d) => DAY_NAMES[d.weekday]);
      if (byDay.length === 0) return `${plural(interval, 'week')}${inMonths}`;
      if (interval === 1 && dayCodes(byDay) === WORKWEEK) return `every weekday${inMonths}`;
      if (interval === 1) return `every ${joinWith(names, 'and')}${inMonths}`;
      if (dayCodes(byDay) === WORKWEEK) return `${plural(interval, 'week')} on weekdays${inMonths}`;
      return `${plural(interval, 'week')} on ${joinWith(names, 'and')}${inMonths}`;
    }
    case 'MONTHLY': {
      // "every 2nd Tuesday" is the quick-add parser's phrase for BYDAY=2TU, so the text reads back the same.
      const only = byDay[0];
      const single = byDay.length === 1 && byMonthDay.length === 0 && rule.bySetPos.length === 0;
      if (interval === 1 && single && only?.ordinal !== undefined && only.ordinal > 0) {
        return `every ${ordinal(only.ordinal)} ${DAY_NAMES[only.weekday]}${inMonths}`;
      }
      return `${plural(interval, 'month')}${withinMonth(rule)}${inMonths}`;
    }
    case 'YEARLY': {
      const head = plural(interval, 'year');
      if (byMonthDay.length === 0 && byDay.length === 0) return `${head}${inMonths}`;
      if (byMonth.length === 1 && byDay.length === 0 && byMonthDay.every((d) => d > 0)) {
        return `${head} on ${monthNames(byMonth)} ${joinWith(byMonthDay.map(String), 'and')}`;
      }
      if (byMonth.length > 0) return `${head}${withinMonth(rule)} of ${monthNames(byMonth)}`;
      const ordinalDaysOnly = byDay.length > 0 && byDay.every((d) => d.ordinal !== undefined);
      if (ordinalDaysOnly && rule.bySetPos.length === 0)
        return `${head} on ${ordinalDays(byDay)} of the year`;
      // Without BYMONTH, BYMONTHDAY expands to every month of the year (RFC 5545 §3.3.10 table).
      if (byDay.length === 0 && rule.bySetPos.length === 0) {
        return `${head} on ${monthDays(byMonthDay)} of each month`;
      }
      return `${head}${withinMonth(rule)}`;
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function timePhrase(rule: ParsedRule, time: string | undefined): string {
  const fallbackMinute = time === undefined ? 0 : Number(time.slice(3, 5));
  if (rule.byHour.length > 0) {
    const minute = rule.byMinute[0] ?? fallbackMinute;
    return ` at ${joinWith(
      rule.byHour.map((h) => `${pad(h)}:${pad(minute)}`),
      'and',
    )}`;
  }
  if (rule.freq === 'HOURLY') {
    return rule.byMinute.length > 0 ? ` at minute ${rule.byMinute[0]}` : '';
  }
  if (rule.byMinute.length > 0 && time !== undefined)
    return ` at ${time.slice(0, 3)}${pad(rule.byMinute[0] ?? 0)}`;
  return time === undefined ? '' : ` at ${time}`;
}

function untilDate(until: RecurrenceUntil, tz: string | undefined): string {
  switch (until.kind) {
    case 'date':
      return until.date;
    case 'local':
      return until.dateTime.slice(0, 10);
    case 'utc':
      if (tz === undefined) return until.instant.toISOString().slice(0, 10);
      try {
        return Temporal.Instant.fromEpochMilliseconds(until.instant.getTime())
          .toZonedDateTimeISO(tz)
          .toPlainDate()
          .toString();
      } catch {
        throw new DomainError('INVALID_TIME_ZONE', `Unknown time zone "${tz}"`, { tz });
      }
  }
}

/**
 * A short English description of a rule, e.g. "every day at 09:00", "every 2nd Tuesday at 09:00",
 * "every weekday", "every 2 weeks on Monday and Friday", "every month on the last Friday",
 * "every 3 days, 5 times", "every year on January 27 until 2028-01-01".
 * `time` (HH:MM) is the series' local time of day, shown unless the rule sets BYHOUR; `tz` is the zone in
 * which a UTC UNTIL is shown as a date (UTC when absent). Throws INVALID_RECURRENCE for a bad rule.
 */
export function describeRecurrence(rrule: string, options: DescribeRecurrenceOptions = {}): string {
  const rule = parseRecurrence(rrule);
  const { time, tz } = options;
  if (time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
    throw new DomainError('VALIDATION_FAILED', `time must be HH:MM, got "${time}"`, { field: 'time' });
  }
  let text = frequencyPhrase(rule) + timePhrase(rule, time);
  if (rule.count !== undefined) text += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  if (rule.until !== undefined) text += ` until ${untilDate(rule.until, tz)}`;
  return text;
}
