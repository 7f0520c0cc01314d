import { formatDay, formatMinutes } from './civil.ts';
import { type DateHit, matchDate } from './dates.ts';
import { cardinal, compactDuration, type Unit, unit } from './lexicon.ts';
import { consume, type Scan, w } from './scan.ts';
import { matchTime } from './times.ts';

export type Reminder = { before: string } | { at: string };

/** A reminder before resolution: an offset before the due time, or a wall time (date may still be missing). */
export type ReminderHit = { before: string } | { day?: number; minute: number };

const BEFORE_WORDS = new Set(['before', 'earlier', 'prior', 'ahead', 'beforehand', 'early']);
const REMIND_WORDS = new Set(['remind', 'reminder', 'alert', 'notify', 'ping', 'nudge']);

/** ISO 8601 duration for an amount ("PT30M", "PT1H30M", "P1D", "P2W", "P1M"). */
export function isoDuration(n: number, u: Unit): string {
  switch (u) {
    case 'minute':
      return minutesIso(n);
    case 'hour':
      return minutesIso(n * 60);
    case 'day':
      return `P${n}D`;
    case 'week':
      return `P${n}W`;
    case 'month':
      return `P${n}M`;
    case 'quarter':
      return `P${3 * n}M`;
    case 'year':
      return `P${n}Y`;
  }
}

function minutesIso(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 || h === 0 ? `${m}M` : ''}`;
}

function durationAt(s: Scan, i: number): { iso: string; end: number } | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const n = cardinal(a, true);
  if (n !== null) {
    const u = unit(w(s, i + 1));
    if (u !== null) return { iso: isoDuration(n, u), end: i + 2 };
    return null;
  }
  const cd = compactDuration(a);
  if (cd === null) return null;
  if (cd.months > 0) return cd.days === 0 && cd.minutes === 0 ? { iso: `P${cd.months}M`, end: i + 1 } : null;
  if (cd.days > 0 && cd.minutes === 0)
    return { iso: cd.days % 7 === 0 ? `P${cd.days / 7}W` : `P${cd.days}D`, end: i + 1 };
  if (cd.days > 0) return { iso: `P${cd.days}D${minutesIso(cd.minutes).slice(1)}`, end: i + 1 };
  return { iso: minutesIso(cd.minutes), end: i + 1 };
}

/** A date and/or time phrase for "remind me at …": returns a wall time (missing date = the due date). */
function momentAt(s: Scan, i: number): { hit: ReminderHit; end: number } | null {
  const d: DateHit | null = matchDate(s, i);
  if (d) {
    let j = d.end;
    if (w(s, j) === ',') j++;
    const t = matchTime(s, j, true);
    if (t) return { hit: { day: d.day, minute: t.minute }, end: t.end };
    // A reminder needs a time: a bare date reminds at 09:00 (Todoist's morning).
    return { hit: { day: d.day, minute: d.time ?? 9 * 60 }, end: d.end };
  }
  const t = matchTime(s, i);
  if (t) {
    const d2 = matchDate(s, t.end);
    if (d2) return { hit: { day: d2.day, minute: t.minute }, end: d2.end };
    return { hit: { minute: t.minute }, end: t.end };
  }
  return null;
}

/**
 * Reminders: "remind me 1 day before", "remind 2h before", "reminder 30 minutes earlier", "remind me at 9am",
 * "remind me tomorrow at 8", "!30m", "!1h" (before the due time) and "!2027-12-31 at 9am" (at a wall time).
 */
export function parseReminders(s: Scan, out: ReminderHit[]): void {
  for (let i = 0; i < s.toks.length; i++) {
    const a = w(s, i);
    if (a === undefined) continue;
    if (s.toks[i]!.kind === 'mark' && a === '!') {
      const dur = durationAt(s, i + 1);
      if (dur && /[a-z]$/.test(w(s, i + 1) ?? '') && unit(w(s, i + 2)) === null) {
        out.push({ before: dur.iso });
        consume(s, i, dur.end, 'reminder');
        continue;
      }
      const mo = momentAt(s, i + 1);
      if (mo) {
        out.push(mo.hit);
        consume(s, i, mo.end, 'reminder');
      }
      continue;
    }
    if (!REMIND_WORDS.has(a)) continue;
    let j = i + 1;
    if (w(s, j) === 'me' || w(s, j) === 'us') j++;
    if (w(s, j) === ':') j++;
    let k = j;
    if (w(s, k) === 'the' && (w(s, k + 1) === 'day' || w(s, k + 1) === 'week' || w(s, k + 1) === 'hour')) {
      const u = unit(w(s, k + 1))!;
      if (BEFORE_WORDS.has(w(s, k + 2) ?? '')) {
        out.push({ before: isoDuration(1, u) });
        consume(s, i, k + 3, 'reminder');
        continue;
      }
    }
    const dur = durationAt(s, k);
    if (dur) {
      let e = dur.end;
      if (w(s, e) === 'in' && w(s, e + 1) === 'advance') e += 2;
      else if (BEFORE_WORDS.has(w(s, e) ?? '')) e++;
      else e = -1;
      if (e > 0) {
        out.push({ before: dur.iso });
        consume(s, i, e, 'reminder');
        continue;
      }
    }
    if (w(s, k) === 'at' || w(s, k) === 'on' || w(s, k) === '@') {
      const mo = momentAt(s, k);
      if (mo) {
        out.push(mo.hit);
        consume(s, i, mo.end, 'reminder');
        continue;
      }
      k++;
    }
    const mo = momentAt(s, k);
    if (mo) {
      out.push(mo.hit);
      consume(s, i, mo.end, 'reminder');
    }
  }
}

/** Resolves reminder wall times against the due date (or today/tomorrow for a time alone). */
export function resolveReminders(hits: ReminderHit[], s: Scan, dueDay: number | undefined): Reminder[] {
  return hits.map((h) => {
    if ('before' in h) return { before: h.before };
    const day = h.day ?? dueDay ?? (h.minute <= s.nowMin ? s.today + 1 : s.today);
    return { at: `${formatDay(day)}T${formatMinutes(h.minute)}` };
  });
}
