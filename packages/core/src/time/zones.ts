import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors.ts';

const zoneCache = new Map<string, boolean>();

/** True for IANA zone names the runtime knows (and UTC). */
export function isValidTimeZone(tz: string): boolean {
  const known = zoneCache.get(tz);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    ok = tz.length <= 64;
  } catch {
    ok = false;
  }
  if (zoneCache.size < 1000) zoneCache.set(tz, ok);
  return ok;
}

export function assertTimeZone(tz: string, path = 'tz'): string {
  if (!isValidTimeZone(tz)) {
    throw new DomainError('INVALID_TIME_ZONE', `Unknown time zone "${tz}"`, [
      { path, message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
  }
  return tz;
}

const offsetPattern = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const localPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;

/**
 * Reads a date-time given by a client: an ISO 8601 instant (with Z or an offset) is taken as is; a local
 * date or date-time is wall-clock time in `tz` (DST gaps move forward, overlaps take the earlier offset).
 * Returns null when the text is neither, or when the instant falls outside years 0001–9999 (PostgreSQL has
 * no year 0, and every date this app writes back is `YYYY-MM-DD…`).
 */
export function parseDateTimeInZone(text: string, tz: string): Date | null {
  const s = text.trim();
  let ms: number;
  try {
    if (/T/.test(s) && offsetPattern.test(s)) {
      ms = Temporal.Instant.from(s).epochMilliseconds;
    } else {
      if (!localPattern.test(s)) return null;
      const pdt = s.includes('T')
        ? Temporal.PlainDateTime.from(s)
        : Temporal.PlainDate.from(s).toPlainDateTime();
      ms = pdt.toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds;
    }
  } catch {
    return null;
  }
  return ms >= isoRange[0] && ms <= isoRange[1] ? new Date(ms) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function formatParts(at: Date, tz: string): string {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(at)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

const dayMs = 86_400_000;
/** Years 0001–9999, where `toISOString` writes the same `YYYY-MM-DDTHH:MM:SS` as the formatter. */
const isoRange = [Date.UTC(1, 0, 2), Date.UTC(9999, 11, 30)] as const;
/** `${tz} ${UTC day}` → the zone's offset (ms) all that day, or null when the offset changes during it. */
const dayOffsets = new Map<string, number | null>();

function offsetAt(ms: number, tz: string): number {
  return Date.parse(`${formatParts(new Date(ms), tz)}Z`) - ms;
}

/**
 * Wall-clock `YYYY-MM-DDTHH:MM:SS` of an instant in a zone. `formatToParts` is slow (it was 8 % of the CPU of
 * a GET /tasks page), so it runs twice per zone and UTC day to find that day's offset; an instant on a day
 * whose offset stays the same is then shifted arithmetically, and one on a day with a transition is formatted.
 */
export function localDateTime(at: Date, tz: string): string {
  const ms = at.getTime();
  if (!(ms > isoRange[0] && ms < isoRange[1])) return formatParts(at, tz);
  const day = Math.floor(ms / dayMs);
  const key = `${tz} ${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const start = offsetAt(day * dayMs, tz);
    offset = start === offsetAt((day + 1) * dayMs, tz) ? start : null;
    // bounded: a long-running server sees many days and zones
    if (dayOffsets.size >= 50_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  if (offset === null) return formatParts(at, tz);
  return new Date(ms + offset).toISOString().slice(0, 19);
}
