import { addMonths, daysInMonth, weekdayOf, ymdOf } from './civil.ts';
import { addUnits, type DateHit, matchDate } from './dates.ts';
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
import { DAYPARTS, matchTime, type TimeHit } from './times.ts';

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
  byMonth?: number;
  /** positions among the month's workdays (BYSETPOS), "every 15th and last workday" */
  workdayPos?: number[];
  time?: number;
  mode: 'due' | 'completion';
  start?: DateHit;
  untilDay?: number;
  count?: number;
  forAmount?: { n: number; u: Unit };
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

const ADVERBS = new Map<string, { freq: Freq; interval: number; time?: number }>([
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
  ['biannual', { freq: 'YEARLY', interval: 2 }],
  ['biyearly', { freq: 'YEARLY', interval: 2 }],
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

/** "mon, wed and fri", "monday & friday": returns the days and the index after the list. */
function weekdayList(s: Scan, i: number): { days: number[]; end: number } | null {
  const first = weekdayOrPlural(w(s, i));
  if (first === null) return null;
  const days = [first];
  let end = i + 1;
  for (;;) {
    let j = end;
    const sep = w(s, j);
    if (sep === ',' || sep === 'and' || sep === '&' || sep === '+' || sep === '/') {
      j++;
      if (sep === ',' && w(s, j) === 'and') j++;
    }
    const d = weekdayOrPlural(w(s, j));
    if (d === null || j === end) break;
    if (!days.includes(d)) days.push(d);
    end = j + 1;
  }
  return { days, end };
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
  if (a === 'other') {
    n = 2;
    j++;
  } else if (cardinal(a) !== null && unit(w(s, i + 1)) !== null) {
    n = cardinal(a);
    j++;
  } else if (ordinal(a) !== null && !/^\d/.test(a) && unit(w(s, i + 1)) !== null) {
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
    if (b === 'weekend') {
      hit.freq = 'WEEKLY';
      hit.interval = n;
      hit.byDay = WEEKEND;
      return j + 1;
    }
    return null;
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
  const nl = nthList(s, i);
  if (nl) {
    hit.freq = 'MONTHLY';
    hit.nthDays = nl.nth;
    return nl.end;
  }
  // "every 15th and last workday", "every 15th workday, last workday", "every last workday", "every first workday"
  const pos = workdayPositions(s, i);
  if (pos) {
    hit.freq = 'MONTHLY';
    hit.workdayPos = pos.pos;
    return pos.end;
  }
  // "every jan 27", "every 27 jan", "every january 27th"
  const mon = MONTHS.get(a);
  if (mon !== undefined) {
    const b = w(s, i + 1);
    const d = b !== undefined && /^\d{1,2}$/.test(b) ? Number(b) : ordinal(b);
    hit.freq = 'YEARLY';
    hit.byMonth = mon;
    if (d !== null && d >= 1 && d <= daysInMonth(2000, mon)) {
      hit.byMonthDay = [d];
      return i + 2;
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
      hit.byMonth = mon2;
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
    if (t && hit.time === undefined) {
      hit.time = t.minute;
      j = t.end;
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
      const md = monthDayList(s, j + 1);
      if (md && hit.freq === 'MONTHLY' && hit.byMonthDay === undefined && hit.nthDays === undefined) {
        hit.byMonthDay = md.days;
        j = md.end;
        continue;
      }
      if (a === 'on' && hit.freq === 'MONTHLY' && hit.nthDays === undefined) {
        let k = j + 1;
        if (w(s, k) === 'the') k++;
        const nth = w(s, k) === 'last' ? -1 : ordinal(w(s, k));
        const wd = WEEKDAYS.get(w(s, k + 1) ?? '');
        if (nth !== null && nth <= 5 && wd !== undefined) {
          hit.nthDays = [{ n: nth, wd }];
          j = k + 2;
          continue;
        }
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
      if (w(s, k) === 'on' || w(s, k) === 'from' || w(s, k) === 'at') k++;
      const d = matchDate(s, k);
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
      if (w(s, k) === 'on' || w(s, k) === 'by') k++;
      const d = matchDate(s, k);
      if (d && hit.untilDay === undefined && (a !== 'to' || hit.start !== undefined)) {
        hit.untilDay = d.day;
        j = d.end;
        continue;
      }
    }
    if (a === 'for') {
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
      if (n !== null && n > 0 && w(s, j + 2) === 'times' && hit.count === undefined) {
        hit.count = n;
        j += 3;
        continue;
      }
    }
    const n = cardinal(a);
    if (n !== null && n > 0 && w(s, j + 1) === 'times' && hit.count === undefined) {
      hit.count = n;
      j += 2;
      continue;
    }
    if ((a === 'once' || a === 'twice') && hit.count === undefined && j > i) {
      hit.count = a === 'once' ? 1 : 2;
      j += 1;
      continue;
    }
    break;
  }
  return j;
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
  // "on the 5th of every month", "the last friday of each month"
  const monthly =
    a === 'on' || a === 'the' || a === 'last' || ordinal(a) !== null ? ofEveryMonth(s, i, hit) : null;
  if (monthly !== null) j = monthly;
  else if (a === 'every' || a === 'ev' || a === 'each' || a === 'every!' || a === 'ev!' || a === 'evry') {
    let k = i + 1;
    if (a.endsWith('!')) hit.mode = 'completion';
    else if (w(s, k) === '!' || (s.toks[k]?.kind === 'punct' && s.toks[k]?.text === '!')) {
      hit.mode = 'completion';
      k++;
    }
    if (a === 'each' && weekdayOrPlural(w(s, k)) === null && unit(w(s, k)) === null) return null;
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
    // "Daily standup" / "Weekly review": an adjective before a noun is part of the title.
    if (!boundaryAt(s, i + 1)) return null;
    if (
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
  return hit;
}

/** "(on) (the) 5th|last day|first monday of every|each month" → a monthly rule; returns the index after it. */
function ofEveryMonth(s: Scan, i: number, hit: RecurrenceHit): number | null {
  let j = i;
  if (w(s, j) === 'on') j++;
  if (w(s, j) === 'the') j++;
  const a = w(s, j);
  const n = a === 'last' ? -1 : ordinal(a);
  if (n === null) return null;
  let k = j + 1;
  const b = w(s, k);
  const wd = b === undefined ? undefined : WEEKDAYS.get(b);
  const isDay = b === 'day';
  if (wd !== undefined || isDay) k++;
  else if (n === -1) return null;
  if (w(s, k) !== 'of' || (w(s, k + 1) !== 'every' && w(s, k + 1) !== 'each') || w(s, k + 2) !== 'month')
    return null;
  hit.freq = 'MONTHLY';
  if (wd !== undefined) {
    if (n > 5) return null;
    hit.nthDays = [{ n, wd }];
  } else hit.byMonthDay = [n];
  return k + 3;
}

/** Does `day` satisfy the rule's BY* parts (interval aside)? */
function matchesDay(hit: RecurrenceHit, day: number): boolean {
  const { y, m, d } = ymdOf(day);
  const wd = weekdayOf(day);
  const dim = daysInMonth(y, m);
  if (hit.byMonth !== undefined && m !== hit.byMonth) return false;
  if (hit.byDay !== undefined && !hit.byDay.includes(wd)) return false;
  if (hit.byMonthDay !== undefined && !hit.byMonthDay.some((n) => (n > 0 ? d === n : d === dim + n + 1)))
    return false;
  if (hit.nthDays !== undefined) {
    const ok = hit.nthDays.some((x) => x.wd === wd && (x.n > 0 ? Math.ceil(d / 7) === x.n : d + 7 > dim));
    if (!ok) return false;
  }
  if (hit.workdayPos !== undefined) {
    if (wd > 5) return false;
    let before = 0;
    let after = 0;
    for (let k = 1; k <= dim; k++) {
      const kwd = weekdayOf(day - d + k);
      if (kwd > 5) continue;
      if (k < d) before++;
      else if (k > d) after++;
    }
    if (!hit.workdayPos.some((p) => (p > 0 ? before + 1 === p : after + 1 === -p))) return false;
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
    hit.workdayPos !== undefined ||
    hit.byMonth !== undefined;
  if (!constrained) {
    if (!passed(start)) return start;
    if (hit.freq === 'HOURLY' || hit.freq === 'DAILY')
      return start + (hit.freq === 'DAILY' ? hit.interval : 1);
    const u: Unit = hit.freq === 'WEEKLY' ? 'week' : hit.freq === 'MONTHLY' ? 'month' : 'year';
    return addUnits(start, hit.interval, u);
  }
  // Bounded search: every supported rule matches within 8 years (Feb 29).
  const limit = hit.byMonth !== undefined ? 366 * 8 : 800;
  for (let k = 0; k < limit; k++) {
    const day = start + k;
    if (matchesDay(hit, day) && !passed(day)) return day;
    if (hit.byMonth !== undefined && k > 0 && ymdOf(day).d === 1 && ymdOf(day).m !== hit.byMonth) {
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
  if (hit.byMonth !== undefined) parts.push(`BYMONTH=${hit.byMonth}`);
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
  if (hit.workdayPos !== undefined) parts.push(`BYDAY=MO,TU,WE,TH,FR;BYSETPOS=${hit.workdayPos.join(',')}`);
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
    let j = -1;
    if (a === 'twice' || a === 'thrice') j = i + 1;
    else if (cardinal(a) !== null && cardinal(a)! > 1 && w(s, i + 1) === 'times') j = i + 2;
    if (j < 0) continue;
    let end = -1;
    if (PER_PERIOD.has(w(s, j) ?? '')) end = j + 1;
    else if ((w(s, j) === 'a' || w(s, j) === 'per' || w(s, j) === 'each') && unit(w(s, j + 1)) !== null)
      end = j + 2;
    if (end < 0) continue;
    for (let k = i; k < end; k++) {
      s.used[k] = true;
      s.toks[k]!.ignored = true;
    }
    s.warnings.push(
      `"${s.toks
        .slice(i, end)
        .map((t) => t.text)
        .join(' ')}" is not a repeat a task can have: it names no days or times, so it was left in the title`,
    );
    i = end - 1;
  }
}
