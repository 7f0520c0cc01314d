import { DomainError } from '../errors.ts';
import type {
  ParsedRule,
  RecurrenceByDay,
  RecurrenceFrequency,
  RecurrenceUntil,
  RecurrenceWeekday,
} from './recurrence.types.ts';

export const WEEKDAYS: readonly RecurrenceWeekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const FREQUENCIES: readonly RecurrenceFrequency[] = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const KNOWN_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  'WKST',
]);
/** Valid RFC 5545 parts that Taskstream deliberately does not support (yet). */
const UNSUPPORTED_PARTS = new Set(['BYWEEKNO', 'BYYEARDAY', 'RSCALE', 'SKIP']);
/** Upper bounds that keep expansion cheap; no task manager user needs more. */
const MAX_INTERVAL = 1000;
const MAX_COUNT = 10_000;
/** Days per month in a leap year: the widest each month can be. */
const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function invalid(message: string, part?: string, value?: string): never {
  throw new DomainError('INVALID_RECURRENCE', message, { part, value });
}

function parseInteger(part: string, raw: string, min: number, max: number, allowNegative = false): number {
  if (!/^[+-]?\d{1,6}$/.test(raw)) invalid(`${part} must be an integer, got "${raw}"`, part, raw);
  const n = Number(raw);
  const abs = Math.abs(n);
  if (n === 0 || abs < min || abs > max || (n < 0 && !allowNegative)) {
    const range = allowNegative ? `${min}..${max} or -${max}..-${min}` : `${min}..${max}`;
    invalid(`${part} must be in ${range}, got ${raw}`, part, raw);
  }
  return n;
}

function parseList(part: string, raw: string, parseOne: (item: string) => number): number[] {
  const items = raw.split(',');
  if (items.some((item) => item === '')) invalid(`${part} has an empty list entry`, part, raw);
  return [...new Set(items.map(parseOne))].sort((a, b) => a - b);
}

function parseZeroBasedList(part: string, raw: string, max: number): number[] {
  return parseList(part, raw, (item) => {
    if (!/^\d{1,2}$/.test(item) || Number(item) > max) {
      invalid(`${part} values must be in 0..${max}, got "${item}"`, part, raw);
    }
    return Number(item);
  });
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function parseUntil(raw: string): RecurrenceUntil {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(raw);
  if (!match) invalid(`UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ, got "${raw}"`, 'UNTIL', raw);
  const [, ys, ms, ds, hs, mins, ss, z] = match;
  const [y, m, d] = [Number(ys), Number(ms), Number(ds)];
  if (!isRealDate(y, m, d)) invalid(`UNTIL is not a real date: "${raw}"`, 'UNTIL', raw);
  const date = `${ys}-${ms}-${ds}`;
  if (hs === undefined) return { kind: 'date', date };
  if (Number(hs) > 23 || Number(mins) > 59 || Number(ss) > 59) {
    invalid(`UNTIL has an invalid time: "${raw}"`, 'UNTIL', raw);
  }
  const dateTime = `${date}T${hs}:${mins}:${ss}`;
  return z === 'Z' ? { kind: 'utc', instant: new Date(`${dateTime}Z`) } : { kind: 'local', dateTime };
}

function parseByDay(raw: string, freq: RecurrenceFrequency, hasByMonth: boolean): RecurrenceByDay[] {
  const items = raw.split(',');
  const seen = new Map<string, RecurrenceByDay>();
  for (const item of items) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) invalid(`BYDAY entry "${item}" is not a weekday such as MO, 1MO or -1FR`, 'BYDAY', raw);
    const weekday = match[2] as RecurrenceWeekday;
    if (match[1] === undefined) {
      seen.set(weekday, { weekday });
      continue;
    }
    // RFC 5545 §3.3.10: ordinals only mean something inside a month or a year.
    if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
      invalid(`BYDAY ordinal "${item}" is only allowed with FREQ=MONTHLY or FREQ=YEARLY`, 'BYDAY', raw);
    }
    const maxOrdinal = freq === 'MONTHLY' || hasByMonth ? 5 : 53;
    const ordinal = parseInteger('BYDAY ordinal', match[1], 1, maxOrdinal, true);
    seen.set(`${ordinal}${weekday}`, { weekday, ordinal });
  }
  return [...seen.values()].sort(
    (a, b) =>
      (a.ordinal ?? 0) - (b.ordinal ?? 0) || WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday),
  );
}

/**
 * Validates an RFC 5545 RRULE and returns its parts. Accepts an optional `RRULE:` prefix; part names
 * are case-insensitive. Rejects (DomainError INVALID_RECURRENCE, naming the bad part in the message and
 * in `details.part`): malformed or unknown parts, DTSTART inside the rule, sub-hourly rules (FREQ=MINUTELY
 * or SECONDLY, or more than one BYMINUTE/BYSECOND value), INTERVAL < 1, COUNT together with UNTIL,
 * parts RFC 5545 forbids for the frequency, and rules that can never occur (e.g. February 30).
 */
export function parseRecurrence(rrule: string): ParsedRule {
  if (typeof rrule !== 'string') invalid('The rule must be a string');
  let text = rrule.trim();
  if (/DTSTART/i.test(text) || /[\r\n]/.test(text)) {
    invalid('The rule must not contain DTSTART or several lines: the task due date is the anchor', 'DTSTART');
  }
  text = text.replace(/^RRULE:/i, '').replace(/;$/, '');
  if (text === '') invalid('The rule is empty', 'FREQ');

  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0 || eq === piece.length - 1) invalid(`"${piece}" is not a NAME=VALUE rule part`, piece, piece);
    const name = piece.slice(0, eq).trim().toUpperCase();
    const value = piece
      .slice(eq + 1)
      .trim()
      .toUpperCase();
    if (UNSUPPORTED_PARTS.has(name)) invalid(`${name} is not supported`, name, value);
    if (!KNOWN_PARTS.has(name)) invalid(`Unknown rule part "${name}"`, name, value);
    if (parts.has(name)) invalid(`${name} appears more than once`, name, value);
    parts.set(name, value);
  }

  const freqRaw = parts.get('FREQ');
  if (freqRaw === undefined) invalid('FREQ is required', 'FREQ');
  if (freqRaw === 'MINUTELY' || freqRaw === 'SECONDLY') {
    invalid(`FREQ=${freqRaw} is not allowed: a task can repeat at most hourly`, 'FREQ', freqRaw);
  }
  if (!(FREQUENCIES as readonly string[]).includes(freqRaw)) {
    invalid(`FREQ must be one of ${FREQUENCIES.join(', ')}, got "${freqRaw}"`, 'FREQ', freqRaw);
  }
  const freq = freqRaw as RecurrenceFrequency;

  const get = <T>(name: string, parse: (raw: string) => T): T | undefined => {
    const raw = parts.get(name);
    return raw === undefined ? undefined : parse(raw);
  };
  const interval = get('INTERVAL', (raw) => parseInteger('INTERVAL', raw, 1, MAX_INTERVAL)) ?? 1;
  const count = get('COUNT', (raw) => parseInteger('COUNT', raw, 1, MAX_COUNT));
  const until = get('UNTIL', parseUntil);
  if (count !== undefined && until !== undefined) {
    invalid('COUNT and UNTIL must not both be given (RFC 5545)', 'COUNT', parts.get('COUNT'));
  }
  const byMonth =
    get('BYMONTH', (raw) => parseList('BYMONTH', raw, (v) => parseInteger('BYMONTH', v, 1, 12))) ?? [];
  const byDay = get('BYDAY', (raw) => parseByDay(raw, freq, byMonth.length > 0)) ?? [];
  const byMonthDay =
    get('BYMONTHDAY', (raw) =>
      parseList('BYMONTHDAY', raw, (v) => parseInteger('BYMONTHDAY', v, 1, 31, true)),
    ) ?? [];
  const bySetPos =
    get('BYSETPOS', (raw) => parseList('BYSETPOS', raw, (v) => parseInteger('BYSETPOS', v, 1, 366, true))) ??
    [];
  const byHour = get('BYHOUR', (raw) => parseZeroBasedList('BYHOUR', raw, 23)) ?? [];
  const byMinute = get('BYMINUTE', (raw) => parseZeroBasedList('BYMINUTE', raw, 59)) ?? [];
  const bySecond = get('BYSECOND', (raw) => parseZeroBasedList('BYSECOND', raw, 59)) ?? [];
  const wkst = get('WKST', (raw) => {
    if (!(WEEKDAYS as readonly string[]).includes(raw))
      invalid(`WKST must be a weekday code, got "${raw}"`, 'WKST', raw);
    return raw as RecurrenceWeekday;
  });

  // Two minutes (or seconds) in the same hour are less than an hour apart, whatever BYHOUR says.
  if (byMinute.length > 1) {
    invalid('BYMINUTE with several values repeats more often than hourly', 'BYMINUTE', parts.get('BYMINUTE'));
  }
  if (bySecond.length > 1) {
    invalid('BYSECOND with several values repeats more often than hourly', 'BYSECOND', parts.get('BYSECOND'));
  }
  if (freq === 'WEEKLY' && byMonthDay.length > 0) {
    invalid('BYMONTHDAY is not allowed with FREQ=WEEKLY (RFC 5545)', 'BYMONTHDAY', parts.get('BYMONTHDAY'));
  }
  if (bySetPos.length > 0) {
    if (freq === 'HOURLY') {
      invalid('BYSETPOS is not supported with FREQ=HOURLY', 'BYSETPOS', parts.get('BYSETPOS'));
    }
    const others = byDay.length + byMonthDay.length + byMonth.length + byHour.length + byMinute.length;
    if (others === 0) {
      invalid('BYSETPOS needs another BY part to select from (RFC 5545)', 'BYSETPOS', parts.get('BYSETPOS'));
    }
  }
  if (byMonthDay.length > 0) {
    const months = byMonth.length > 0 ? byMonth : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const possible = months.some((m) => byMonthDay.some((d) => Math.abs(d) <= (MAX_MONTH_DAYS[m - 1] ?? 31)));
    if (!possible) {
      invalid(
        'BYMONTH and BYMONTHDAY never meet: the rule has no occurrence',
        'BYMONTHDAY',
        parts.get('BYMONTHDAY'),
      );
    }
  }

  return {
    freq,
    interval,
    ...(count !== undefined ? { count } : {}),
    ...(until !== undefined ? { until } : {}),
    byDay,
    byMonthDay,
    byMonth,
    bySetPos,
    byHour,
    byMinute,
    bySecond,
    ...(wkst !== undefined ? { wkst } : {}),
  };
}

function formatUntil(until: RecurrenceUntil): string {
  const compact = (s: string) => s.replace(/[-:]/g, '');
  switch (until.kind) {
    case 'date':
      return compact(until.date);
    case 'local':
      return compact(until.dateTime);
    case 'utc':
      return `${compact(until.instant.toISOString().slice(0, 19))}Z`;
  }
}

/**
 * Writes a parsed rule back as a canonical RRULE value (no `RRULE:` prefix, parts in a fixed order),
 * suitable for storage: `formatRecurrence(parseRecurrence(x))` is stable.
 */
export function formatRecurrence(rule: ParsedRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  const list = (name: string, values: readonly (number | string)[]) => {
    if (values.length > 0) parts.push(`${name}=${values.join(',')}`);
  };
  list('BYMONTH', rule.byMonth);
  list('BYMONTHDAY', rule.byMonthDay);
  list(
    'BYDAY',
    rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`),
  );
  list('BYHOUR', rule.byHour);
  list('BYMINUTE', rule.byMinute);
  list('BYSECOND', rule.bySecond);
  list('BYSETPOS', rule.bySetPos);
  if (rule.wkst !== undefined) parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}
