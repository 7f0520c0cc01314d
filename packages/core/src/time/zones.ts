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
 * Returns null when the text is neither.
 */
export function parseDateTimeInZone(text: string, tz: string): Date | null {
  const s = text.trim();
  try {
    if (/T/.test(s) && offsetPattern.test(s)) {
      return new Date(Temporal.Instant.from(s).epochMilliseconds);
    }
    if (!localPattern.test(s)) return null;
    const pdt = s.includes('T')
      ? Temporal.PlainDateTime.from(s)
      : Temporal.PlainDate.from(s).toPlainDateTime();
    return new Date(pdt.toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds);
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock `YYYY-MM-DDTHH:MM:SS` of an instant in a zone (fast path through a cached Intl formatter). */
export function localDateTime(at: Date, tz: string): string {
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
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(at)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}
