import { Temporal } from 'temporal-polyfill';
import { parseDatePhrase } from '../quick-add/index.ts';
import { isValidTimeZone, localDateTime, parseDateTimeInZone } from '../time/zones.ts';
import type { FilterDateValue, FilterParseOptions } from './types.ts';

/** The zone filters count days in: the given one when the runtime knows it, else UTC (as quick add does). */
export function filterZone(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}

/** The user's current local date, `YYYY-MM-DD`. */
export function localDateOf(now: Date, timeZone: string): string {
  return localDateTime(now, filterZone(timeZone)).slice(0, 10);
}

/** `date` + `days` calendar days (negative allowed). */
export function addCalendarDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The instant a local day starts in `timeZone` (DST-aware: a day may start at 01:00 where midnight is skipped). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const at = parseDateTimeInZone(date, filterZone(timeZone));
  if (!at) throw new RangeError(`not a date: ${date}`);
  return at;
}

const unitMinutes: Record<string, number> = { m: 1, min: 1, minute: 1, h: 60, hr: 60, hour: 60 };
const unitDays: Record<string, number> = { d: 1, day: 1, w: 7, week: 7 };

/**
 * `+3 days`, `-7 days`, `-4 hours`, `+2w`: a signed offset from now. Only a fallback for phrases the shared
 * quick-add date grammar does not take, so filters keep working if that grammar changes its coverage.
 */
function relativeOffset(phrase: string, opts: FilterParseOptions): FilterDateValue | null {
  const m = /^([+-])\s?(\d{1,5})\s?([a-z]{1,7})$/.exec(phrase.toLowerCase());
  if (!m) return null;
  const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  const unit = m[3]!.endsWith('s') && m[3]!.length > 1 ? m[3]!.slice(0, -1) : m[3]!;
  const minutes = unitMinutes[unit];
  if (minutes !== undefined) {
    return { kind: 'instant', at: new Date(opts.now.getTime() + n * minutes * 60_000).toISOString() };
  }
  const days = unitDays[unit];
  if (days === undefined) return null;
  return { kind: 'day', date: addCalendarDays(localDateOf(opts.now, opts.timeZone), n * days) };
}

/**
 * Resolves a date phrase of a filter ("tomorrow", "jan 27", "-7 days", "friday 5pm", "2027-01-27") with the
 * quick-add date grammar. A phrase with a time becomes an instant; without one, a local day. Null when the
 * phrase is not a date.
 */
export function resolveFilterDate(phrase: string, opts: FilterParseOptions): FilterDateValue | null {
  const text = phrase.trim();
  if (!text || text.length > 200) return null;
  const tz = filterZone(opts.timeZone);
  const parsed = parseDatePhrase(text, { now: opts.now, timeZone: tz });
  if (!parsed) return relativeOffset(text, opts);
  if (parsed.time === undefined) return { kind: 'day', date: parsed.date };
  const at = parseDateTimeInZone(`${parsed.date}T${parsed.time}`, tz);
  return at ? { kind: 'instant', at: at.toISOString() } : null;
}
