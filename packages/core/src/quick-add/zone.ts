import { Temporal } from 'temporal-polyfill';
import { dayOf, pad2, ymdOf } from './civil.ts';

/** The reference instant seen as wall-clock time in the user's zone. */
export interface WallNow {
  /** Today's day number in the zone. */
  today: number;
  /** Minutes since local midnight. */
  minute: number;
  /** The zone actually used (UTC when the requested one is unknown). */
  tz: string;
}

const zoneCache = new Map<string, string | null>();

/** Canonical zone id, or null for an unknown zone. Cached: zone validation is the slowest Temporal call. */
export function checkZone(tz: string): string | null {
  const hit = zoneCache.get(tz);
  if (hit !== undefined) return hit;
  let ok: string | null = null;
  try {
    ok = Temporal.Now.instant().toZonedDateTimeISO(tz).timeZoneId;
  } catch {
    ok = null;
  }
  if (zoneCache.size > 500) zoneCache.clear();
  zoneCache.set(tz, ok);
  return ok;
}

export function wallNow(now: Date, timeZone: string): WallNow {
  const tz = checkZone(timeZone) ?? 'UTC';
  const ms = now instanceof Date && Number.isFinite(now.getTime()) ? now.getTime() : 0;
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  return { today: dayOf(z.year, z.month, z.day), minute: z.hour * 60 + z.minute, tz };
}

/**
 * A local wall-clock moment in `tz` as an RFC 5545 UTC stamp (`YYYYMMDDTHHMMSSZ`), used for UNTIL.
 * Temporal's default disambiguation ("compatible") moves a time in a DST gap forward, like RFC 5545 expects.
 */
export function utcStamp(day: number, minute: number, second: number, tz: string): string {
  const { y, m, d } = ymdOf(day);
  const inst = Temporal.PlainDateTime.from({
    year: y,
    month: m,
    day: d,
    hour: Math.floor(minute / 60),
    minute: minute % 60,
    second,
  })
    .toZonedDateTime(tz)
    .toInstant()
    .toZonedDateTimeISO('UTC');
  return `${String(inst.year).padStart(4, '0')}${pad2(inst.month)}${pad2(inst.day)}T${pad2(inst.hour)}${pad2(inst.minute)}${pad2(inst.second)}Z`;
}

/** Adds a number of minutes to a local wall time, DST-correct (exact elapsed time, then back to wall time). */
export function addExactMinutes(now: Date, tz: string, minutes: number): { day: number; minute: number } {
  const ms = now instanceof Date && Number.isFinite(now.getTime()) ? now.getTime() : 0;
  const z = Temporal.Instant.fromEpochMilliseconds(ms + minutes * 60_000).toZonedDateTimeISO(tz);
  return { day: dayOf(z.year, z.month, z.day), minute: z.hour * 60 + z.minute };
}
