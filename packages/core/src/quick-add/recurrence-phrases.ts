import { addMonths, dayOf, daysInMonth, isLeap, weekdayOf, ymdOf } from './civil.ts';
import { type DateHit, matchDate } from './dates.ts';
import {
  cardinal,
  MONTHS,
  ordinal,
  RRULE_DAY,
  type Unit,
  unit,
  WEEKDAYS,
  WEEKDAYS_PLURAL,
} from './lexicon.ts';
import { type Scan, w } from './scan.ts';
import { bareMinute, DAYPARTS, matchTime, type TimeHit } from './times.ts';

type Freq = 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** A recognised recurrence, before its first occurrence is resolved. */
export interface RecurrenceHit {
  end: number;
  freq: Freq;
  interval: number;
  /** plain weekdays (1-7) for WEEKLY, or nth weekdays for MONTHLY ("3FR") */
  byDay?: number[];
  /** nth weekdays of the month for MONTHLY: "3rd friday" → [{ n: 3, wd: 5 }], "last friday" → n = -1 */
  nthDays?: { n: number; wd: number }[];
  byMonthDay?: number[];
  byMonth?: number[];
  /** positions among the month's days in `byDay` (BYSETPOS): "every 15th and last workday", "the 2nd and last wed and sat" */
  setPos?: number[];
  time?: number;
  mode: 'due' | 'completion';
  start?: DateHit;
  untilDay?: number;
  count?: number;
  forAmount?: { n: number; u: Unit };
  /** the part of day the time came from ("every evening"): a clock time after it replaces it */
  daypart?: string | undefined;
  /** several times a day (minutes since midnight, same minute of the hour): BYHOUR */
  times?: number[];
  /** set when the phrase goes on with something RRULE cannot express: the token index where it ends */
  unrepresentable?: number;
}

const FREQ_OF_UNIT: Record<Unit, Freq | null> = {
  minute: null,
  hour: 'HOURLY',
  day: 'DAILY',
  week: 'WEEKLY',
  month: 'MONTHLY',
  quarter: 'MONTHLY',
  year: 'YEARLY',
};

const ADVERBS = new Map<string, { freq: Freq; interval: number; time?: number; byMonthDay?: number[] }>([
  ['daily', { freq: 'DAILY', interval: 1 }],
  ['nightly', { freq: 'DAILY', interval: 1, time: DAYPARTS.get('night')! }],
  ['weekly', { freq: 'WEEKLY', interval: 1 }],
  ['biweekly', { freq: 'WEEKLY', interval: 2 }],
  ['fortnightly', { freq: 'WEEKLY', interval: 2 }],
  ['monthly', { freq: 'MONTHLY', interval: 1 }],
  ['bimonthly', { freq: 'MONTHLY', interval: 2 }],
  ['quarterly', { freq: 'MONTHLY', interval: 3 }],
  ['yearly', { freq: 'YEARLY', interval: 1 }],
  ['annually', { freq: 'YEARLY', interval: 1 }],
  ['hourly', { freq: 'HOURLY', interval: 1 }],
  ['annual', { freq: 'YEARLY', interval: 1 }],
  ['semiannual', { freq: 'MONTHLY', interval: 6 }],
  // "biannual" is twice a year (every 6 months); "biennial" is every two years
  ['biannual', { freq: 'MONTHLY', interval: 6 }],
  ['biannually', { freq: 'MONTHLY', interval: 6 }],
  ['biennial', { freq: 'YEARLY', interval: 2 }],
  ['biennially', { freq: 'YEARLY', interval: 2 }],
  ['biyearly', { freq: 'YEARLY', interval: 2 }],
  ['semiannually', { freq: 'MONTHLY', interval: 6 }],
  ['semi-annually', { freq: 'MONTHLY', interval: 6 }],
  ['semi-annual', { freq: 'MONTHLY', interval: 6 }],
  ['semiyearly', { freq: 'MONTHLY', interval: 6 }],
  // Twice a month on fixed days, the payroll meaning of "semimonthly".
  ['semimonthly', { freq: 'MONTHLY', interval: 1, byMonthDay: [1, 15] }],
  ['semi-monthly', { freq: 'MONTHLY', interval: 1, byMonthDay: [1, 15] }],
]);

/** Words after which an adverb like "daily" is still a schedule, not an adjective ("daily standup"). */
const BOUNDARY_WORDS = new Set([
  'at',
  '@',
  'on',
  'starting',
  'from',
  'until',
  'till',
  'til',
  'ending',
  'for',
  'in',
  'and',
  'remind',
  'beginning',
  'after',
  'before',
  'through',
  'thru',
  'except',
]);

/**
 * "every weekend" is one occurrence per weekend, on Saturday (Todoist documents it as "every Saturday"):
 * a weekend chore should not come back on Sunday after being done on Saturday.
 */
const WEEKEND: number[] = [6];

const WORKDAY = new Set(['weekday', 'weekdays', 'workday', 'workdays', 'work']);

function weekdayOrPlural(low: string | undefined): number | null {
  if (low === undefined) return null;
  return WEEKDAYS.get(low) ?? WEEKDAYS_PLURAL.get(low) ?? null;
}

/** Weekdays from `from` to `to` inclusive, wrapping past Sunday ("sundays through wednesdays"). */
function weekdayRange(from: number, to: number): number[] {
  const out = [from];
  for (let d = from; d !== to && out.length < 7; ) {
    d = (d % 7) + 1;
    out.push(d);
  }
  return out;
}

/** Weekdays packed in one token: "mon-fri", "mon/wed/fri". */
function packedWeekdays(low: string | undefined): number[] | null {
  if (low === undefined || low.length > 40 || !/^[a-z]+(?:[-/\u2013][a-z]+)+$/.test(low)) return null;
  const range = low.split(/[-\u2013]/);
  if (range.length === 2) {
    const a = weekdayOrPlural(range[0]);
    const b = weekdayOrPlural(range[1]);
    return a !== null && b !== null ? weekdayRange(a, b) : null;
  }
  const days = low.split('/').map(weekdayOrPlural);
  return days.every((d) => d !== null) && days.length > 1 ? [...new Set(days as number[])] : null;
}

const RANGE_SEPS = new Set(['through', 'thru', 'to', '-', '\u2013']);

/** "mon, wed and fri", "monday & friday", "mondays through fridays", "mon-fri": the days and the index after. */
function weekdayList(s: Scan, i: number): { days: number[]; end: number } | null {
  const first = weekdayOrPlural(w(s, i));
  const packed = first === null ? packedWeekdays(w(s, i)) : null;
  if (first === null && packed === null) return null;
  const days = packed ?? [first!];
  let end = i + 1;
  for (;;) {
    let j = end;
    const sep = w(s, j);
    if (sep !== undefined && RANGE_SEPS.has(sep) && first !== null && days.length === 1) {
      const to = weekdayOrPlural(w(s, j + 1));
      if (to === null) break;
      days.splice(0, 1, ...weekdayRange(first, to));
      end = j + 2;
      continue;
    }
    if (sep === ',' || sep === 'and' || sep === '&' || sep === '+' || sep === '/') {
      j++;
      if (sep === ',' && w(s, j) === 'and') j++;
    }
    const d = weekdayOrPlural(w(s, j));
    // "every mon wed fri": a list may also go without separators
    if (d === null || (j === end && WEEKDAYS.get(w(s, j)!) === undefined)) break;
    if (!days.includes(d)) days.push(d);
    end = j + 1;
  }
  return { days, end };
}

/** Days of the month that exist in month `mon` of some year (Feb 29 included). */
function fitsMonth(days: number[], mon: number): boolean {
  return days.every((d) => d >= 1 && d <= daysInMonth(2000, mon));
}

/** "august and december", "jan, feb": months and the index after. */
function monthList(s: Scan, i: number): { months: number[]; end: number } | null {
  const months: number[] = [];
  let j = i;
  let end = i;
  for (let guard = 0; guard < 12; guard++) {
    const m = MONTHS.get(w(s, j) ?? '');
    if (m === undefined) break;
    if (!months.includes(m)) months.push(m);
    end = j + 1;
    const sep = w(s, end);
    if (sep === ',' || sep === 'and' || sep === '&' || sep === 'or') {
      j = end + 1;
      if (sep === ',' && w(s, j) === 'and') j++;
    } else break;
  }
  return months.length > 0 ? { months, end } : null;
}

/** "27th", "1st and 15th", "15th and last day", "15, 30": month days (-1 = last day). */
function monthDayList(s: Scan, i: number): { days: number[]; end: number } | null {
  const days: number[] = [];
  let j = i;
  let end = i;
  for (;;) {
    const a = w(s, j);
    if (a === 'the') {
      j++;
      continue;
    }
    let d: number | null = null;
    let next = j + 1;
    if (a === 'last' && (w(s, j + 1) === 'day' || w(s, j + 1) === 'day-of-the-month')) {
      d = -1;
      next = j + 2;
    } else if (a !== undefined && /^\d{1,2}$/.test(a)) d = Number(a);
    else if (a !== undefined && /^\d/.test(a)) d = ordinal(a);
    if (d === null || d === 0 || d > 31) break;
    days.push(d);
    end = next;
    const sep = w(s, next);
    if (sep === ',' || sep === 'and' || sep === '&') {
      j = next + 1;
      if (sep === ',' && w(s, j) === 'and') j++;
      continue;
    }
    break;
  }
  return days.length > 0 ? { days, end } : null;
}

/** What follows "every": the schedule itself. */
function schedule(s: Scan, i: number, hit: RecurrenceHit): number | null {
  const a = w(s, i);
  if (a === undefined) return null;
  // "every other week", "every 3 days", "every second month", "every 2 weeks".
  let n: number | null = null;
  let j = i;
  const after = w(s, i + 1);
  const weekendNext = after === 'weekend' || after === 'weekends';
  if (a === 'other' || a === 'alternate') {
    n = 2;
    j++;
  } else if (cardinal(a) !== null && (unit(after) !== null || weekendNext)) {
    n = cardinal(a);
    j++;
  } else if (ordinal(a) !== null && (unit(after) !== null || weekendNext)) {
    // "every 5th day", "every third week", "every second weekend"
    n = ordinal(a);
    j++;
  } else {
    const m = /^(\d{1,3})(h|d|w|mo|y)$/.exec(a);
    if (m) {
      const u = unit(m[2]);
      if (u !== null && FREQ_OF_UNIT[u] !== null) {
        hit.freq = FREQ_OF_UNIT[u]!;
        hit.interval = Number(m[1]) * (u === 'quarter' ? 3 : 1);
        return i + 1;
      }
    }
  }
  if (n !== null) {
    if (n < 1 || n > 1000) return null;
    const b = w(s, j);
    const u = unit(b);
    if (u !== null && FREQ_OF_UNIT[u] !== null) {
      hit.freq = FREQ_OF_UNIT[u]!;
      hit.interval = u === 'quarter' ? 3 * n : n;
      return j + 1;
    }
    // "every other monday", "every other weekday"
    const wl = weekdayList(s, j);
    if (wl) {
      hit.freq = 'WEEKLY';
      hit.interval = n;
      hit.byDay = wl.days;
      return wl.end;
    }
    if (b === 'weekend' || b === 'weekends') {
      hit.freq = 'WEEKLY';
      hit.interval = n;
      hit.byDay = WEEKEND;
      return j + 1;
    }
    // "every other morning"
    const part = b === undefined || b === 'tonight' ? undefined : DAYPARTS.get(b);
    if (part !== undefined) {
      hit.freq = 'DAILY';
      hit.interval = n;
      hit.time = part;
      hit.daypart = b;
      return j + 1;
    }
    return null;
  }
  if (a === 'fortnight') {
    hit.freq = 'WEEKLY';
    hit.interval = 2;
    return i + 1;
  }
  const u = unit(a);
  if (u !== null && FREQ_OF_UNIT[u] !== null && a !== 'd' && a !== 'h' && a !== 'w' && a !== 'y') {
    hit.freq = FREQ_OF_UNIT[u]!;
    hit.interval = u === 'quarter' ? 3 : 1;
    return i + 1;
  }
  const dp = DAYPARTS.get(a);
  if (dp !== undefined && a !== 'tonight') {
    hit.freq = 'DAILY';
    hit.time = dp;
    hit.daypart = a;
    return i + 1;
  }
  if (
    WORKDAY.has(a) ||
    (a === 'business' && w(s, i + 1) === 'day') ||
    (a === 'week' && w(s, i + 1) === 'day')
  ) {
    hit.freq = 'WEEKLY';
    hit.byDay = [1, 2, 3, 4, 5];
    return a === 'business' || a === 'week' || a === 'work' ? i + 2 : i + 1;
  }
  if (a === 'weekend' || a === 'weekends') {
    hit.freq = 'WEEKLY';
    hit.byDay = WEEKEND;
    return i + 1;
  }
  const wl = weekdayList(s, i);
  if (wl) {
    hit.freq = 'WEEKLY';
    hit.byDay = wl.days;
    return wl.end;
  }
  // "every 3rd friday", "every last friday", "every first monday", "every 1st and 3rd friday"
  // "every third to last day of the month", "every second to last friday"
  if (/^(?:\d|first|second|third|fourth|fifth|last|penultimate)/.test(a)) {
    const probe: RecurrenceHit = { ...hit };
    const end = positional(s, i, probe, false, true);
    if (end !== null && (probe.nthDays?.some((x) => x.n < -1) || probe.byMonthDay?.some((d) => d < -1))) {
      Object.assign(hit, probe);
      return end;
    }
  }
  const nl = nthList(s, i);
  if (nl) {
    hit.freq = 'MONTHLY';
    hit.nthDays = nl.nth;
    // "every last sunday of the month": the suffix repeats what "every" said
    const m = monthlySuffix(s, nl.end);
    if (m === null) return nl.end;
    hit.interval = m.interval;
    if (m.months !== undefined) hit.byMonth = quarterMonths(nl.nth.map((x) => x.n));
    return m.end;
  }
  // "every 15th and last workday", "every 15th workday, last workday", "every last workday", "every first workday"
  const pos = workdayPositions(s, i);
  if (pos) {
    hit.freq = 'MONTHLY';
    hit.byDay = [1, 2, 3, 4, 5];
    hit.setPos = pos.pos;
    return pos.end;
  }
  // "every jan 27", "every 27 jan", "every january 27th"
  const mon = MONTHS.get(a);
  if (mon !== undefined) {
    hit.freq = 'YEARLY';
    hit.byMonth = [mon];
    const md = monthDayList(s, i + 1);
    if (md && fitsMonth(md.days, mon)) {
      hit.byMonthDay = md.days;
      return md.end;
    }
    hit.byMonthDay = [1];
    return i + 1;
  }
  // "every 27th", "every 27", "every 1st and 15th", "every last day"
  const md = monthDayList(s, i);
  if (md) {
    const after = w(s, md.end) === 'of' ? md.end + 1 : md.end;
    const mon2 = MONTHS.get(w(s, after) ?? '');
    if (mon2 !== undefined && md.days.length === 1 && md.days[0]! > 0) {
      hit.freq = 'YEARLY';
      hit.byMonth = [mon2];
      hit.byMonthDay = md.days;
      return after + 1;
    }
    hit.freq = 'MONTHLY';
    hit.byMonthDay = md.days;
    if (w(s, md.end) === 'of' && w(s, md.end + 1) === 'the' && w(s, md.end + 2) === 'month')
      return md.end + 3;
    if (w(s, md.end) === 'of' && w(s, md.end + 1) === 'month') return md.end + 2;
    return md.end;
  }
  return null;
}

/** "3rd friday", "1st and 3rd monday", "2nd, 4th tue": nth weekdays of a month. */
function nthList(s: Scan, i: number): { nth: { n: number; wd: number }[]; end: number } | null {
  const ns: number[] = [];
  let j = i;
  for (let guard = 0; guard < 6; guard++) {
    const a = w(s, j);
    const n = a === 'last' ? -1 : ordinal(a);
    if (n === null || n > 5) return null;
    ns.push(n);
    j++;
    const sep = w(s, j);
    if (sep === ',' || sep === 'and' || sep === '&') {
      j++;
      continue;
    }
    break;
  }
  const wd = WEEKDAYS.get(w(s, j) ?? '');
  if (wd === undefined || ns.length === 0) return null;
  return { nth: ns.map((n) => ({ n, wd })), end: j + 1 };
}

/** Positions among workdays: "15th and last workday" → [15, -1]; "first workday" → [1]. */
function workdayPositions(s: Scan, i: number): { pos: number[]; end: number } | null {
  const pos: number[] = [];
  let j = i;
  let end = -1;
  for (let guard = 0; guard < 8; guard++) {
    const a = w(s, j);
    const n = a === 'last' ? -1 : ordinal(a);
    if (n === null) break;
    pos.push(n);
    j++;
    if (WORKDAY.has(w(s, j) ?? '') || w(s, j) === 'business') {
      j += w(s, j) === 'business' || w(s, j) === 'work' ? 2 : 1;
      end = j;
    }
    const sep = w(s, j);
    if (sep === ',' || sep === 'and' || sep === '&') {
      j++;
      continue;
    }
    break;
  }
  return end > 0 && pos.length > 0 ? { pos, end } : null;
}

/** Trailers after a schedule: times, "on monday", "starting …", "until …", "for 3 weeks", "5 times". */
function trailers(s: Scan, i: number, hit: RecurrenceHit): number {
  let j = i;
  for (let guard = 0; guard < 8; guard++) {
    const a = w(s, j);
    if (a === undefined) break;
    const t: TimeHit | null = matchTime(s, j, true);
    if (t && (hit.time === undefined || (hit.daypart !== undefined && !DAYPARTS.has(a)))) {
      // "every evening at 8": the clock time wins over the part of day, which only says it is p.m.
      const pm =
        hit.daypart !== undefined && hit.daypart !== 'morning' && t.bare === true && t.minute < 12 * 60;
      hit.time = pm ? t.minute + 12 * 60 : t.minute;
      hit.daypart = undefined;
      j = t.end;
      // "at 9am and 5pm": several times a day on the same minute of the hour become BYHOUR
      const times = [t.minute];
      for (let guard2 = 0; guard2 < 6 && hit.freq !== 'HOURLY'; guard2++) {
        const sep = w(s, j);
        if (sep !== 'and' && sep !== ',' && sep !== '&') break;
        const n = w(s, j + 1);
        // in a list of times a bare hour counts too: "at 8, 12 and 6"
        const more =
          matchTime(s, j + 1, false) ??
          (n !== undefined && /^\d{1,2}$/.test(n) && Number(n) <= 23
            ? { end: j + 2, minute: bareMinute(Number(n) * 60) }
            : null);
        if (more === null || times.includes(more.minute)) break;
        // "at 9am and 5:30pm": BYHOUR × BYMINUTE cannot hold two different minutes
        if (more.minute % 60 !== t.minute % 60) {
          hit.unrepresentable = more.end;
          break;
        }
        times.push(more.minute);
        j = more.end;
      }
      if (times.length > 1) hit.times = times.sort((x, y) => x - y);
      continue;
    }
    // "every day this week", "every weekday next month", "every saturday in june": the series runs within
    // that period (a yearly or monthly rule "in may" names its month instead).
    const window = hit.start === undefined && hit.untilDay === undefined ? periodWindow(s, j, hit) : null;
    if (window) {
      hit.start = { end: window.end, day: window.from };
      hit.untilDay = window.to;
      j = window.end;
      continue;
    }
    if (a === 'on' || a === 'every') {
      const wl = weekdayList(s, j + 1);
      if (wl && (hit.freq === 'WEEKLY' || hit.freq === 'DAILY') && hit.byDay === undefined) {
        hit.freq = 'WEEKLY';
        hit.byDay = wl.days;
        j = wl.end;
        continue;
      }
      // "monthly on mondays": every Monday, not one date a month.
      if (
        wl &&
        hit.freq === 'MONTHLY' &&
        hit.interval === 1 &&
        hit.byDay === undefined &&
        hit.byMonthDay === undefined &&
        WEEKDAYS_PLURAL.has(w(s, j + 1)!)
      ) {
        hit.freq = 'WEEKLY';
        hit.byDay = wl.days;
        j = wl.end;
        continue;
      }
      const wk = w(s, j + 1);
      if (
        (wk === 'weekdays' || wk === 'workdays' || wk === 'weekends') &&
        (hit.freq === 'WEEKLY' || hit.freq === 'DAILY') &&
        hit.byDay === undefined
      ) {
        hit.freq = 'WEEKLY';
        hit.byDay = wk === 'weekends' ? WEEKEND : [1, 2, 3, 4, 5];
        j += 2;
        continue;
      }
      // "every week on the 2nd day": days of an ISO week, Monday first.
      if (a === 'on' && hit.freq === 'WEEKLY' && hit.byDay === undefined) {
        const k = w(s, j + 1) === 'the' ? j + 2 : j + 1;
        const n = ordinal(w(s, k));
        if (n !== null && n <= 7 && w(s, k + 1) === 'day') {
          hit.byDay = [n];
          j = k + 2;
          continue;
        }
      }
      // "every year on july 4th", "yearly on march 9", "every year on mar 3 and 17"
      const mon = MONTHS.get(w(s, j + 1) ?? '');
      if (a === 'on' && hit.freq === 'YEARLY' && mon !== undefined && hit.byMonth === undefined) {
        const mdl = monthDayList(s, j + 2);
        if (mdl && fitsMonth(mdl.days, mon)) {
          hit.byMonth = [mon];
          hit.byMonthDay = mdl.days;
          j = mdl.end;
          continue;
        }
      }
      // "every month on the second friday", "every year on the fourth thursday of november"
      if (
        a === 'on' &&
        (hit.freq === 'MONTHLY' || hit.freq === 'YEARLY') &&
        hit.nthDays === undefined &&
        hit.byMonthDay === undefined &&
        hit.setPos === undefined
      ) {
        const probe: RecurrenceHit = { ...hit };
        const end = positional(s, j + 1, probe, true);
        if (
          end !== null &&
          (probe.byMonthDay === undefined || probe.byMonth !== undefined || hit.freq === 'MONTHLY')
        ) {
          Object.assign(hit, probe);
          j = end;
          continue;
        }
      }
      const md = monthDayList(s, j + 1);
      if (md && hit.freq === 'MONTHLY' && hit.byMonthDay === undefined && hit.nthDays === undefined) {
        hit.byMonthDay = md.days;
        j = md.end;
        continue;
      }
    }
    if (
      a === 'starting' ||
      a === 'from' ||
      a === 'beginning' ||
      a === 'start' ||
      a === 'since' ||
      a === 'effective' ||
      a === 'commencing'
    ) {
      let k = j + 1;
      if (w(s, k) === 'on' || w(s, k) === 'from' || w(s, k) === 'at' || w(s, k) === 'in') k++;
      // "from october": a bare month starts on its first day
      const mon = MONTHS.get(w(s, k) ?? '');
      const d =
        mon !== undefined && !/^\d/.test(w(s, k + 1) ?? '') && plainYearAt(s, k + 1) === null
          ? { end: k + 1, day: monthOnOrAfter(s.today, mon) }
          : matchDate(s, k);
      if (d && hit.start === undefined) {
        hit.start = d;
        j = d.end;
        continue;
      }
      const tm = matchTime(s, k);
      if (tm && hit.time === undefined) {
        hit.time = tm.minute;
        j = tm.end;
        continue;
      }
    }
    if (
      a === 'until' ||
      a === 'until:' ||
      a === 'till' ||
      a === 'til' ||
      a === 'ending' ||
      a === 'through' ||
      a === 'thru' ||
      a === 'ends' ||
      a === 'to'
    ) {
      let k = j + 1;
      if (w(s, k) === 'on' || w(s, k) === 'by' || w(s, k) === 'in') k++;
      // "until april", "through august": to the end of that month (the next one after the start)
      const mon = MONTHS.get(w(s, k) ?? '');
      const d =
        mon !== undefined && !/^\d/.test(w(s, k + 1) ?? '') && plainYearAt(s, k + 1) === null
          ? { end: k + 1, day: addMonths(monthOnOrAfter(hit.start?.day ?? s.today, mon), 1) - 1 }
          : matchDate(s, k);
      if (d && hit.untilDay === undefined && (a !== 'to' || hit.start !== undefined)) {
        hit.untilDay = d.day;
        j = d.end;
        continue;
      }
    }
    if (a === 'for') {
      // "for the next 4 weeks" = "for 4 weeks"
      let k = j + 1;
      if (w(s, k) === 'the' && w(s, k + 1) === 'next') k += 2;
      else if (w(s, k) === 'next') k++;
      if (k > j + 1) {
        const n2 = cardinal(w(s, k), true);
        const u2 = unit(w(s, k + 1));
        if (
          n2 !== null &&
          n2 > 0 &&
          u2 !== null &&
          u2 !== 'minute' &&
          hit.forAmount === undefined &&
          hit.count === undefined
        ) {
          hit.forAmount = { n: n2, u: u2 };
          j = k + 2;
          continue;
        }
      }
      const n = cardinal(w(s, j + 1), true);
      const u = unit(w(s, j + 2));
      if (
        n !== null &&
        n > 0 &&
        u !== null &&
        u !== 'minute' &&
        hit.count === undefined &&
        hit.forAmount === undefined
      ) {
        hit.forAmount = { n, u };
        j += 3;
        continue;
      }
      if (n !== null && n > 0 && COUNT_WORDS.has(w(s, j + 2) ?? '') && hit.count === undefined) {
        hit.count = n;
        j += 3;
        continue;
      }
    }
    const n = cardinal(a);
    if (n !== null && n > 0 && COUNT_WORDS.has(w(s, j + 1) ?? '') && hit.count === undefined) {
      hit.count = n;
      j += 2;
      continue;
    }
    const times = /^(\d{1,4})x$/.exec(a);
    if (times && Number(times[1]) > 0 && hit.count === undefined) {
      // "4x"
      hit.count = Number(times[1]);
      j += 1;
      continue;
    }
    if ((a === 'except' || a === 'excluding') && except(s, j + 1, hit, (e) => (j = e))) continue;
    if ((a === 'once' || a === 'twice') && hit.count === undefined && j > i) {
      hit.count = a === 'once' ? 1 : 2;
      j += 1;
      continue;
    }
    break;
  }
  return j;
}

const ONCE_PER = new Set(['a', 'an', 'per', 'every', 'each']);

const PLURAL_DAYPARTS = new Map([
  ['mornings', 'morning'],
  ['afternoons', 'afternoon'],
  ['evenings', 'evening'],
  ['nights', 'night'],
]);

/** Weekdays (or "weekday"/"weekend") followed by a plural part of day: the days, its time and the end. */
function pluralDaypartAfter(
  s: Scan,
  i: number,
): { days: number[]; time: number; part: string; end: number } | null {
  const a = w(s, i);
  const wl =
    a === 'weekday' || a === 'weekdays'
      ? { days: [1, 2, 3, 4, 5], end: i + 1 }
      : a === 'weekend' || a === 'weekends'
        ? { days: WEEKEND, end: i + 1 }
        : weekdayList(s, i);
  if (wl === null) return null;
  const part = PLURAL_DAYPARTS.get(w(s, wl.end) ?? '');
  // "Read Monday Mornings by Gupta", "the weekend mornings column": a name, or an adjective before a noun
  if (part === undefined || /^[A-Z]/.test(s.toks[wl.end]!.text) || !boundaryAt(s, wl.end + 1)) return null;
  return { days: wl.days, time: DAYPARTS.get(part)!, part, end: wl.end + 1 };
}

/** A count at token i: "12 times", "three times", "4x", "for 7 occurrences". */
function isCount(s: Scan, i: number): boolean {
  const a = w(s, i);
  if (a === undefined) return false;
  if (/^\d{1,4}x$/.test(a)) return true;
  const k = a === 'for' ? i + 1 : i;
  return cardinal(w(s, k)) !== null && COUNT_WORDS.has(w(s, k + 1) ?? '');
}

/** Words that continue a name after a capitalised plural weekday ("Fridays for Future", "Sundays in Paris"). */
const NOT_AFTER_NAME = new Set(['for', 'in', 'on', 'and', 'after', 'before', 'through', 'thru']);

/** "this week", "next month", "in june" after a daily or weekly rule: the days the series runs. */
function periodWindow(
  s: Scan,
  i: number,
  hit: RecurrenceHit,
): { from: number; to: number; end: number } | null {
  if (hit.freq !== 'DAILY' && hit.freq !== 'WEEKLY') return null;
  const a = w(s, i);
  const b = w(s, i + 1);
  const t = s.today;
  if ((a === 'this' || a === 'next') && b === 'week') {
    const monday = t - weekdayOf(t) + 1 + (a === 'next' ? 7 : 0);
    return { from: a === 'this' ? t : monday, to: monday + 6, end: i + 2 };
  }
  if ((a === 'this' || a === 'next') && b === 'month') {
    const first = addMonths(t - ymdOf(t).d + 1, a === 'next' ? 1 : 0);
    return { from: a === 'this' ? t : first, to: addMonths(first, 1) - 1, end: i + 2 };
  }
  const mon = a === 'in' || a === 'during' || a === 'throughout' ? MONTHS.get(b ?? '') : undefined;
  if (mon === undefined || /^\d/.test(w(s, i + 2) ?? '')) return null;
  const first = monthOnOrAfter(t, mon);
  return { from: Math.max(first, t), to: addMonths(first, 1) - 1, end: i + 2 };
}
const COUNT_WORDS = new Set(['times', 'occurrences', 'occurences', 'repeats', 'repetitions']);

function plainYearAt(s: Scan, i: number): number | null {
  const a = w(s, i);
  return a !== undefined && /^\d{4}$/.test(a) ? Number(a) : null;
}

/** The first day of the next month `mon` whose last day is not before `day`. */
function monthOnOrAfter(day: number, mon: number): number {
  let first = day - ymdOf(day).d + 1;
  for (let k = 0; k < 12 && ymdOf(first).m !== mon; k++) first = addMonths(first, 1);
  return first;
}

/**
 * "except monday", "except weekends", "except in august and december": RRULE has no exclusion, but BYDAY
 * and BYMONTH can list the days and months that remain. Calls `done` with the index after the phrase.
 */
function except(s: Scan, i: number, hit: RecurrenceHit, done: (end: number) => void): boolean {
  let k = i;
  if (w(s, k) === 'on' || w(s, k) === 'in' || w(s, k) === 'for' || w(s, k) === 'during') k++;
  const a = w(s, k);
  const wl =
    a === 'weekends' || a === 'weekend'
      ? { days: [6, 7], end: k + 1 }
      : a === 'weekdays'
        ? { days: [1, 2, 3, 4, 5], end: k + 1 }
        : weekdayList(s, k);
  if (wl) {
    const daily = hit.freq === 'DAILY' && hit.interval === 1 && hit.byDay === undefined;
    const weekly = hit.freq === 'WEEKLY' && hit.byDay !== undefined;
    if (!daily && !weekly) return false;
    const left = (hit.byDay ?? [1, 2, 3, 4, 5, 6, 7]).filter((d) => !wl.days.includes(d));
    if (left.length === 0) return false;
    hit.freq = 'WEEKLY';
    hit.byDay = left;
    done(wl.end);
    return true;
  }
  const ml = monthList(s, k);
  if (ml && hit.freq !== 'HOURLY') {
    const left = (hit.byMonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).filter(
      (m) => !ml.months.includes(m),
    );
    if (left.length === 0) return false;
    hit.byMonth = left;
    done(ml.end);
    return true;
  }
  return false;
}

/**
 * "(at the) start of every month", "beginning of each month", "end of every month", "at month's end":
 * the first or last day of each month.
 */
function monthEdge(s: Scan, i: number): { day: number; end: number } | null {
  let j = i;
  if (w(s, j) === 'at') {
    j++;
    const m = w(s, j);
    if (
      (m === "month's" || m === 'month\u2019s' || m === 'month') &&
      (w(s, j + 1) === 'end' || w(s, j + 1) === 'start')
    )
      return { day: w(s, j + 1) === 'end' ? -1 : 1, end: j + 2 };
  }
  if (w(s, j) === 'the') j++;
  const a = w(s, j);
  const day = a === 'end' ? -1 : a === 'start' || a === 'beginning' ? 1 : 0;
  if (day === 0 || w(s, j + 1) !== 'of') return null;
  const b = w(s, j + 2);
  if ((b === 'every' || b === 'each') && w(s, j + 3) === 'month') return { day, end: j + 4 };
  return null;
}

/** Is token i a place where a schedule adverb may end ("daily" in "water plants daily", not "daily standup")? */
function boundaryAt(s: Scan, i: number): boolean {
  const a = w(s, i);
  const t = s.toks[i];
  if (t === undefined || s.used[i]) return true;
  if (t.kind === 'punct' || t.kind === 'quoted' || t.kind === 'opaque' || t.kind === 'qlist') return true;
  if (a === undefined) return true;
  if (BOUNDARY_WORDS.has(a) || a.startsWith('#') || a.startsWith('+') || /^p[1-4]$/.test(a)) return true;
  return matchTime(s, i) !== null || matchDate(s, i) !== null;
}

/** Recognises a recurrence starting at token i. */
export function matchRecurrence(s: Scan, i: number): RecurrenceHit | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const hit: RecurrenceHit = { end: i, freq: 'DAILY', interval: 1, mode: 'due' };
  let j: number | null = null;
  // "on the 5th of every month", "the last friday of each month", "second sunday in may every year"
  const monthly =
    a === 'on' || a === 'the' || a === 'last' || ordinal(a) !== null ? positional(s, i, hit, false) : null;
  const edge = monthly === null ? monthEdge(s, i) : null;
  if (monthly !== null) j = monthly;
  else if (edge !== null) {
    hit.freq = 'MONTHLY';
    hit.byMonthDay = [edge.day];
    j = edge.end;
  } else if (pluralDaypartAfter(s, i) !== null) {
    // "mon, wed, fri mornings", "tuesday evenings", "weekday mornings": a plural part of day repeats
    const p = pluralDaypartAfter(s, i)!;
    hit.freq = 'WEEKLY';
    hit.byDay = p.days;
    hit.time = p.time;
    hit.daypart = p.part;
    j = p.end;
  } else if (WEEKDAYS_PLURAL.has(a) || packedWeekdays(a) !== null) {
    // "fridays", "tuesdays and thursdays", "mondays through fridays", "mon-fri": weekly by nature.
    const wl = weekdayList(s, i)!;
    // "Read Tuesdays with Morrie", "Sundays are for resting": a capitalised plural followed by a plain word
    // is a name or a sentence.
    const next = w(s, wl.end);
    if (
      /^[A-Z]/.test(s.toks[i]!.text) &&
      (!boundaryAt(s, wl.end) || (next !== undefined && NOT_AFTER_NAME.has(next)))
    )
      return null;
    hit.freq = 'WEEKLY';
    hit.byDay = wl.days;
    j = wl.end;
  } else if (a === 'once' && ONCE_PER.has(w(s, i + 1) ?? '') && FREQ_OF_UNIT[unit(w(s, i + 2)) ?? 'minute']) {
    // "once a month", "once per week"
    const u = unit(w(s, i + 2))!;
    hit.freq = FREQ_OF_UNIT[u]!;
    hit.interval = u === 'quarter' ? 3 : 1;
    j = i + 3;
  } else if (a === 'on' && w(s, i + 1) === 'alternate' && FREQ_OF_UNIT[unit(w(s, i + 2)) ?? 'minute']) {
    // "on alternate days"
    const u = unit(w(s, i + 2))!;
    hit.freq = FREQ_OF_UNIT[u]!;
    hit.interval = u === 'quarter' ? 6 : 2;
    j = i + 3;
  } else if (a === 'every' || a === 'ev' || a === 'each' || a === 'every!' || a === 'ev!' || a === 'evry') {
    let k = i + 1;
    if (a.endsWith('!')) hit.mode = 'completion';
    else if (w(s, k) === '!' || (s.toks[k]?.kind === 'punct' && s.toks[k]?.text === '!')) {
      hit.mode = 'completion';
      k++;
    }
    if (
      a === 'each' &&
      weekdayOrPlural(w(s, k)) === null &&
      unit(w(s, k)) === null &&
      !DAYPARTS.has(w(s, k) ?? '')
    )
      return null;
    j = schedule(s, k, hit);
  } else if (a === 'recur:' || a === 'rec:') {
    // Taskwarrior's recur:weekly / recur:2w (from the due date); todo.txt's rec:1w repeats after completion
    // unless written rec:+1w, and its "m" means months.
    const b = w(s, i + 1);
    const todo = a === 'rec:' && b !== undefined ? /^(\+?)(\d{1,3})([dwmy])$/.exec(b) : null;
    if (todo) {
      hit.mode = todo[1] === '+' ? 'due' : 'completion';
      hit.freq = ({ d: 'DAILY', w: 'WEEKLY', m: 'MONTHLY', y: 'YEARLY' } as const)[
        todo[3] as 'd' | 'w' | 'm' | 'y'
      ];
      hit.interval = Number(todo[2]);
      hit.end = trailers(s, i + 2, hit);
      return hit.interval > 0 ? hit : null;
    }
    const adv = b === undefined ? undefined : ADVERBS.get(b);
    if (adv) {
      hit.freq = adv.freq;
      hit.interval = adv.interval;
      j = i + 2;
    } else if (b === 'fortnight') {
      hit.freq = 'WEEKLY';
      hit.interval = 2;
      j = i + 2;
    } else j = schedule(s, i + 1, hit);
  } else if (a === 'after' && hit.mode === 'due') {
    // Todoist's completion-based "after 3 days": the next one comes 3 days after completing this one.
    const n = cardinal(w(s, i + 1), true);
    const u = unit(w(s, i + 2));
    if (n !== null && n > 0 && u !== null && FREQ_OF_UNIT[u] !== null) {
      hit.mode = 'completion';
      hit.freq = FREQ_OF_UNIT[u]!;
      hit.interval = u === 'quarter' ? 3 * n : n;
      j = i + 3;
    }
  } else if (ADVERBS.has(a)) {
    const adv = ADVERBS.get(a)!;
    const prev = s.toks[i - 1];
    // "Daily standup" / "Weekly review": an adjective before a noun is part of the title; "daily 12 times",
    // "daily 4x" go on with a count.
    const counted = isCount(s, i + 1);
    if (!counted && !boundaryAt(s, i + 1)) return null;
    if (
      !counted &&
      prev === undefined &&
      w(s, i + 1) !== undefined &&
      s.toks[i + 1]?.kind === 'word' &&
      matchTime(s, i + 1) === null &&
      !BOUNDARY_WORDS.has(w(s, i + 1)!)
    ) {
      return null;
    }
    hit.freq = adv.freq;
    hit.interval = adv.interval;
    if (adv.time !== undefined) hit.time = adv.time;
    if (adv.byMonthDay !== undefined) hit.byMonthDay = adv.byMonthDay;
    j = i + 1;
  } else if (a === 'on' || a === 'weekdays' || a === 'weekends') {
    // "on mondays", "on weekdays": a plural weekday is a weekly schedule.
    const k = a === 'on' ? i + 1 : i;
    const b = w(s, k);
    if (b !== undefined && WEEKDAYS_PLURAL.has(b)) {
      const wl = weekdayList(s, k)!;
      hit.freq = 'WEEKLY';
      hit.byDay = wl.days;
      j = wl.end;
    } else if (b === 'weekdays' || b === 'weekends') {
      if (a !== 'on' && !boundaryAt(s, k + 1)) return null;
      hit.freq = 'WEEKLY';
      hit.byDay = b === 'weekdays' ? [1, 2, 3, 4, 5] : WEEKEND;
      j = k + 1;
    }
  }
  if (j === null) return null;
  hit.end = trailers(s, j, hit);
  if (hit.unrepresentable !== undefined) return hit;
  // "every other day except sunday", "monthly except in summer": an exception no RRULE can hold. Reading
  // the rule without it would be wrong, so the whole phrase is handed back (see keepUnrepresentable).
  const x = w(s, hit.end);
  if (x === 'except' || x === 'excluding') {
    let e = hit.end + 1;
    while (e < s.toks.length && e < hit.end + 6 && w(s, e) !== undefined && s.toks[e]!.kind === 'word') e++;
    hit.unrepresentable = e;
  }
  return hit;
}

/** "2nd", "the last", "3rd to last", "first, third and fifth": positions (negative from the end) and the index after. */
function positionList(s: Scan, i: number): { pos: number[]; end: number } | null {
  const pos: number[] = [];
  let j = i;
  let end = i;
  for (let guard = 0; guard < 8; guard++) {
    if (w(s, j) === 'the') j++;
    const a = w(s, j);
    let n = a === 'last' ? -1 : a === 'penultimate' ? -2 : ordinal(a);
    if (n === null) break;
    j++;
    if (n > 0 && w(s, j) === 'to' && w(s, j + 1) === 'last') {
      n = -n;
      j += 2;
    } else if (n > 0 && w(s, j) === 'last') {
      // "second last monday"
      n = -n;
      j++;
    }
    pos.push(n);
    end = j;
    const sep = w(s, j);
    if (sep === ',' || sep === 'and' || sep === '&') {
      j++;
      if (sep === ',' && w(s, j) === 'and') j++;
      continue;
    }
    break;
  }
  return pos.length > 0 ? { pos, end } : null;
}

/** What positions count: weekdays ("tuesday"), "occurrence of wed and sat" (BYSETPOS), days, workdays. */
type PositionTarget =
  | { kind: 'weekday'; days: number[]; setPos: boolean; end: number }
  | { kind: 'day'; end: number }
  | { kind: 'workday'; end: number };

function positionTarget(s: Scan, i: number): PositionTarget | null {
  const a = w(s, i);
  if ((a === 'occurrence' || a === 'occurrences') && w(s, i + 1) === 'of') {
    const wl = weekdayList(s, i + 2);
    return wl ? { kind: 'weekday', days: wl.days, setPos: true, end: wl.end } : null;
  }
  if (a === 'day' || a === 'days') return { kind: 'day', end: i + 1 };
  if (a === 'business' && w(s, i + 1) === 'day') return { kind: 'workday', end: i + 2 };
  if (a === 'work' && w(s, i + 1) === 'day') return { kind: 'workday', end: i + 2 };
  if (a === 'workday' || a === 'weekday' || a === 'workdays' || a === 'weekdays')
    return { kind: 'workday', end: i + 1 };
  const wl = weekdayList(s, i);
  return wl ? { kind: 'weekday', days: wl.days, setPos: false, end: wl.end } : null;
}

/**
 * "of every month", "of each other month", "of every 3 months", "of the month", "a month", "monthly": the
 * interval; "of every quarter" / "quarterly" sets `months` (the quarter's months, picked by quarterMonths).
 */
function monthlySuffix(s: Scan, i: number): { interval: number; end: number; months?: true } | null {
  let j = i;
  const a = w(s, j);
  if (a === 'monthly') return { interval: 1, end: j + 1 };
  if (a === 'quarterly') return { interval: 1, end: j + 1, months: true };
  if (a === 'of' || a === 'in') j++;
  const b = w(s, j);
  if (b === 'the' || b === 'a' || b === 'every' || b === 'each') {
    if (w(s, j + 1) === 'quarter') return { interval: 1, end: j + 2, months: true };
  }
  if (b === 'the' || b === 'a') return w(s, j + 1) === 'month' ? { interval: 1, end: j + 2 } : null;
  if (b !== 'every' && b !== 'each') return null;
  const c = w(s, j + 1);
  if (c === 'month') return { interval: 1, end: j + 2 };
  const n = c === 'other' || c === 'alternate' ? 2 : (cardinal(c) ?? ordinal(c));
  const u = w(s, j + 2);
  if (n !== null && n > 0 && n <= 1000 && (u === 'month' || u === 'months'))
    return { interval: n, end: j + 3 };
  return null;
}

/**
 * The months a quarterly positional rule falls in: counted from the start of each quarter (Jan, Apr, Jul,
 * Oct: "the first monday of every quarter") or from its end (Mar, Jun, Sep, Dec: "the last friday of every
 * quarter"). Mixed directions cannot share one BYMONTH, so they count from the start.
 */
function quarterMonths(pos: number[]): number[] {
  return pos.every((n) => n < 0) ? [3, 6, 9, 12] : [1, 4, 7, 10];
}

const YEARLY_WORDS = new Set(['annually', 'yearly']);

/** "every year", "each year", "annually", "yearly" after a phrase. */
function yearlySuffix(s: Scan, i: number): number | null {
  const a = w(s, i);
  if (a !== undefined && YEARLY_WORDS.has(a)) return i + 1;
  if ((a === 'every' || a === 'each') && w(s, i + 1) === 'year') return i + 2;
  return null;
}

/**
 * Positional rules: "the 12th of every other month", "1st and last sunday of every month", "third to last monday
 * of the month", "the 2nd and the last occurrence of wed and sat", "second sunday in may every year",
 * "on the last workday of every month". With `inRule` the frequency is already known (a trailer after
 * "every year on …"), so no suffix is needed. Sets the hit and returns the index after the phrase.
 */
function positional(
  s: Scan,
  i: number,
  hit: RecurrenceHit,
  inRule: boolean,
  afterEvery = false,
): number | null {
  let j = i;
  if (w(s, j) === 'on') j++;
  const pl = positionList(s, j);
  if (!pl) return null;
  const target = positionTarget(s, pl.end);
  let end = target?.end ?? pl.end;
  // "second sunday in may", "the 4th thursday of november"
  let month: number | undefined;
  if ((w(s, end) === 'in' || w(s, end) === 'of') && MONTHS.has(w(s, end + 1) ?? '')) {
    month = MONTHS.get(w(s, end + 1)!)!;
    end += 2;
  }
  let freq: Freq | null = null;
  let interval = 1;
  if (inRule) freq = hit.freq === 'YEARLY' || month !== undefined ? 'YEARLY' : 'MONTHLY';
  else if (month !== undefined) {
    const y = yearlySuffix(s, end);
    if (y === null) return null;
    freq = 'YEARLY';
    end = y;
  } else {
    const m = monthlySuffix(s, end);
    if (m) {
      freq = 'MONTHLY';
      interval = m.interval;
      end = m.end;
      if (m.months !== undefined) month = -1;
    } else if (
      afterEvery ||
      (target?.kind === 'weekday' && (pl.pos.length > 1 || target.setPos || pl.pos.some((n) => n < -1)))
    ) {
      // "every second to last friday"; "first, third and fifth wednesday": several positions can only
      // mean a monthly rule.
      freq = 'MONTHLY';
    } else return null;
  }
  if (target === null) {
    // days of the month: "the 12th of every other month", "on the 1st and 15th of every month"
    if ((month !== undefined && month !== -1 && freq !== 'YEARLY') || pl.pos.some((n) => n < 0)) return null;
    hit.byMonthDay = pl.pos;
  } else if (target.kind === 'day') {
    if (month !== undefined && month !== -1 && freq !== 'YEARLY') return null;
    hit.byMonthDay = pl.pos;
  } else if (target.kind === 'workday') {
    hit.byDay = [1, 2, 3, 4, 5];
    hit.setPos = pl.pos;
  } else if (target.setPos) {
    hit.byDay = target.days;
    hit.setPos = pl.pos;
  } else {
    if (pl.pos.some((n) => n > 5 || n < -5)) return null;
    hit.nthDays = pl.pos.flatMap((n) => target.days.map((wd) => ({ n, wd })));
  }
  if (pl.pos.some((n) => n === 0 || n > 31 || n < -31)) return null;
  hit.freq = freq;
  if (!inRule) hit.interval = interval;
  if (month === -1) hit.byMonth = quarterMonths(pl.pos);
  else if (month !== undefined) hit.byMonth = [month];
  return end;
}

function dayOfYearStart(y: number): number {
  return dayOf(y, 1, 1);
}

/** Does `day` satisfy the rule's BY* parts (interval aside)? */
function matchesDay(hit: RecurrenceHit, day: number): boolean {
  const { y, m, d } = ymdOf(day);
  const wd = weekdayOf(day);
  const dim = daysInMonth(y, m);
  if (hit.byMonth !== undefined && !hit.byMonth.includes(m)) return false;
  if (hit.byDay !== undefined && !hit.byDay.includes(wd)) return false;
  if (hit.byMonthDay !== undefined && !hit.byMonthDay.some((n) => (n > 0 ? d === n : d === dim + n + 1)))
    return false;
  if (hit.nthDays !== undefined) {
    // A YEARLY rule without BYMONTH counts weekdays within the year ("every year on the last monday").
    const yearly = hit.freq === 'YEARLY' && hit.byMonth === undefined;
    const first = yearly ? dayOfYearStart(y) : day - d + 1;
    const len = yearly ? (isLeap(y) ? 366 : 365) : dim;
    const k = day - first;
    const ok = hit.nthDays.some(
      (x) =>
        x.wd === wd && (x.n > 0 ? Math.floor(k / 7) + 1 === x.n : Math.floor((len - 1 - k) / 7) + 1 === -x.n),
    );
    if (!ok) return false;
  }
  if (hit.setPos !== undefined) {
    // BYSETPOS: the day's place among the month's days that match BYDAY.
    const days = hit.byDay ?? [1, 2, 3, 4, 5, 6, 7];
    let before = 0;
    let after = 0;
    for (let k = 1; k <= dim; k++) {
      if (!days.includes(weekdayOf(day - d + k))) continue;
      if (k < d) before++;
      else if (k > d) after++;
    }
    if (!hit.setPos.some((p) => (p > 0 ? before + 1 === p : after + 1 === -p))) return false;
  }
  return true;
}

/**
 * The first occurrence on or after the start (today by default): DTSTART of the series and the task's due date.
 * A time that has already passed today moves the first occurrence to the next matching day.
 */
export function firstOccurrence(hit: RecurrenceHit, s: Scan, time: number | undefined): number {
  const start = hit.start?.day ?? s.today;
  const passed = (day: number): boolean => time !== undefined && day === s.today && time <= s.nowMin;
  const constrained =
    hit.byDay !== undefined ||
    hit.byMonthDay !== undefined ||
    hit.nthDays !== undefined ||
    hit.setPos !== undefined ||
    hit.byMonth !== undefined;
  if (!constrained) {
    if (hit.freq === 'HOURLY') return passed(start) ? start + 1 : Math.max(start, s.today);
    // A start already past ("every 3 months starting jan 5" said in April) continues at the series' next
    // occurrence, counted from the start so the phase (and a month-end day) is kept.
    const months = hit.freq === 'MONTHLY' ? hit.interval : hit.freq === 'YEARLY' ? 12 * hit.interval : 0;
    const days = hit.freq === 'DAILY' ? hit.interval : hit.freq === 'WEEKLY' ? 7 * hit.interval : 0;
    const at = (n: number): number => (months > 0 ? addMonths(start, n * months) : start + n * days);
    let n = 0;
    if (start < s.today) {
      const { y: y0, m: m0 } = ymdOf(start);
      const { y: y1, m: m1 } = ymdOf(s.today);
      n =
        months > 0
          ? Math.max(0, Math.floor(((y1 - y0) * 12 + m1 - m0) / months) - 1)
          : Math.floor((s.today - start) / days);
    }
    for (let guard = 0; guard < 4 && (at(n) < s.today || passed(at(n))); guard++) n++;
    return at(n);
  }
  // "every week except january": only the months are constrained, so the series keeps the start's weekday
  // (or day of the month for a monthly rule).
  const keepsAnchor = (day: number): boolean =>
    hit.freq === 'WEEKLY' && hit.byDay === undefined
      ? weekdayOf(day) === weekdayOf(start)
      : hit.freq === 'MONTHLY' &&
          hit.byDay === undefined &&
          hit.byMonthDay === undefined &&
          hit.nthDays === undefined
        ? ymdOf(day).d === ymdOf(start).d
        : true;
  // Bounded search: every supported rule matches within 8 years (Feb 29).
  const limit = hit.byMonth !== undefined ? 366 * 8 : 800;
  for (let k = 0; k < limit; k++) {
    const day = start + k;
    if (matchesDay(hit, day) && keepsAnchor(day) && !passed(day)) return day;
    if (hit.byMonth !== undefined && k > 0 && ymdOf(day).d === 1 && !hit.byMonth.includes(ymdOf(day).m)) {
      // skip to the next month quickly; months other than BYMONTH never match
      const next = addMonths(day, 1) - 1;
      k = next - start;
    }
  }
  return start;
}

/** RFC 5545 RRULE value (no "RRULE:" prefix, no DTSTART). */
export function rruleOf(hit: RecurrenceHit, until: string | undefined): string {
  const parts = [`FREQ=${hit.freq}`];
  if (hit.interval > 1) parts.push(`INTERVAL=${hit.interval}`);
  if (hit.byMonth !== undefined) parts.push(`BYMONTH=${[...hit.byMonth].sort((x, y) => x - y).join(',')}`);
  if (hit.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${hit.byMonthDay.join(',')}`);
  if (hit.byDay !== undefined)
    parts.push(
      `BYDAY=${[...hit.byDay]
        .sort((x, y) => x - y)
        .map((d) => RRULE_DAY[d])
        .join(',')}`,
    );
  if (hit.nthDays !== undefined)
    parts.push(`BYDAY=${hit.nthDays.map((x) => `${x.n}${RRULE_DAY[x.wd]}`).join(',')}`);
  if (hit.setPos !== undefined) parts.push(`BYSETPOS=${hit.setPos.join(',')}`);
  if (hit.times !== undefined)
    parts.push(`BYHOUR=${hit.times.map((t) => Math.floor(t / 60)).join(',')};BYMINUTE=${hit.times[0]! % 60}`);
  if (hit.count !== undefined) parts.push(`COUNT=${hit.count}`);
  else if (until !== undefined) parts.push(`UNTIL=${until}`);
  return parts.join(';');
}

const PER_PERIOD = new Set(['daily', 'weekly', 'monthly', 'yearly', 'annually', 'hourly', 'nightly']);

/**
 * "thrice weekly", "twice daily", "three times a week": a number of times per period without the days or
 * hours it falls on cannot be one RRULE. The phrase stays whole in the title (no half-parsed "weekly") and a
 * warning says why, so the UI can ask for the days.
 */
export function keepUnrepresentable(s: Scan): void {
  for (let i = 0; i < s.toks.length; i++) {
    const a = w(s, i);
    if (a === undefined) continue;
    // "every 15 minutes": tasks repeat hourly at most
    if ((a === 'every' || a === 'each') && unit(w(s, i + 1)) === 'minute') {
      keepAsTitle(s, i, i + 2);
      continue;
    }
    if ((a === 'every' || a === 'each') && cardinal(w(s, i + 1)) !== null && unit(w(s, i + 2)) === 'minute') {
      keepAsTitle(s, i, i + 3);
      i += 2;
      continue;
    }
    // "semiweekly": twice a week, on days it does not name
    if (a === 'semiweekly' || a === 'semi-weekly') {
      keepAsTitle(s, i, i + 1);
      continue;
    }
    let j = -1;
    if (a === 'twice' || a === 'thrice') j = i + 1;
    else if (cardinal(a) !== null && cardinal(a)! > 1 && w(s, i + 1) === 'times') j = i + 2;
    if (j < 0) continue;
    let end = -1;
    if (PER_PERIOD.has(w(s, j) ?? '')) end = j + 1;
    else if ((w(s, j) === 'a' || w(s, j) === 'per' || w(s, j) === 'each') && unit(w(s, j + 1)) !== null)
      end = j + 2;
    if (end < 0) continue;
    keepAsTitle(s, i, end);
    i = end - 1;
  }
}

/** Leaves a recurrence phrase that cannot be represented in the title, with a warning saying why. */
export function keepAsTitle(s: Scan, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    s.used[k] = true;
    s.toks[k]!.ignored = true;
  }
  s.warnings.push(
    `"${s.toks
      .slice(from, to)
      .map((t) => t.text)
      .join(' ')}" cannot be one repeat rule, so it was left in the title`,
  );
}
