import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { parseQuickAdd, type QuickAddResult } from '../../src/quick-add/index.ts';
import { parseRecurrence, previewOccurrences } from '../../src/recurrence/index.ts';
import { type CorpusCase, DATES, PLAIN_TITLES, RECURRENCE } from './corpus.ts';
import { BERLIN_WED } from './helpers.ts';

const opts = { now: BERLIN_WED.now, timeZone: BERLIN_WED.tz };
const OCCURRENCES = 12;

/** The first occurrences of a series as local "YYYY-MM-DD[ HH:MM]" strings: what a rule means from its due date. */
function occurrences(due: string, rrule: string): string[] {
  const [date, time] = due.split(' ');
  const local = Temporal.PlainDateTime.from(`${date}T${time ?? '00:00'}`);
  const at = new Date(local.toZonedDateTime(BERLIN_WED.tz).epochMilliseconds);
  const next = previewOccurrences(
    {
      rrule,
      dtstart: { at, tz: BERLIN_WED.tz, allDay: time === undefined },
      after: at,
      mode: 'due',
      occurrenceIndex: 0,
      now: at,
    },
    OCCURRENCES - 1,
  );
  const show = (d: Date): string => {
    const z = Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(BERLIN_WED.tz);
    return time === undefined
      ? z.toPlainDate().toString()
      : z.toPlainDateTime().toString().slice(0, 16).replace('T', ' ');
  };
  return [due, ...next.map(show)];
}

function dueOf(r: QuickAddResult): string | null {
  return r.due ? (r.due.time ? `${r.due.date} ${r.due.time}` : r.due.date) : null;
}

/** Same meaning: the same occurrences from the due date, and the same end (COUNT / UNTIL). */
function sameSeries(r: QuickAddResult, c: CorpusCase): boolean {
  const got = dueOf(r);
  if (got === null || r.recurrence === undefined || c.rrule === undefined) return false;
  try {
    const a = parseRecurrence(r.recurrence.rrule);
    const b = parseRecurrence(c.rrule);
    if (a.count !== b.count || JSON.stringify(a.until) !== JSON.stringify(b.until)) return false;
    return (
      JSON.stringify(occurrences(got, r.recurrence.rrule)) === JSON.stringify(occurrences(c.due, c.rrule))
    );
  } catch {
    return false;
  }
}

function score(name: string, cases: readonly unknown[], ok: (c: never) => boolean): number {
  const misses = cases.filter((c) => !ok(c as never));
  const pct = Math.round((1000 * (cases.length - misses.length)) / cases.length) / 10;
  console.log(
    `${name}: ${pct} % of ${cases.length}${misses.length ? `; misses: ${JSON.stringify(misses.map((m) => (typeof m === 'string' ? m : (m as CorpusCase).text)))}` : ''}`,
  );
  return pct;
}

const parse = (text: string): QuickAddResult => parseQuickAdd(text, opts);

describe('issue 13 corpus, scored per class', () => {
  it('recurrence ≥ 85 %', () => {
    expect(
      score('recurrence', RECURRENCE, (c: CorpusCase) => sameSeries(parse(c.text), c)),
    ).toBeGreaterThanOrEqual(85);
  });

  it('dates ≥ 85 %', () => {
    const ok = (c: CorpusCase): boolean => {
      const r = parse(c.text);
      return r.recurrence === undefined && dueOf(r) === c.due;
    };
    expect(score('dates', DATES, ok)).toBeGreaterThanOrEqual(85);
  });

  it('plain titles stay titles ≥ 95 %', () => {
    const ok = (t: string): boolean => {
      const r = parse(t);
      return (
        r.title === t &&
        r.due === undefined &&
        r.recurrence === undefined &&
        r.priority === undefined &&
        r.reminders.length === 0 &&
        r.list === undefined
      );
    };
    expect(score('plain titles', PLAIN_TITLES, ok)).toBeGreaterThanOrEqual(95);
  });

  it('titles of recognised phrases ≥ 93 %', () => {
    const ok = (c: CorpusCase): boolean => parse(c.text).title === c.title;
    expect(score('titles', [...RECURRENCE, ...DATES], ok)).toBeGreaterThanOrEqual(93);
  });

  it('every expected rule is valid for the recurrence engine', () => {
    for (const c of RECURRENCE) expect(() => occurrences(c.due, c.rrule!), c.text).not.toThrow();
  });
});
