import { addMonths, formatDay, formatMinutes } from './civil.ts';
import { DATE_PREPS, type DateHit, matchDate } from './dates.ts';
import { type Priority, parsePriority } from './priority.ts';
import {
  firstOccurrence,
  keepAsTitle,
  keepUnrepresentable,
  matchRecurrence,
  type RecurrenceHit,
  rruleOf,
} from './recurrence-phrases.ts';
import { parseReminders, type Reminder, type ReminderHit, resolveReminders } from './reminders.ts';
import { consume, type Scan, type Span, w } from './scan.ts';
import { parseAtTags, parseHashTags, parseList } from './tags.ts';
import { matchTime, type TimeHit } from './times.ts';
import { markIgnored, tokenize } from './tokens.ts';
import type { ParseOptions } from './types.ts';
import { utcStamp, wallNow } from './zone.ts';

export type { Priority } from './priority.ts';
export type { Reminder } from './reminders.ts';
export type { Span, SpanKind } from './scan.ts';

/** The due date of a parsed task, as wall-clock date/time in `tz`. */
export interface QuickAddDue {
  date: string;
  time?: string;
  tz: string;
  all_day: boolean;
}

export interface QuickAddRecurrence {
  /** RFC 5545 RRULE value without the "RRULE:" prefix and without DTSTART (DTSTART = the due date). */
  rrule: string;
  /** `due`: next after the previous due date; `completion`: next after completing (Todoist's `every!`). */
  mode: 'due' | 'completion';
}

export interface QuickAddResult {
  title: string;
  description?: string;
  due?: QuickAddDue;
  recurrence?: QuickAddRecurrence;
  priority?: Priority;
  tags: string[];
  list?: string;
  reminders: Reminder[];
  /** Recognised phrases, as UTF-16 offsets into the original input. */
  spans: Span[];
  /** Phrases understood but not representable ("three times a week" names no days): left in the title. */
  warnings?: string[];
}

/** Separator before a description: " // " (or a trailing " //"). */
const DESCRIPTION_SEP = /(^|\s)\/\/(?=\s|$)/g;

/** Where the description separator's "//" starts, skipping one the user marked as plain text; -1 if none. */
function descriptionSep(text: string, opts: ParseOptions): number {
  const ignore = Array.isArray(opts.ignore) ? opts.ignore : [];
  for (const m of text.matchAll(DESCRIPTION_SEP)) {
    const at = m.index + m[1]!.length;
    if (!ignore.some((r) => r !== null && typeof r === 'object' && r.start < at + 2 && r.end > at)) return at;
  }
  return -1;
}

export function newScan(text: string, opts: ParseOptions, to: number, phrase: boolean): Scan {
  const now = wallNow(opts.now, opts.timeZone);
  const toks = tokenize(text, 0, to);
  markIgnored(toks, opts.ignore);
  return {
    toks,
    // Ignored tokens start out "used", so every parser passes them by; buildTitle keeps them.
    used: toks.map((t) => t.ignored === true),
    spans: [],
    today: now.today,
    nowMin: now.minute,
    now: opts.now instanceof Date && Number.isFinite(opts.now.getTime()) ? opts.now : new Date(0),
    tz: now.tz,
    phrase,
    warnings: [],
  };
}

/** A date with its leading prepositions ("due on friday", "by jan 27"): the date and where it begins. */
function dateWithPreps(s: Scan, i: number): { from: number; hit: DateHit } | null {
  let j = i;
  while (j < i + 2 && DATE_PREPS.has(w(s, j) ?? '')) j++;
  const hit = matchDate(s, j);
  if (hit) return { from: i, hit };
  return null;
}

interface Found {
  day?: number;
  time?: number;
  /** the date was a bare weekday naming today */
  sameDay?: boolean;
  /** the date phrase itself carried the day ("today at 5pm"), so a passed time does not roll over */
  explicitDay: boolean;
}

/** The date/time parsers: the first date and the first time in the text (a time right after a date belongs to it). */
function parseDue(s: Scan): Found {
  const found: Found = { explicitDay: false };
  for (let i = 0; i < s.toks.length && found.day === undefined; i++) {
    const d = dateWithPreps(s, i);
    if (!d) continue;
    found.day = d.hit.day;
    found.explicitDay = true;
    if (d.hit.sameDay === true) found.sameDay = true;
    if (d.hit.time !== undefined) found.time = d.hit.time;
    // "11 tonight", "5pm on friday": a time right before the date belongs to it (looked up before consuming).
    let before: TimeHit | null = null;
    let beforeAt = -1;
    for (let k = Math.max(0, d.from - 4); k < d.from && before === null; k++) {
      const t = matchTime(s, k);
      if (t && t.end === d.from) {
        before = t;
        beforeAt = k;
      }
    }
    let dateEnd = d.hit.end;
    // A range ("aug 3 to aug 10", "friday - monday") is due on its first day; the rest belongs to the span.
    const sep = w(s, dateEnd);
    if (
      sep === 'to' ||
      sep === '-' ||
      sep === 'until' ||
      sep === 'till' ||
      sep === 'through' ||
      sep === '\u2013'
    ) {
      const end2 = matchDate(s, dateEnd + 1);
      if (end2) dateEnd = end2.end;
    }
    // "by friday EOD", "monday end of day": the end of the day adds nothing to an all-day date.
    if (w(s, dateEnd) === 'eod' || w(s, dateEnd) === 'cob' || w(s, dateEnd) === 'eob') dateEnd++;
    else if (
      (w(s, dateEnd) === 'end' || w(s, dateEnd) === 'close') &&
      w(s, dateEnd + 1) === 'of' &&
      (w(s, dateEnd + 2) === 'day' || w(s, dateEnd + 2) === 'business')
    )
      dateEnd += 3;
    // "from aug 3 to aug 10": "from" belongs to a range only.
    const from = dateEnd > d.hit.end && w(s, d.from - 1) === 'from' ? d.from - 1 : d.from;
    consume(s, from, dateEnd, 'date');
    if (before) {
      found.time = before.minute;
      consume(s, beforeAt, before.end, 'time');
      continue;
    }
    let j = d.hit.end;
    if (w(s, j) === ',') j++;
    const t = matchTime(s, j, true);
    if (t) {
      // "tonight at 9", "this afternoon at 3": an hour without am/pm after an afternoon/evening phrase is p.m.
      const evening = d.hit.time !== undefined && d.hit.time >= 12 * 60;
      found.time = evening && t.bare === true && t.minute < 12 * 60 ? t.minute + 12 * 60 : t.minute;
      consume(s, j, t.end, 'time');
    }
  }
  if (found.time === undefined) {
    for (let i = 0; i < s.toks.length; i++) {
      const t: TimeHit | null = matchTime(s, i);
      if (!t) continue;
      found.time = t.minute;
      consume(s, i, t.end, 'time');
      // "5pm tomorrow": a date right after a time belongs to it.
      if (found.day === undefined) {
        const d = dateWithPreps(s, t.end);
        if (d) {
          found.day = d.hit.day;
          found.explicitDay = true;
          consume(s, d.from, d.hit.end, 'date');
        }
      }
      break;
    }
  }
  // "wednesday at 9am" said on a Wednesday afternoon means next Wednesday.
  if (
    found.sameDay === true &&
    found.day !== undefined &&
    found.time !== undefined &&
    found.time <= s.nowMin
  ) {
    found.day += 7;
  }
  return found;
}

const SCHEDULE_LEADS = new Set(['repeat', 'repeats', 'repeating', 'recurring', 'recurs', 'recur']);

function parseRecurrence(s: Scan): RecurrenceHit | undefined {
  keepUnrepresentable(s);
  for (let i = 0; i < s.toks.length; i++) {
    const r = matchRecurrence(s, i);
    if (r?.unrepresentable !== undefined) {
      keepAsTitle(s, i, r.unrepresentable);
      return undefined;
    }
    if (r) {
      // "Rent due every month", "once every two weeks", "repeats monthly": the word before belongs to the
      // schedule, not the title.
      const prev = w(s, i - 1);
      const lead =
        prev === 'due' ||
        (prev !== undefined && SCHEDULE_LEADS.has(prev)) ||
        (prev === 'once' && w(s, i) === 'every');
      consume(s, lead ? i - 1 : i, r.end, 'recurrence');
      return r;
    }
  }
  return undefined;
}

/** Punctuation that never takes a space before it in the rebuilt title. */
const NO_SPACE_BEFORE = new Set([',', ';', ':', '.', '!', '?', ')', ']', '}', '\u2026']);
const EDGE_PUNCT = new Set([',', ';', ':', '-', '\u2013', '\u2014', '/', '|', '&']);

/** The title: unconsumed tokens in order, quotes removed from quoted runs, whitespace and dangling separators tidied. */
export function buildTitle(s: Scan): string {
  const parts: { text: string; punct: boolean; start: number; end: number }[] = [];
  for (let i = 0; i < s.toks.length; i++) {
    const t = s.toks[i]!;
    if (s.used[i] && t.ignored !== true) continue;
    parts.push({
      text: (t.kind === 'quoted' || t.kind === 'qlist') && t.ignored !== true ? (t.inner ?? '') : t.text,
      punct: t.kind === 'punct',
      start: t.start,
      end: t.end,
    });
  }
  // Separators left dangling at either end by a removed phrase ("Buy milk, tomorrow" → "Buy milk").
  // A lone dash is a word token ("Call mom - tomorrow"), so edges are judged by text, not kind.
  while (parts.length > 0 && EDGE_PUNCT.has(parts[0]!.text)) parts.shift();
  while (parts.length > 0 && EDGE_PUNCT.has(parts[parts.length - 1]!.text)) parts.pop();
  let out = '';
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const prev = parts[k - 1];
    if (prev !== undefined) {
      const adjacent = prev.end === p.start;
      const glue =
        adjacent || (p.punct && NO_SPACE_BEFORE.has(p.text)) || (prev.punct && '([{'.includes(prev.text));
      if (!glue) out += ' ';
    }
    out += p.text;
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .trim();
}

function emptyResult(text: string): QuickAddResult {
  return {
    title: typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '',
    tags: [],
    reminders: [],
    spans: [],
  };
}

/**
 * Parses a quick-add line into a task. A chain of small parsers, each consuming the tokens it recognises
 * and passing the rest on: description → list → tags → priority → reminders → recurrence → due date/time
 * → @tags; refiners then resolve the first occurrence, roll a passed time to tomorrow and tidy the title.
 * Pure and total: never throws, linear in the input length.
 */
export function parseQuickAdd(text: string, opts: ParseOptions): QuickAddResult {
  try {
    return parseUnsafe(typeof text === 'string' ? text : '', opts);
  } catch {
    return emptyResult(text);
  }
}

function parseUnsafe(text: string, opts: ParseOptions): QuickAddResult {
  const sepAt = descriptionSep(text, opts);
  const headEnd = sepAt >= 0 ? sepAt : text.length;
  const s = newScan(text, opts, headEnd, false);
  let description: string | undefined;
  if (sepAt >= 0) {
    description = text.slice(headEnd + 2).trim();
    s.spans.push({ start: headEnd, end: text.length, kind: 'description' });
  }
  const tags: string[] = [];
  const list = parseList(s);
  parseHashTags(s, tags);
  const priority = parsePriority(s);
  const reminderHits: ReminderHit[] = [];
  parseReminders(s, reminderHits);
  const rec = parseRecurrence(s);
  const found = parseDue(s);
  parseAtTags(s, tags);

  const title = buildTitle(s);
  let dueDay: number | undefined;
  let dueTime: number | undefined;
  let recurrence: QuickAddRecurrence | undefined;
  if (rec) {
    // A separate date or time in the line refines the series ("at 9am every day", "tomorrow every week").
    dueTime = rec.time ?? found.time ?? rec.start?.time;
    // "every day at 9am and 5pm" said at 15:30: the series starts with today's 17:00.
    if (rec.times !== undefined && rec.start === undefined && found.day === undefined)
      dueTime = rec.times.find((t) => t > s.nowMin) ?? rec.times[0];
    if (rec.start === undefined && found.day !== undefined) rec.start = { end: 0, day: found.day };
    // A start after its own end: "every 3 months starting jan 5 ending dec 5" said in January rolled the
    // year-less start to next year, but it is this year's (already running) series.
    if (rec.start !== undefined && rec.untilDay !== undefined && rec.untilDay < rec.start.day) {
      // "from monday to friday" said on a Wednesday: the end is the Friday after that Monday.
      if (rec.start.day - rec.untilDay < 7) rec.untilDay += 7;
      else rec.start = { ...rec.start, day: addMonths(rec.start.day, -12) };
    }
    // "every hour" starts now (Todoist: "every hour starting from now").
    if (rec.freq === 'HOURLY' && dueTime === undefined) dueTime = s.nowMin;
    if (dueTime !== undefined && dueTime >= 24 * 60) {
      dueTime -= 24 * 60;
      rec.start = { end: 0, day: (rec.start?.day ?? s.today) + 1 };
    }
    if (
      rec.freq === 'HOURLY' &&
      dueTime !== undefined &&
      rec.byDay === undefined &&
      rec.start === undefined
    ) {
      // An hourly series starting at a time already past today continues at its next slot after now.
      let t = dueTime;
      const step = 60 * rec.interval;
      while (t < s.nowMin && step > 0) t += step;
      dueDay = s.today + Math.floor(t / (24 * 60));
      dueTime = t % (24 * 60);
    } else dueDay = firstOccurrence(rec, s, dueTime);
    let until: string | undefined;
    if (rec.untilDay !== undefined) until = utcStamp(rec.untilDay, 23 * 60 + 59, 59, s.tz);
    else if (rec.forAmount !== undefined) {
      const { n, u } = rec.forAmount;
      const endDay =
        u === 'hour'
          ? dueDay
          : u === 'day'
            ? dueDay + n - 1
            : u === 'week'
              ? dueDay + 7 * n - 1
              : addMonths(dueDay, u === 'month' ? n : u === 'quarter' ? 3 * n : 12 * n) - 1;
      until = utcStamp(endDay, 23 * 60 + 59, 59, s.tz);
    }
    recurrence = { rrule: rruleOf(rec, until), mode: rec.mode };
  } else if (found.day !== undefined || found.time !== undefined) {
    dueTime = found.time;
    dueDay = found.day;
    if (dueDay === undefined) {
      // A time alone means its next occurrence: a time that already passed today means tomorrow.
      dueDay = dueTime !== undefined && dueTime <= s.nowMin ? s.today + 1 : s.today;
    }
  }
  // Keys in the documented order, optional ones only when present.
  const due: QuickAddDue | undefined =
    dueDay === undefined
      ? undefined
      : dueTime === undefined
        ? { date: formatDay(dueDay), tz: s.tz, all_day: true }
        : { date: formatDay(dueDay), time: formatMinutes(dueTime), tz: s.tz, all_day: false };
  return {
    title,
    ...(description !== undefined && description !== '' ? { description } : {}),
    ...(due !== undefined ? { due } : {}),
    ...(recurrence !== undefined ? { recurrence } : {}),
    ...(priority !== undefined ? { priority } : {}),
    tags,
    ...(list !== undefined ? { list } : {}),
    reminders: resolveReminders(reminderHits, s, dueDay),
    spans: s.spans.sort((a, b) => a.start - b.start),
    ...(s.warnings.length > 0 ? { warnings: s.warnings } : {}),
  };
}
