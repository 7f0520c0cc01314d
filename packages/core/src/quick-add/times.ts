import { cardinal, unit } from './lexicon.ts';
import { type Scan, w } from './scan.ts';

/** A recognised time of day: tokens [start, end) and minutes since midnight. */
export interface TimeHit {
  end: number;
  minute: number;
  /** written without am/pm and below 13:00 ("at 9", "9:30"): may be an evening hour after "tonight" */
  bare?: boolean;
}

/** Parts of the day, Todoist's conventions (every morning = 9am, afternoon = 12pm, evening = 7pm, night = 10pm). */
export const DAYPARTS = new Map<string, number>([
  ['morning', 9 * 60],
  ['afternoon', 12 * 60],
  ['evening', 19 * 60],
  ['night', 22 * 60],
  ['tonight', 22 * 60],
]);

const MERIDIEM = new Map<string, 'am' | 'pm'>([
  ['am', 'am'],
  ['a.m.', 'am'],
  ['a', 'am'],
  ['a.m', 'am'],
  ['pm', 'pm'],
  ['p.m.', 'pm'],
  ['p', 'pm'],
  ['p.m', 'pm'],
]);

const TIME_12 = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a|p|a\.m\.?|p\.m\.?)$/;
const TIME_24 = /^(\d{1,2}):(\d{2})(?::\d{2})?$/;
const TIME_RANGE = /^(\d{1,2})(?::(\d{2}))?(am|pm)?[-\u2013](\d{1,2})(?::(\d{2}))?(am|pm)$/;

function to24(h: number, m: number, mer: 'am' | 'pm' | undefined): number | null {
  if (m < 0 || m > 59) return null;
  if (mer === undefined) return h >= 0 && h <= 23 ? h * 60 + m : h === 24 && m === 0 ? 0 : null;
  if (h < 1 || h > 12) return null;
  const hh = mer === 'am' ? h % 12 : (h % 12) + 12;
  return hh * 60 + m;
}

/** A clock time starting at token i without any "at" cue: "5pm", "5 pm", "17:00", "5:30 p.m.", "noon", "9am-10am". */
function clock(s: Scan, i: number): TimeHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  if (a === 'noon' || a === 'midday') return { end: i + 1, minute: 12 * 60 };
  // "half past 3", "quarter to five", "quarter past 9am"
  if (
    (a === 'half' || a === 'quarter') &&
    (w(s, i + 1) === 'past' || (a === 'quarter' && w(s, i + 1) === 'to'))
  ) {
    const h = clock(s, i + 2) ?? hourWord(s, i + 2);
    if (h === null || h.minute % 60 !== 0) return null;
    const delta = a === 'half' ? 30 : w(s, i + 1) === 'to' ? -15 : 15;
    return { end: h.end, minute: (h.minute + delta + 1440) % 1440, ...(h.bare ? { bare: true } : {}) };
  }
  if (a === 'midnight') return { end: i + 1, minute: 0 };
  // "17h30", "9h15" (French and German style); a lone "17h" stays a duration
  const hm = /^(\d{1,2})h(\d{2})$/.exec(a);
  if (hm) {
    const v = to24(Number(hm[1]), Number(hm[2]), undefined);
    return v === null ? null : { end: i + 1, minute: v };
  }
  let m = TIME_12.exec(a);
  if (m) {
    const v = to24(Number(m[1]), m[2] ? Number(m[2]) : 0, m[3]!.startsWith('a') ? 'am' : 'pm');
    return v === null ? null : { end: i + 1, minute: v };
  }
  m = TIME_RANGE.exec(a);
  if (m) {
    const mer = (m[3] ?? m[6]) as 'am' | 'pm';
    const v = to24(Number(m[1]), m[2] ? Number(m[2]) : 0, mer);
    return v === null ? null : { end: i + 1, minute: v };
  }
  const next = w(s, i + 1);
  const mer = next === undefined ? undefined : MERIDIEM.get(next);
  m = TIME_24.exec(a);
  if (m) {
    const v = to24(Number(m[1]), Number(m[2]), mer);
    if (v === null) return null;
    return mer ? { end: i + 2, minute: v } : { end: i + 1, minute: v, bare: Number(m[1]) < 13 };
  }
  if (/^\d{1,2}$/.test(a)) {
    if (mer !== undefined && next !== undefined && (next === 'am' || next === 'pm' || next.includes('.'))) {
      const v = to24(Number(a), 0, mer);
      return v === null ? null : { end: i + 2, minute: v };
    }
    if (next === "o'clock" || next === 'oclock' || next === 'o\u2019clock') {
      // "5 o'clock pm"
      const after = w(s, i + 2);
      const m2 = after === undefined ? undefined : MERIDIEM.get(after);
      if (m2 !== undefined && (after === 'am' || after === 'pm' || after!.includes('.'))) {
        const v = to24(Number(a), 0, m2);
        return v === null ? null : { end: i + 3, minute: v };
      }
      const v = to24(Number(a), 0, undefined);
      return v === null ? null : { end: i + 2, minute: v, bare: Number(a) < 13 };
    }
  }
  return null;
}

/** A bare hour as digits or a word ("3", "nine") after "half past" / "quarter to". */
function hourWord(s: Scan, i: number): TimeHit | null {
  const n = cardinal(w(s, i));
  return n !== null && n >= 1 && n <= 12 ? { end: i + 1, minute: n * 60, bare: true } : null;
}

const AT_CUES = new Set(['at', '@', 'around', 'about', 'by', 'before', 'after', 'due:', 'from']);

/**
 * A time starting at token i: an optional cue ("at", "@", "around") and a clock time; after "at" a bare
 * hour also counts ("at 17", "at 5" = 05:00 — read literally, never guessed). With `bareDaypart`
 * (directly after a date: "tomorrow morning") a lone "morning"/"evening" counts too.
 */
export function matchTime(s: Scan, i: number, bareDaypart = false): TimeHit | null {
  const t = matchTimeAsWritten(s, i, bareDaypart);
  return t === null ? null : afternoonHour(s, i, t);
}

/**
 * A bare hour from 1 to 6 ("call mom at 5", "4 o'clock", "at 3:30") is in the afternoon: people say "5am"
 * when they mean it. 7 to 12 stay as written ("standup at 9", "7 o'clock" = 07:00), and so does a
 * 24-hour form with a leading zero ("05:30"). A part of the day decides before this rule does.
 */
function afternoonHour(s: Scan, i: number, t: TimeHit): TimeHit {
  if (t.bare !== true || bareMinute(t.minute) === t.minute) return t;
  for (let k = i; k < t.end; k++) {
    const a = w(s, k);
    if (a !== undefined && /^\d/.test(a)) {
      return a.startsWith('0') ? t : { end: t.end, minute: bareMinute(t.minute) };
    }
  }
  // the hour was a word ("half past six")
  return { end: t.end, minute: bareMinute(t.minute) };
}

/** A clock time written without am/pm, read by the rule above (1:00–6:59 → p.m.). */
export function bareMinute(minute: number): number {
  return minute >= 60 && minute < 7 * 60 ? minute + 12 * 60 : minute;
}

function matchTimeAsWritten(s: Scan, i: number, bareDaypart: boolean): TimeHit | null {
  const t = matchTimeCore(s, i, bareDaypart);
  if (t !== null) return withDaypartSuffix(s, withRangeEnd(s, t));
  const a = w(s, i);
  if (a !== undefined && /^\d{1,2}$/.test(a) && Number(a) >= 1 && Number(a) <= 12) {
    const bare: TimeHit = { end: i + 1, minute: Number(a) * 60, bare: true };
    // "8 - 11pm": a bare hour starting a range whose end has am/pm.
    const ranged = withRangeEnd(s, bare);
    if (ranged.end > bare.end && !ranged.bare) return withDaypartSuffix(s, ranged);
    // "11 tonight", "7 in the evening", "11 at night": a bare hour made a time by the part of day after it.
    const v = withDaypartSuffix(s, ranged);
    if (v.end > ranged.end || v.minute !== ranged.minute || w(s, ranged.end) === 'tonight') return v;
  }
  return null;
}

const RANGE_WORDS = new Set(['-', '\u2013', 'to', 'until', 'till', 'til']);

/**
 * A time range ("10:00 - 21:45", "8pm - 11", "2-3pm" split by spaces): the due time is the start; the end
 * belongs to the span, and a start without am/pm takes the end's p.m. ("8 - 11pm" starts at 20:00).
 * A range of two bare numbers ("7 - 8") is no time at all, unless a part of day follows ("10 - 11 at night").
 */
function withRangeEnd(s: Scan, t: TimeHit): TimeHit {
  const sep = w(s, t.end);
  if (sep === undefined || !RANGE_WORDS.has(sep)) return t;
  const e = clock(s, t.end + 1);
  const n = w(s, t.end + 1);
  if (e === null) {
    // "10 - 11 at night"
    if (n === undefined || !/^\d{1,2}$/.test(n)) return t;
    // "8pm - 11": the start's am/pm carries over to a bare end.
    if (t.bare !== true && Number(n) <= 24) return { end: t.end + 2, minute: t.minute };
    const tail = withDaypartSuffix(s, { end: t.end + 2, minute: Number(n) * 60, bare: true });
    if (tail.end === t.end + 2) return t;
    const pm = tail.minute >= 12 * 60 && t.bare === true && t.minute < 12 * 60;
    return { end: tail.end, minute: pm ? t.minute + 12 * 60 : t.minute };
  }
  const endPm = e.minute >= 12 * 60 && e.bare !== true;
  const minute =
    t.bare === true && endPm && t.minute < 12 * 60 && t.minute + 12 * 60 <= e.minute
      ? t.minute + 12 * 60
      : t.minute;
  if (t.bare === true && e.bare === true) return t;
  return { end: e.end, minute };
}

/** Applies "in the morning/afternoon/evening", "at night" or a following "tonight" to a time without am/pm. */
function withDaypartSuffix(s: Scan, t: TimeHit): TimeHit {
  const a = w(s, t.end);
  let part: string | undefined;
  let end = t.end;
  if (a === 'in' && w(s, t.end + 1) === 'the') {
    part = w(s, t.end + 2);
    if (part !== undefined && DAYPARTS.has(part)) end = t.end + 3;
    else part = undefined;
  } else if (a === 'at' && w(s, t.end + 1) === 'night') {
    part = 'night';
    end = t.end + 2;
  } else if (a === 'tonight' || a === 'this') {
    // "11 tonight": the date parser consumes "tonight"; it only decides a.m./p.m. here.
    part = a === 'tonight' ? 'night' : DAYPARTS.has(w(s, t.end + 1) ?? '') ? w(s, t.end + 1) : undefined;
  }
  if (part === undefined) return t;
  const pm = part !== 'morning';
  const minute = t.bare === true && pm && t.minute < 12 * 60 ? t.minute + 12 * 60 : t.minute;
  return { end, minute };
}

function matchTimeCore(s: Scan, i: number, bareDaypart: boolean): TimeHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  if (a === 'between') {
    // "between 3 and 5pm": a range, due at its start (p.m. when the end is and the start can be)
    const n = w(s, i + 1);
    const start =
      clock(s, i + 1) ??
      (n !== undefined && /^\d{1,2}$/.test(n) ? { end: i + 2, minute: Number(n) * 60, bare: true } : null);
    if (start === null || w(s, start.end) !== 'and') return null;
    const e = clock(s, start.end + 1);
    if (e === null) return null;
    const pm =
      start.bare === true &&
      e.minute >= 12 * 60 &&
      start.minute < 12 * 60 &&
      start.minute + 12 * 60 <= e.minute;
    return { end: e.end, minute: pm ? start.minute + 12 * 60 : start.minute };
  }
  if (AT_CUES.has(a)) {
    const c = clock(s, i + 1);
    if (c) return c;
    if (a === 'at' || a === '@') {
      const n = w(s, i + 1);
      const dotted = n === undefined ? null : /^(\d{1,2})\.(\d{2})$/.exec(n);
      if (dotted) {
        // "at 12.30": after "at", a dotted number is a time (a decimal like "at 10.1" is not).
        const v = to24(Number(dotted[1]), Number(dotted[2]), undefined);
        if (v !== null) return { end: i + 2, minute: v, bare: Number(dotted[1]) < 13 };
      }
      if (n !== undefined && /^\d{1,2}$/.test(n) && Number(n) <= 24 && unit(w(s, i + 2)) === null) {
        const after = w(s, i + 2);
        // "I'm at 10 - 10.1": a number range is not a time.
        if (after === '-' && clock(s, i + 3) === null) return null;
        // "at 10 Downing Street" is an address, not a time.
        if (after === undefined || !/^[a-z]/.test(after) || isTimeContinuation(after)) {
          return { end: i + 2, minute: (Number(n) % 24) * 60, bare: Number(n) < 13 };
        }
      }
      if (a === 'at' && w(s, i + 1) === 'night') return { end: i + 2, minute: DAYPARTS.get('night')! };
    }
    return null;
  }
  const c = clock(s, i);
  if (c) return c;
  if (a === 'in' && w(s, i + 1) === 'the') {
    const p = w(s, i + 2);
    if (p !== undefined && p !== 'night' && p !== 'tonight' && DAYPARTS.has(p)) {
      return { end: i + 3, minute: DAYPARTS.get(p)! };
    }
  }
  if (bareDaypart && a !== 'tonight' && DAYPARTS.has(a)) return { end: i + 1, minute: DAYPARTS.get(a)! };
  // "first thing tomorrow", "monday first thing": the start of the working day
  if (a === 'first' && w(s, i + 1) === 'thing' && (bareDaypart || FIRST_THING_BEFORE.has(w(s, i + 2) ?? '')))
    return { end: i + 2, minute: 9 * 60 };
  return null;
}

const FIRST_THING_BEFORE = new Set([
  'tomorrow',
  'today',
  'on',
  'next',
  'this',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);

/** Words after "at N" that still make N a time ("at 5 tomorrow", "at 9 every day"). */
function isTimeContinuation(low: string): boolean {
  return (
    low === 'today' ||
    low === 'tomorrow' ||
    low === 'tonight' ||
    low === 'on' ||
    low === 'every' ||
    low === 'ev' ||
    low === 'next' ||
    low === 'this' ||
    low === 'in' ||
    low === 'and' ||
    low === 'remind' ||
    cardinal(low) !== null
  );
}
