import { addMonths, daysInMonth, validDay, weekdayOf, ymdOf } from './civil.ts';
import {
  AMBIGUOUS_WEEKDAYS,
  cardinal,
  compactDuration,
  MONTHS,
  ordinal,
  typoName,
  type Unit,
  unit,
  WEEKDAYS,
} from './lexicon.ts';
import { raw, type Scan, w } from './scan.ts';
import { DAYPARTS } from './times.ts';
import { addExactMinutes } from './zone.ts';

/** A recognised date: tokens [i, end), the day, and a time when the phrase implies one ("tonight", "in 2 hours"). */
export interface DateHit {
  end: number;
  day: number;
  time?: number;
  /** a bare weekday naming today: a time that has passed today moves it to next week */
  sameDay?: boolean;
}

/** Words before a date that belong to it ("due friday", "on the 27th"): consumed with it, not left in the title. */
export const DATE_PREPS = new Set(['on', 'by', 'due', 'for', 'before', '@', 'due:', 'until', 'till', 'til']);

/** Context words that make an ambiguous word ("sun", "1st", "weekend") a date. */
const CUES = new Set([
  'on',
  'by',
  'due',
  'next',
  'this',
  'last',
  'every',
  'ev',
  'each',
  'until',
  'till',
  'til',
  'before',
  'after',
  'from',
  'starting',
  'at',
  '@',
  'for',
  'coming',
  'upcoming',
  'the',
  'ending',
  'through',
  'thru',
  'since',
  'and',
]);

const TOMORROW = new Set(['tomorrow', 'tmr', 'tmrw', 'tmw', 'tomorow', 'tommorow', 'tommorrow', 'tomorrows']);

function lastOfMonth(day: number): number {
  const { y, m } = ymdOf(day);
  return day + (daysInMonth(y, m) - ymdOf(day).d);
}

function firstOfMonth(day: number): number {
  return day - ymdOf(day).d + 1;
}

function quarterStart(day: number): number {
  const { m } = ymdOf(day);
  return addMonths(firstOfMonth(day), -((m - 1) % 3));
}

/** Next day (today included) that is day-of-month `d` in some month; months too short are skipped. */
function nextMonthDay(today: number, d: number): number | null {
  let first = firstOfMonth(today);
  for (let k = 0; k < 13; k++) {
    const { y, m } = ymdOf(first);
    const v = validDay(y, m, d);
    if (v !== null && v >= today) return v;
    first = addMonths(first, 1);
  }
  return null;
}

/** Next date (today included) with month `m` and day `d`; "feb 29" finds the next leap year. */
function nextYearDay(today: number, m: number, d: number): number | null {
  const { y } = ymdOf(today);
  for (let k = 0; k < 9; k++) {
    const v = validDay(y + k, m, d);
    if (v !== null && v >= today) return v;
  }
  return null;
}

function plainYear(low: string | undefined): number | null {
  if (low === undefined || !/^\d{4}$/.test(low)) return null;
  const y = Number(low);
  return y >= 1900 && y <= 2999 ? y : null;
}

/** Adds n units to a day (calendar units only). */
export function addUnits(day: number, n: number, u: Unit): number {
  switch (u) {
    case 'day':
      return day + n;
    case 'week':
      return day + 7 * n;
    case 'month':
      return addMonths(day, n);
    case 'quarter':
      return addMonths(day, 3 * n);
    case 'year':
      return addMonths(day, 12 * n);
    default:
      return day;
  }
}

/** Relative offset from now; minutes and hours give an exact time (DST-correct), others a day. */
function offset(s: Scan, n: number, u: Unit, end: number): DateHit | null {
  if (!Number.isFinite(n) || Math.abs(n) > 10000) return null;
  if (u === 'minute' || u === 'hour') {
    const r = addExactMinutes(s.now, s.tz, u === 'hour' ? n * 60 : n);
    return { end, day: r.day, time: r.minute };
  }
  return { end, day: addUnits(s.today, n, u) };
}

/**
 * A misspelt name at token i ("thursdy", "septmber"): only in lower case or after a cue ("on Frday"), so a
 * capitalised name one letter away ("Frida Kahlo") stays a title.
 */
function typoAt(s: Scan, i: number, kind: 'month' | 'weekday', cued: boolean): number | undefined {
  const hit = typoName(w(s, i));
  if (hit === null || hit.kind !== kind) return undefined;
  const prev = raw(s, i - 1);
  const cue = cued || (prev !== undefined && CUES.has(prev) && prev !== 'the' && prev !== 'and');
  return cue || s.toks[i]!.text === s.toks[i]!.low ? hit.value : undefined;
}

/** Weekday (1-7) at token i, honouring the rule that "sun"/"sat" need a cue before them. */
function weekdayAt(s: Scan, i: number, cued: boolean): number | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const tok = s.toks[i]!;
  const wd = WEEKDAYS.get(a) ?? typoAt(s, i, 'weekday', cued);
  if (wd === undefined) return null;
  const after = s.toks[i + 1];
  // "Friday Night Lights", "Sunday Times": a capitalised weekday inside a capitalised name is a title.
  if (
    !cued &&
    !s.phrase &&
    /^[A-Z]/.test(tok.text) &&
    after !== undefined &&
    after.kind === 'word' &&
    /^[A-Z][a-z]/.test(after.text) &&
    !(DAYPARTS.has(after.low) && !/^[A-Z][a-z]/.test(s.toks[i + 2]?.text ?? '')) &&
    !MONTHS.has(after.low) &&
    after.low !== 'at'
  ) {
    return null;
  }
  const prevWord = raw(s, i - 1);
  // "the Sunday paper", "a Friday night dinner": a weekday after an article describes a noun.
  if (!cued && !s.phrase && (prevWord === 'the' || prevWord === 'a' || prevWord === 'an')) return null;
  if (AMBIGUOUS_WEEKDAYS.has(a) && !cued && !s.phrase) {
    const prev = prevWord;
    // "sat"/"sun"/"wed" need a cue ("on sat") unless they end the line or come with a time ("mon 9am"):
    // "Enjoy the sun" and "sat down" stay titles.
    const next = s.toks[i + 1];
    const endsHere = next === undefined || next.kind === 'punct' || s.used[i + 1] === true;
    const nextWeek = (w(s, i + 1) === 'next' || w(s, i + 1) === 'this') && w(s, i + 2) === 'week';
    const timed =
      nextWeek ||
      (next !== undefined &&
        (/^\d{1,2}(?::\d{2})?(?:am|pm)$|^\d{1,2}:\d{2}$|^at$/.test(next.low) ||
          (DAYPARTS.has(next.low) && next.low !== 'tonight')));
    const isSun = a === 'sun' || a === 'sat';
    const cue = prev !== undefined && CUES.has(prev) && prev !== 'the' && prev !== 'and';
    // At the start of the line ("Sat 9am car wash", "Mon: prep slides") a time or a colon must follow:
    // "Sat nav repair" and "Wed invitations" stay titles.
    // A line that is only "Wed" names the day.
    const leading = i === 0 && (timed || next === undefined || next.text === ':');
    if (!cue && !leading && !((endsHere || timed) && i > 0 && !(isSun && !timed))) {
      return null;
    }
  }
  return wd;
}

/** Month-day forms: "jan 27", "jan 27th, 2028", "27 jan", "27th of january 2028", "10-aug-2027", "aug 10-12". */
function monthDay(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const dashed = DASHED_DMY.exec(a);
  const dashedMd = dashed ? null : DASHED_MD.exec(a);
  const dm = dashed ? MONTHS.get(dashed[2]!) : dashedMd ? MONTHS.get(dashedMd[1]!) : undefined;
  if (dm !== undefined) {
    const d = Number((dashed ?? dashedMd)![dashed ? 1 : 2]);
    if (dashed?.[3] !== undefined) {
      const v = validDay(Number(dashed[3]), dm, d);
      return v === null ? null : { end: i + 1, day: v };
    }
    return withYear(s, i + 1, dm, d);
  }
  if (a === 'the') return monthDayAfterThe(s, i + 1);
  const mon = MONTHS.get(a.endsWith('.') ? a.slice(0, -1) : a) ?? typoAt(s, i, 'month', false);
  if (mon !== undefined) {
    // "Jan. 27": the abbreviation's dot is a separate token.
    const k = w(s, i + 1) === '.' && s.toks[i + 1]!.start === s.toks[i]!.end ? i + 1 : i;
    const b = w(s, k + 1);
    const range = b === undefined ? null : DAY_RANGE.exec(b);
    let d = range ? Number(range[1]) : b !== undefined && /^\d{1,2}$/.test(b) ? Number(b) : ordinal(b);
    let end = k + 2;
    if (d === null && b === 'the') {
      d = ordinal(w(s, k + 2));
      end = k + 3;
    }
    if (d === null || d < 1 || d > 31) return null;
    return withYear(s, end, mon, d);
  }
  let d = a !== undefined && /^\d{1,2}$/.test(a) ? Number(a) : ordinal(a);
  if (d === null || d < 1 || d > 31) return null;
  let j = i + 1;
  if (w(s, j) === 'of') {
    j++;
    // "the 1st of next month", "the 15th of this month"
    const rel = w(s, j);
    if ((rel === 'next' || rel === 'this') && w(s, j + 1) === 'month') {
      const first = addMonths(firstOfMonth(s.today), rel === 'next' ? 1 : 0);
      const { y, m } = ymdOf(first);
      const v = validDay(y, m, d);
      return v === null ? null : { end: j + 2, day: v };
    }
  }
  const mw = w(s, j);
  const m2 = mw === undefined ? undefined : MONTHS.get(mw.endsWith('.') ? mw.slice(0, -1) : mw);
  if (m2 === undefined) return null;
  d = Number(d);
  return withYear(s, j + 1, m2, d);
}

/** "the 27th of january": only the day-first form may follow "the". */
function monthDayAfterThe(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  return a !== undefined && ordinal(a) !== null ? monthDay(s, i) : null;
}

function withYear(s: Scan, j: number, m: number, d: number): DateHit | null {
  let y = plainYear(w(s, j));
  let end = j + 1;
  if (y === null && w(s, j) === ',' && plainYear(w(s, j + 1)) !== null) {
    y = plainYear(w(s, j + 1));
    end = j + 2;
  }
  if (y !== null) {
    const v = validDay(y, m, d);
    return v === null ? null : { end, day: v };
  }
  const v = nextYearDay(s.today, m, d);
  return v === null ? null : { end: j, day: v };
}

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})t(\d{2}):(\d{2})(?::\d{2})?$/;
/** "10-aug-2027", "10-aug", "aug-10" */
const DASHED_DMY = /^(\d{1,2})-([a-z]{3,9})(?:-(\d{4}))?$/;
const DASHED_MD = /^([a-z]{3,9})-(\d{1,2})$/;
/** "10-12" after a month: a range of days, due on the first */
const DAY_RANGE = /^(\d{1,2})[-\u2013](\d{1,2})$/;
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const DM = /^(\d{1,2})\/(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SIGNED = /^([+-])(\d{1,4})([a-z]*)$/;
const DOTTED_DM = /^(\d{1,2})\.(\d{1,2})$/;
const MONTH_YEAR = /^(\d{1,2})\/(\d{4})$/;

/** Words before a dotted number that make it a version, a section or a time, never a day.month. */
const NOT_BEFORE_DOTTED = new Set([
  'at',
  '@',
  'to',
  'v',
  'version',
  'ver',
  'release',
  'build',
  'ubuntu',
  'chapter',
  'ch',
  'section',
  'page',
  'psalm',
  'verse',
  'rev',
  'patch',
  'node',
  'python',
  'ios',
  'android',
]);

/** A dotted number after "version", "release:", "to" …: a version or a section, not a date ("Release: 2.4.11"). */
function versionContext(s: Scan, i: number): boolean {
  let k = i - 1;
  if (raw(s, k) === ':') k--;
  const prev = raw(s, k);
  return prev !== undefined && NOT_BEFORE_DOTTED.has(prev);
}

/**
 * "03.04", "15.06.", "on 5.3": day.month without a year (dots are day-first, as in German and most of Europe).
 * A decimal ("1.5 liters", "12.50") or a version ("22.04") must stay a number, so the month needs two digits
 * or a trailing dot or a cue before it, and the phrase must end there (or go on with a time).
 */
function dottedDayMonth(s: Scan, i: number, d: number, mo: string): DateHit | null {
  const month = Number(mo);
  if (month < 1 || month > 12 || d < 1 || d > 31) return null;
  const dot =
    s.toks[i + 1]?.text === '.' && s.toks[i + 1]!.start === s.toks[i]!.end && s.used[i + 1] !== true;
  const prev = raw(s, i - 1);
  if (!s.phrase && versionContext(s, i)) return null;
  const cued = prev !== undefined && CUES.has(prev) && prev !== 'the' && prev !== 'and';
  if (!s.phrase && !cued && !dot && mo.length < 2) return null;
  const after = dot ? i + 2 : i + 1;
  const next = s.toks[after];
  const ends =
    next === undefined || next.kind === 'punct' || s.used[after] === true || /^(?:at|@|\d)/.test(next.low);
  if (!s.phrase && !ends) return null;
  const v = nextYearDay(s.today, month, d);
  return v === null ? null : { end: after, day: v };
}

/** Numeric dates in one token: 2027-01-27, 27/1, 27/1/2028, 27.01.2028, 1/27 (when day/month cannot be). */
function numeric(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined || !/^[\d+-]/.test(a)) return null;
  const dt = ISO_DATETIME.exec(a);
  if (dt) {
    // "2027-08-10T17:00"
    const v = validDay(Number(dt[1]), Number(dt[2]), Number(dt[3]));
    const h = Number(dt[4]);
    const min = Number(dt[5]);
    return v === null || h > 23 || min > 59 ? null : { end: i + 1, day: v, time: h * 60 + min };
  }
  let m = ISO.exec(a) ?? (s.phrase ? COMPACT.exec(a) : null);
  if (m) {
    const v = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
    return v === null ? null : { end: i + 1, day: v };
  }
  m = DMY.exec(a);
  if (m && m[2] === '.' && !s.phrase && versionContext(s, i)) return null;
  if (m) {
    let y = Number(m[4]);
    if (m[4]!.length === 2) y += 2000;
    // Slashes and dashes read month/day first, as chrono and Vikunja do ("02/17/2027"), and day/month when
    // that is the only valid reading ("27/1/2028"); dots are always day.month.year ("27.01.2028").
    let mo = Number(m[1]);
    let d = Number(m[3]);
    if (m[2] === '.' || (mo > 12 && d <= 12)) [d, mo] = [mo, d];
    if (m[2] === '-' && m[4]!.length === 2) return null;
    const v = validDay(y, mo, d);
    return v === null ? null : { end: i + 1, day: v };
  }
  m = DM.exec(a);
  if (m && !s.phrase && i > 0) {
    // "The 9/11 Report": a day/month without a year inside a title needs a cue or to end the phrase.
    const prev = raw(s, i - 1);
    const next = s.toks[i + 1];
    const cued = prev !== undefined && CUES.has(prev) && prev !== 'the' && prev !== 'and';
    const ends =
      next === undefined || next.kind === 'punct' || s.used[i + 1] === true || /^(?:at|@|\d)/.test(next.low);
    if (!cued && !ends) return null;
  }
  if (m) {
    let mo = Number(m[1]);
    let d = Number(m[2]);
    if (mo > 12 && d <= 12) [d, mo] = [mo, d];
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
    const v = nextYearDay(s.today, mo, d);
    return v === null ? null : { end: i + 1, day: v };
  }
  m = DOTTED_DM.exec(a);
  if (m) return dottedDayMonth(s, i, Number(m[1]), m[2]!);
  m = MONTH_YEAR.exec(a);
  if (m) {
    const v = validDay(Number(m[2]), Number(m[1]), 1);
    return v === null ? null : { end: i + 1, day: v };
  }
  m = SIGNED.exec(a);
  if (m) {
    // Taskwarrior-style "+3d", "+2w"; a negative offset ("-7d", "-7 days") only in a date phrase (filters).
    if (m[1] === '-' && !s.phrase) return null;
    const sign = m[1] === '-' ? -1 : 1;
    const n = Number(m[2]);
    if (m[3] === '') {
      // "+2 days 3 hours" (a negative offset got this far only in a date phrase)
      const u = unit(w(s, i + 1));
      if (u === null) return null;
      const t: Span3 = { months: 0, days: 0, minutes: 0, u, end: i + 2 };
      addAmount(t, n, u);
      moreAmounts(s, t);
      return shift(s, t, sign, t.end);
    }
    const cd = compactDuration(`${m[2]}${m[3]}`);
    const u = unit(m[3]);
    if (u !== null) return offset(s, sign * n, u, i + 1);
    if (cd !== null && cd.months === 0 && cd.days === 0) return offset(s, sign * cd.minutes, 'minute', i + 1);
    return null;
  }
  return null;
}

/** "N units" after the number at i: returns the unit and the index after it. Accepts "3 days", "3days", "a week". */
function amount(s: Scan, i: number, allowArticle: boolean): { n: number; u: Unit; end: number } | null {
  const a = w(s, i);
  if (a === undefined) return null;
  if (a === 'half' && (w(s, i + 1) === 'an' || w(s, i + 1) === 'a') && unit(w(s, i + 2)) === 'hour') {
    return { n: 30, u: 'minute', end: i + 3 };
  }
  if ((a === 'a' || a === 'an') && w(s, i + 1) === 'couple') {
    // "a couple of days", "a couple hours"
    const k = w(s, i + 2) === 'of' ? i + 3 : i + 2;
    const u = unit(w(s, k));
    return u === null ? null : { n: 2, u, end: k + 1 };
  }
  if ((a === 'a' || a === 'an') && w(s, i + 1) === 'fortnight') return { n: 14, u: 'day', end: i + 2 };
  const n = cardinal(a, allowArticle);
  if (n !== null) {
    const u = unit(w(s, i + 1));
    if (u !== null) return { n, u, end: i + 2 };
    if (w(s, i + 1) === 'fortnight' || w(s, i + 1) === 'fortnights')
      return { n: 14 * n, u: 'day', end: i + 2 };
    return null;
  }
  const m = /^(\d{1,4})(mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|months?|y|yrs?|years?)$/.exec(
    a,
  );
  if (m) {
    const u = unit(m[2]);
    return u === null ? null : { n: Number(m[1]), u, end: i + 1 };
  }
  return null;
}

const NOT_BEFORE_BARE_AMOUNT = new Set([
  'for',
  'of',
  'per',
  'each',
  'every',
  'ev',
  'last',
  'past',
  'than',
  'about',
  'around',
  'after',
  'within',
  'over',
  'remind',
  'me',
  'takes',
  'take',
  'lasts',
  'the',
]);
const NOT_AFTER_BARE_AMOUNT = new Set([
  'of',
  'before',
  'earlier',
  'prior',
  'ahead',
  'old',
  'long',
  'left',
  'ago',
]);

/** A sum of amounts ("2 days 3 hours", "2d 4h 10min", "1 hour and 15 minutes", "2.5 hours"), split by kind. */
interface Span3 {
  months: number;
  days: number;
  minutes: number;
  /** the first amount's unit (a bare "3 weeks" is a date, a bare "5 minutes" is not) */
  u: Unit;
  end: number;
}

function addAmount(t: Span3, n: number, u: Unit): void {
  if (u === 'minute') t.minutes += n;
  else if (u === 'hour') t.minutes += 60 * n;
  else if (u === 'day') t.days += n;
  else if (u === 'week') t.days += 7 * n;
  else if (u === 'month') t.months += n;
  else if (u === 'quarter') t.months += 3 * n;
  else t.months += 12 * n;
}

/** "2.5 hours", "1.5 days": a decimal amount of a unit no longer than a week, in minutes. */
function decimalAmount(s: Scan, i: number): { minutes: number; u: Unit; end: number } | null {
  const a = w(s, i);
  if (a === undefined || !/^\d{1,3}\.\d{1,2}$/.test(a)) return null;
  const u = unit(w(s, i + 1));
  const per = u === 'minute' ? 1 : u === 'hour' ? 60 : u === 'day' ? 1440 : u === 'week' ? 10080 : 0;
  return per === 0 ? null : { minutes: Math.round(Number(a) * per), u: u!, end: i + 2 };
}

function amounts(s: Scan, i: number, allowArticle: boolean): Span3 | null {
  const dec = decimalAmount(s, i);
  const first = dec ? null : amount(s, i, allowArticle);
  if (!dec && !first) return null;
  const t: Span3 = {
    months: 0,
    days: 0,
    minutes: dec?.minutes ?? 0,
    u: (dec ?? first)!.u,
    end: (dec ?? first)!.end,
  };
  if (first) addAmount(t, first.n, first.u);
  moreAmounts(s, t);
  return t;
}

/** Extends a sum with the amounts that follow it ("… 3 hours", "… and 15 minutes"). */
function moreAmounts(s: Scan, t: Span3): void {
  for (let guard = 0; guard < 6; guard++) {
    let j = t.end;
    if (w(s, j) === 'and' || w(s, j) === ',') j++;
    if (!/^\d/.test(w(s, j) ?? '')) break;
    // after a larger unit, a bare "m" means minutes: "1h 30m"
    const mins = /^(\d{1,4})m$/.exec(w(s, j)!);
    const more = mins ? { n: Number(mins[1]), u: 'minute' as Unit, end: j + 1 } : amount(s, j, false);
    if (!more) break;
    addAmount(t, more.n, more.u);
    t.end = more.end;
  }
}

/** "the next hour": one of the unit. */
function oneUnit(s: Scan, i: number): Span3 {
  const u = unit(w(s, i))!;
  const t: Span3 = { months: 0, days: 0, minutes: 0, u, end: i + 1 };
  addAmount(t, 1, u);
  return t;
}

/** Shifts a base day (and time, or now when the amounts are sub-day only) by a sum of amounts. */
function shift(s: Scan, t: Span3, sign: number, end: number, base?: DateHit): DateHit | null {
  if (Math.abs(t.months) > 12000 || Math.abs(t.days) > 400000 || Math.abs(t.minutes) > 10_000_000)
    return null;
  if (base === undefined && t.months === 0 && t.days === 0) return offset(s, sign * t.minutes, 'minute', end);
  const day = addMonths(base?.day ?? s.today, sign * t.months) + sign * t.days;
  if (t.minutes === 0) return base?.time === undefined ? { end, day } : { end, day, time: base.time };
  // Days move the calendar date; hours and minutes then count on the wall clock from now (or the base time).
  const minute = (base === undefined ? s.nowMin : (base.time ?? 0)) + sign * t.minutes;
  return { end, day: day + Math.floor(minute / 1440), time: ((minute % 1440) + 1440) % 1440 };
}

/** Relative forms: "in 3 days", "3 days from now", "2 weeks later", "3 days ago", bare "3 weeks". */
function relative(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  if (a === 'in' || a === 'within') {
    // "within the next 3 days", "in the next hour"
    const k = w(s, i + 1) === 'the' && w(s, i + 2) === 'next' ? i + 3 : i + 1;
    const am = amounts(s, k, true) ?? (k > i + 1 && unit(w(s, k)) !== null ? oneUnit(s, k) : null);
    // "in 3 weeks time", "in 3 weeks' time"
    if (am) return shift(s, am, 1, w(s, am.end) === 'time' ? am.end + 1 : am.end);
    const mon = MONTHS.get(w(s, i + 1) ?? '');
    if (mon !== undefined && w(s, i + 2) === 'of' && plainYear(w(s, i + 3)) !== null) {
      const v = validDay(plainYear(w(s, i + 3))!, mon, 1);
      return v === null ? null : { end: i + 4, day: v };
    }
    if (mon !== undefined && w(s, i + 2) === undefined) return monthStart(s, mon, i + 2);
    if (mon !== undefined && (plainYear(w(s, i + 2)) !== null || !/^\d/.test(w(s, i + 2) ?? ''))) {
      const y = plainYear(w(s, i + 2));
      if (y !== null) {
        const v = validDay(y, mon, 1);
        return v === null ? null : { end: i + 3, day: v };
      }
      return monthStart(s, mon, i + 2);
    }
    return null;
  }
  if (a === 'a' || a === 'an' || cardinal(a) !== null || /^\d/.test(a) || a === 'half') {
    const am = amounts(s, i, a === 'a' || a === 'an');
    if (!am) return null;
    const next = w(s, am.end);
    const next2 = w(s, am.end + 1);
    if (next === 'ago') return shift(s, am, -1, am.end + 1);
    if ((next === 'from' || next === 'after') && (next2 === 'now' || next2 === 'today')) {
      return shift(s, am, 1, am.end + 2);
    }
    if (next === 'from' || next === 'after' || next === 'before') {
      // "2 weeks from tomorrow", "3 days after next monday", "2 days before jan 27"
      const base = matchDate(s, am.end + 1);
      if (base) return shift(s, am, next === 'before' ? -1 : 1, base.end, base);
    }
    if (next === 'later' || next === 'hence' || next === 'out') return shift(s, am, 1, am.end + 1);
    // Bare "3 weeks": only calendar units, not "5 minute journal", "3 days of food", "for 3 weeks".
    if (a === 'a' || a === 'an' || a === 'half') return null;
    if (am.u === 'minute' || am.u === 'hour') return null;
    if (!/^\d{1,3}$/.test(a) && cardinal(a) === null) return null;
    const prev = raw(s, i - 1);
    if (prev !== undefined && NOT_BEFORE_BARE_AMOUNT.has(prev)) return null;
    if (next !== undefined && NOT_AFTER_BARE_AMOUNT.has(next)) return null;
    return shift(s, am, 1, am.end);
  }
  return null;
}

/** First day of the next month `mon` (this month's first day when `mon` is the current month and it is the 1st). */
function monthStart(s: Scan, mon: number, end: number): DateHit | null {
  const { y, m } = ymdOf(s.today);
  const yy = mon > m ? y : mon === m ? y + 1 : y + 1;
  const v = validDay(mon === m && ymdOf(s.today).d === 1 ? y : yy, mon, 1);
  return v === null ? null : { end, day: v };
}

type Period = 'week' | 'month' | 'year' | 'quarter' | 'day';

function periodWord(low: string | undefined): Period | null {
  if (low === 'week' || low === 'month' || low === 'year' || low === 'quarter' || low === 'day') return low;
  return null;
}

/** "end of (the|this|next)? week|month|year", "end of january", "beginning of next month", "mid january". */
function boundary(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  let kind: 'end' | 'start' | 'mid' | null = null;
  let j = i + 1;
  if (a === 'end' || a === 'eo') kind = 'end';
  else if (a === 'beginning' || a === 'start' || a === 'early') kind = 'start';
  else if (a === 'mid' || a === 'middle') kind = 'mid';
  else if (a.startsWith('mid-')) {
    // "mid-january", "mid-month": the part after the dash is the period.
    const rest = a.slice(4);
    const mon = MONTHS.get(rest);
    if (mon !== undefined) return midOfMonth(s, mon, i + 1);
    if (rest === 'month') return midThisMonth(s, i + 1);
    return null;
  } else return null;
  if (w(s, j) === 'of') j++;
  if (w(s, j) === 'the') j++;
  if (kind === 'start' && a === 'early' && j === i + 1) {
    // "early january" = the 1st; "early next week" = Monday.
  }
  let rel: 'this' | 'next' = 'this';
  if (w(s, j) === 'this' || w(s, j) === 'current') j++;
  else if (w(s, j) === 'next') {
    rel = 'next';
    j++;
  }
  const b = w(s, j);
  const p = periodWord(b);
  const t = s.today;
  const wd = weekdayOf(t);
  if (p !== null) {
    const end = j + 1;
    if (kind === 'mid') {
      if (p === 'month')
        return rel === 'next' ? { end, day: addMonths(firstOfMonth(t), 1) + 14 } : midThisMonth(s, end);
      if (p === 'week') return { end, day: t - wd + 3 + (rel === 'next' ? 7 : 0) };
      return null;
    }
    if (p === 'day') return kind === 'end' && rel === 'this' ? { end, day: t } : null;
    if (p === 'week') {
      const mon = t - wd + 1 + (rel === 'next' ? 7 : 0);
      // A week ends on Sunday (ISO 8601 weeks); "beginning of the week" is that week's Monday.
      return { end, day: kind === 'end' ? mon + 6 : rel === 'next' ? mon : mon < t ? mon + 7 : mon };
    }
    if (p === 'month') {
      const first = addMonths(firstOfMonth(t), rel === 'next' ? 1 : 0);
      if (kind === 'end') return { end, day: lastOfMonth(first) };
      return { end, day: rel === 'this' && first < t ? addMonths(first, 1) : first };
    }
    if (p === 'quarter') {
      const q = addMonths(quarterStart(t), rel === 'next' ? 3 : 0);
      if (kind === 'end') return { end, day: addMonths(q, 3) - 1 };
      return { end, day: rel === 'this' && q < t ? addMonths(q, 3) : q };
    }
    const { y } = ymdOf(t);
    const yy = rel === 'next' ? y + 1 : y;
    if (kind === 'end') return { end, day: validDay(yy, 12, 31)! };
    const jan1 = validDay(yy, 1, 1)!;
    return { end, day: jan1 < t ? validDay(yy + 1, 1, 1)! : jan1 };
  }
  const mon = b === undefined ? undefined : MONTHS.get(b);
  if (mon !== undefined && rel === 'this') {
    if (kind === 'mid') return midOfMonth(s, mon, j + 1);
    const start = nextYearDay(t - 31, mon, 1);
    if (start === null) return null;
    // The month's first day may have passed while the month is still current: "end of january" in January.
    const first = start + daysInMonth(ymdOf(start).y, mon) <= t ? addMonths(start, 12) : start;
    if (kind === 'end') return { end: j + 1, day: lastOfMonth(first) };
    return { end: j + 1, day: first < t ? addMonths(first, 12) : first };
  }
  return null;
}

/** The last day of the current week (Sunday), month, quarter or year. */
function boundaryEnd(s: Scan, p: 'week' | 'month' | 'quarter' | 'year', end: number): DateHit {
  const t = s.today;
  if (p === 'week') return { end, day: t - weekdayOf(t) + 7 };
  if (p === 'month') return { end, day: lastOfMonth(t) };
  if (p === 'quarter') return { end, day: addMonths(quarterStart(t), 3) - 1 };
  return { end, day: validDay(ymdOf(t).y, 12, 31)! };
}

function midThisMonth(s: Scan, end: number): DateHit {
  const first = firstOfMonth(s.today);
  const mid = first + 14;
  return { end, day: mid >= s.today ? mid : addMonths(first, 1) + 14 };
}

function midOfMonth(s: Scan, mon: number, end: number): DateHit | null {
  const v = nextYearDay(s.today, mon, 15);
  return v === null ? null : { end, day: v };
}

/** Weekday forms: "friday", "this friday", "next friday", "last friday", "friday next week". */
function weekday(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const t = s.today;
  const wd = weekdayOf(t);
  let mod: 'this' | 'next' | 'last' | null = null;
  let j = i;
  // "the following monday"
  if (a === 'the' && w(s, i + 1) === 'following') return weekday(s, i + 1);
  if (a === 'this' || a === 'coming' || a === 'upcoming') mod = 'this';
  else if (a === 'next' || a === 'following') mod = 'next';
  else if (a === 'last' || a === 'past' || a === 'previous') mod = 'last';
  if (mod !== null) {
    j++;
    if (w(s, j) === 'coming') j++;
  }
  const x = weekdayAt(s, j, mod !== null);
  if (x === null) return null;
  let end = j + 1;
  // "friday next week", "Tuesday of next week", "Tuesday, next week"
  const conn = w(s, end) === 'of' || w(s, end) === ',' ? end + 1 : end;
  if (mod === null && (w(s, conn) === 'next' || w(s, conn) === 'this') && w(s, conn + 1) === 'week') {
    mod = w(s, conn) === 'next' ? 'next' : 'this';
    end = conn + 2;
    if (mod === 'this') return { end, day: t - wd + x };
  } else if (mod === null && w(s, end) === 'after' && w(s, end + 1) === 'next') {
    return { end: end + 2, day: t + ((x - wd + 7) % 7 || 7) + 7 };
  }
  if (mod === 'this') return { end, day: t + ((x - wd + 7) % 7) };
  // "next friday" is the friday of next (ISO) week; a bare weekday is the next one after today.
  if (mod === 'next') return { end, day: t + (7 - wd) + x };
  if (mod === 'last') return { end, day: t - ((wd - x + 7) % 7 || 7) };
  // A bare weekday is its next occurrence, today included (chrono, Vikunja); parseDue moves it a week
  // on when a time given with it has already passed today.
  const delta = (x - wd + 7) % 7;
  return delta === 0 ? { end, day: t, sameDay: true } : { end, day: t + delta };
}

/** Day of the nth (1-5, or -1 for last) weekday `wd` in month `m` of year `y`, or null when there is none. */
export function nthWeekdayIn(y: number, m: number, n: number, wd: number): number | null {
  const first = validDay(y, m, 1)!;
  const dim = daysInMonth(y, m);
  if (n > 0) {
    const d = 1 + ((wd - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
    return d <= dim ? first + d - 1 : null;
  }
  const last = first + dim - 1;
  const d = last - ((weekdayOf(last) - wd + 7) % 7) + 7 * (n + 1);
  return d >= first ? d : null;
}

/** "3rd mon in march", "the last thu of jan 2029", "second sunday in may": the next such day (today included). */
function nthWeekdayOfMonth(s: Scan, i: number): DateHit | null {
  let j = i;
  if (w(s, j) === 'the') j++;
  const a = w(s, j);
  const n = a === 'last' ? -1 : ordinal(a);
  if (n === null || n > 5) return null;
  const wd = WEEKDAYS.get(w(s, j + 1) ?? '');
  const sep = w(s, j + 2);
  if (wd === undefined || (sep !== 'in' && sep !== 'of')) return null;
  const mw = w(s, j + 3);
  // "the 2nd friday of next month", "last friday of this month"
  if ((mw === 'next' || mw === 'this') && w(s, j + 4) === 'month') {
    const { y: my, m } = ymdOf(addMonths(firstOfMonth(s.today), mw === 'next' ? 1 : 0));
    const v = nthWeekdayIn(my, m, n, wd);
    return v === null ? null : { end: j + 5, day: v };
  }
  const mon = mw === undefined ? undefined : MONTHS.get(mw.endsWith('.') ? mw.slice(0, -1) : mw);
  if (mon === undefined) return null;
  const y = plainYear(w(s, j + 4));
  if (y !== null) {
    const v = nthWeekdayIn(y, mon, n, wd);
    return v === null ? null : { end: j + 5, day: v };
  }
  const { y: ty } = ymdOf(s.today);
  for (let k = 0; k < 8; k++) {
    const v = nthWeekdayIn(ty + k, mon, n, wd);
    if (v !== null && v >= s.today) return { end: j + 4, day: v };
  }
  return null;
}

/** "the 27th", "27th", "on the 1st": only with a cue or at a phrase end, so "1st draft" stays a title. */
function dayOfMonth(s: Scan, i: number): DateHit | null {
  let j = i;
  let cued = false;
  if (w(s, j) === 'the') {
    j++;
    const p = raw(s, i - 1);
    cued = p !== undefined && CUES.has(p) && p !== 'the';
  } else {
    const p = raw(s, i - 1);
    cued = p !== undefined && CUES.has(p) && p !== 'the' && p !== 'and';
  }
  const d = ordinal(w(s, j));
  if (d === null || !/^\d/.test(w(s, j)!)) return null;
  const next = w(s, j + 1);
  const atEnd = next === undefined || (s.toks[j + 1]?.kind === 'punct' && next !== '-');
  if (!cued && !atEnd && !s.phrase && next !== 'at' && next !== '@') return null;
  const v = nextMonthDay(s.today, d);
  return v === null ? null : { end: j + 1, day: v };
}

/** Keyword dates: today, tonight, tomorrow, "day after tomorrow", weekends, next week/month/year, Taskwarrior's eom/sow/…. */
function keyword(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const t = s.today;
  const wd = weekdayOf(t);
  const { y } = ymdOf(t);
  const end = i + 1;
  switch (a) {
    case 'eod':
    case 'cob': {
      // "by EOD friday": the end of that day adds nothing to an all-day date
      const d = w(s, i + 1) === undefined ? null : matchDate(s, i + 1);
      if (d) return d;
      return a === 'eod' ? { end, day: t } : null;
    }
    case 'today':
    case 'tod':
    case 'tdy':
      return { end, day: t };
    case 'tonight':
      return { end, day: t, time: DAYPARTS.get('tonight')! };
    case 'yesterday':
      return { end, day: t - 1 };
    case 'now':
      return s.phrase ? { end, day: t, time: s.nowMin } : null;
    case 'tom':
      // "Call Tom" is a person; only the lower-case abbreviation means tomorrow.
      return s.toks[i]!.text === 'tom' ? { end, day: t + 1 } : null;
    case 'eow':
    case 'eocw':
      return { end, day: t - wd + 7 };
    case 'sow':
      return { end, day: t - wd + 8 };
    case 'socw':
      return { end, day: t - wd + 1 };
    case 'eom':
    case 'eocm':
      return { end, day: lastOfMonth(t) };
    case 'som':
      return { end, day: addMonths(firstOfMonth(t), 1) };
    case 'socm':
      return { end, day: firstOfMonth(t) };
    case 'eoq':
    case 'eocq':
      return { end, day: addMonths(quarterStart(t), 3) - 1 };
    case 'soq':
      return { end, day: addMonths(quarterStart(t), 3) };
    case 'socq':
      return { end, day: quarterStart(t) };
    case 'eoy':
    case 'eocy':
      return { end, day: validDay(y, 12, 31)! };
    case 'soy':
      return { end, day: validDay(y + 1, 1, 1)! };
    case 'socy':
      return { end, day: validDay(y, 1, 1)! };
    case 'weekend':
    case 'weekends': {
      const p = raw(s, i - 1);
      if (
        !(
          s.phrase ||
          (p !== undefined &&
            (p === 'on' || p === 'the' || p === 'by' || p === 'over' || p === 'for' || p === '@'))
        )
      ) {
        return null;
      }
      return a === 'weekend' ? { end, day: wd === 7 ? t : t + (6 - wd) } : null;
    }
    case 'later': {
      if (w(s, i + 1) === 'today') return { end: i + 2, day: t };
      // Vikunja's "later this week" (this week's Friday, or Sunday once Friday has come) and "later next week".
      const b = w(s, i + 1);
      if ((b === 'this' || b === 'next') && w(s, i + 2) === 'week') {
        // Vikunja: two days from now, or today from Friday on; "later next week" is a week after that.
        const later = wd < 5 ? t + 2 : t;
        return { end: i + 3, day: b === 'next' ? later + 7 : later };
      }
      return null;
    }
    case 'last':
      if (w(s, i + 1) === 'day' && w(s, i + 2) === 'of') {
        // "last day of the month", "last day of next month"
        let j = i + 3;
        if (w(s, j) === 'the' || w(s, j) === 'this') j++;
        const next = w(s, j) === 'next';
        if (next) j++;
        if (w(s, j) === 'month')
          return { end: j + 1, day: lastOfMonth(addMonths(firstOfMonth(t), next ? 1 : 0)) };
        const mon = MONTHS.get(w(s, j) ?? '');
        if (mon !== undefined && !next) {
          const first = nextYearDay(t - 31, mon, 1);
          if (first === null) return null;
          const f = first + daysInMonth(ymdOf(first).y, mon) <= t ? addMonths(first, 12) : first;
          return { end: j + 1, day: lastOfMonth(f) };
        }
        return null;
      }
      return lastOrNext(s, i, a);
    case 'day':
    case 'the':
    case 'overmorrow': {
      if (a === 'overmorrow') return { end, day: t + 2 };
      let j = i;
      if (a === 'the') j++;
      if (w(s, j) === 'day' && w(s, j + 1) === 'after' && TOMORROW.has(w(s, j + 2) ?? ''))
        return { end: j + 3, day: t + 2 };
      if (w(s, j) === 'day' && w(s, j + 1) === 'before' && w(s, j + 2) === 'yesterday')
        return { end: j + 3, day: t - 2 };
      if (
        a === 'the' &&
        (w(s, j) === 'weekend' ||
          w(s, j) === 'end' ||
          w(s, j) === 'middle' ||
          w(s, j) === 'beginning' ||
          w(s, j) === 'start')
      ) {
        const inner =
          w(s, j) === 'weekend' ? { end: j + 1, day: wd === 7 ? t : t + (6 - wd) } : boundary(s, j);
        return inner;
      }
      // "the last day of the month"
      if (a === 'the' && w(s, j) === 'last' && w(s, j + 1) === 'day') return keyword(s, j);
      return null;
    }
    case 'this':
    case 'next':
    case 'coming':
    case 'following':
      return lastOrNext(s, i, a);
    default:
      if (TOMORROW.has(a) || typoName(a)?.kind === 'tomorrow') return { end, day: t + 1 };
      return null;
  }
}

/** "this/next/last weekend|week|month|quarter|year|<month>", "this evening", "next day", "next 2 weeks". */
function lastOrNext(s: Scan, i: number, a: string): DateHit | null {
  const t = s.today;
  const wd = weekdayOf(t);
  const { y } = ymdOf(t);
  const b = w(s, i + 1);
  if (b === 'weekend') {
    // "last weekend" ended last Sunday (chrono).
    if (a === 'last') return { end: i + 2, day: t - wd };
    return {
      end: i + 2,
      day: a === 'next' || a === 'following' ? t - wd + 13 : wd === 7 ? t : t + (6 - wd),
    };
  }
  if ((b === 'weekday' || b === 'workday' || b === 'business') && a !== 'this' && a !== 'coming') {
    // "next weekday": the next Monday–Friday after today; "last weekday" the one before.
    const step = a === 'last' ? -1 : 1;
    let day = t + step;
    while (weekdayOf(day) > 5) day += step;
    const end = b === 'business' ? (w(s, i + 2) === 'day' ? i + 3 : -1) : i + 2;
    return end < 0 ? null : { end, day };
  }
  if (b !== undefined && DAYPARTS.has(b) && a === 'this' && b !== 'tonight') {
    return { end: i + 2, day: t, time: DAYPARTS.get(b)! };
  }
  if (a === 'this' && (b === 'week' || b === 'month' || b === 'quarter' || b === 'year')) {
    // "finish the report this week": due by the end of the period (README, conventions).
    return boundaryEnd(s, b, i + 2);
  }
  if (a === 'this' || a === 'coming') return null;
  if (b === 'day' && a !== 'last') return { end: i + 2, day: t + 1 };
  if (b === 'hour' && a !== 'last') return offset(s, 60, 'minute', i + 2);
  // "next 2 weeks", "next three days": an offset from now.
  const n = cardinal(b);
  const nu = unit(w(s, i + 2));
  if (n !== null && nu !== null && a === 'next') return offset(s, n, nu, i + 3);
  // "next week" is a week from today (chrono, Vikunja); "last week" a week ago.
  if (b === 'week') return { end: i + 2, day: a === 'last' ? t - 7 : t + 7 };
  if (b === 'month') return { end: i + 2, day: addMonths(firstOfMonth(t), a === 'last' ? -1 : 1) };
  if (b === 'quarter') return { end: i + 2, day: addMonths(quarterStart(t), a === 'last' ? -3 : 3) };
  if (b === 'year') return { end: i + 2, day: validDay(a === 'last' ? y - 1 : y + 1, 1, 1)! };
  const mon = b === undefined ? undefined : MONTHS.get(b);
  if (mon !== undefined && a !== 'last') return monthStart(s, mon, i + 2);
  return null;
}

/** A bare month name ("january"): only in a date phrase or after "in"/"by"/"until", where it means its 1st. */
function bareMonth(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const yearFirst = plainYear(a);
  if (yearFirst !== null) {
    // "2027 Sep", "2028 January"
    const m2 = MONTHS.get(w(s, i + 1) ?? '');
    const v = m2 === undefined ? null : validDay(yearFirst, m2, 1);
    return v === null ? null : { end: i + 2, day: v };
  }
  const mon = MONTHS.get(a);
  if (mon === undefined) return null;
  // "Oct. 2027", "March of 2028": the abbreviation's dot or "of" may sit between month and year.
  const k = w(s, i + 1) === '.' || w(s, i + 1) === 'of' ? i + 2 : i + 1;
  const y = plainYear(w(s, k));
  if (y !== null) {
    const v = validDay(y, mon, 1);
    return v === null ? null : { end: k + 1, day: v };
  }
  // "by December", "for March": a bare month needs a cue in a title ("March for science" stays a title).
  const prev = raw(s, i - 1);
  if (!s.phrase && !(prev !== undefined && MONTH_CUES.has(prev) && s.used[i - 1] !== true)) return null;
  return monthStart(s, mon, i + 1);
}

const MONTH_CUES = new Set(['by', 'for', 'before', 'due', 'until', 'till', 'due:']);

/**
 * The date grammar: tries each small date parser at token i and returns the first (they are ordered
 * so that longer forms win: "next friday" before "friday", "jan 27 2028" before "jan 27").
 */
export function matchDate(s: Scan, i: number): DateHit | null {
  const a = w(s, i);
  if (a === undefined || s.toks[i]!.kind === 'punct') return null;
  const nth = nthWeekdayOfMonth(s, i);
  if (nth) return nth;
  if (WEEKDAYS.has(a)) {
    // "Sat Aug 17 2027", "Wed, 03.04": a weekday (even "sat") before a calendar date belongs to it.
    const k = w(s, i + 1) === ',' ? i + 2 : i + 1;
    const exact = monthDay(s, k) ?? numeric(s, k);
    if (exact) return exact;
  }
  const wdHit = weekday(s, i);
  if (wdHit) {
    // "Monday 27 January", "Fri, Jan 29": the calendar date is the precise part; both belong to the span.
    const k = w(s, wdHit.end) === ',' ? wdHit.end + 1 : wdHit.end;
    const exact = monthDay(s, k) ?? numeric(s, k);
    return exact ? { ...exact } : wdHit;
  }
  return (
    keyword(s, i) ??
    boundary(s, i) ??
    numeric(s, i) ??
    monthDay(s, i) ??
    relative(s, i) ??
    dayOfMonth(s, i) ??
    bareMonth(s, i)
  );
}
