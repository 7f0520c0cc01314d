import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuickAdd } from '../../src/quick-add/index.ts';
import { parseRecurrence } from '../../src/recurrence/index.ts';

/** Words the grammar reacts to, mixed with noise, so random inputs exercise the parsers deeply. */
const VOCAB = [
  'every',
  'ev',
  'every!',
  'after',
  'other',
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'year',
  'hour',
  'hours',
  'monday',
  'mon',
  'fri',
  'sat',
  'sun',
  'weekend',
  'weekday',
  'workday',
  'last',
  'first',
  '3rd',
  '27th',
  '15th',
  'and',
  ',',
  'at',
  'on',
  'by',
  'due',
  'in',
  'the',
  'of',
  'next',
  'this',
  'tomorrow',
  'tom',
  'today',
  'tonight',
  'jan',
  'january',
  'feb',
  'may',
  'mid',
  'end',
  'beginning',
  'starting',
  'from',
  'until',
  'for',
  'times',
  'ago',
  '5pm',
  '17:00',
  '9',
  '9:30',
  'am',
  'p.m.',
  'noon',
  'midnight',
  'morning',
  'evening',
  '27/1',
  '2027-01-27',
  '29.02.2028',
  '+3d',
  '-7',
  '3',
  'three',
  'a',
  'an',
  'p1',
  'p4',
  'fridays',
  'mon-fri',
  'once',
  'except',
  'occurrence',
  'second',
  'to',
  'month',
  'quarterly',
  'semimonthly',
  'twice',
  'x4',
  '4x',
  'through',
  '03.04',
  'thursdy',
  "o'clock",
  '2.5',
  '!!!',
  '!',
  '!!1',
  '!30m',
  '!1h',
  '#tag',
  '@home',
  '@fri',
  '+List',
  '+"My List"',
  '"quoted text"',
  '"',
  '//',
  'remind',
  'me',
  'before',
  'priority',
  'high',
  'urgent',
  'x',
  'Buy',
  'milk',
  'https://x.io/a',
  'a@b.co',
  '(',
  ')',
  '\u{1F600}',
  '\u00e9t\u00e9',
  '\t',
];

const phrase = fc
  .array(
    fc.oneof(
      fc.constantFrom(...VOCAB),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
    ),
    {
      maxLength: 60,
    },
  )
  .map((ws) => ws.join(' ').slice(0, 500));

const anyText = fc.oneof(
  phrase,
  fc.string({ maxLength: 500 }),
  fc.string({ unit: 'binary', maxLength: 250 }),
);
const instant = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2090-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const zone = fc.constantFrom(
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Not/AZone',
);

/** Letters and digits outside the spans, in order: what the title must consist of. */
function alnum(s: string): string {
  return Array.from(s.matchAll(/[\p{L}\p{N}]/gu), (m) => m[0]).join('');
}

describe('quick-add properties', () => {
  it('never throws and always returns the documented shape', () => {
    fc.assert(
      fc.property(anyText, instant, zone, (text, now, tz) => {
        const r = parseQuickAdd(text, { now, timeZone: tz });
        expect(typeof r.title).toBe('string');
        expect(Array.isArray(r.tags)).toBe(true);
        expect(Array.isArray(r.reminders)).toBe(true);
        if (r.due) {
          expect(r.due.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          if (r.due.time !== undefined) expect(r.due.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(r.due.all_day).toBe(r.due.time === undefined);
        }
        if (r.recurrence) {
          expect(r.recurrence.rrule).toMatch(/^FREQ=(HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[-\w,]+)*$/);
          // the recurrence engine accepts every rule the parser writes
          expect(() => parseRecurrence(r.recurrence!.rrule), r.recurrence.rrule).not.toThrow();
        }
        for (const rem of r.reminders) {
          if ('before' in rem) expect(rem.before).toMatch(/^P(\d+[YMWD])*(T(\d+H)?(\d+M)?)?$/);
          else expect(rem.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('spans are in bounds, ordered and disjoint, and title + spans account for the whole input', () => {
    fc.assert(
      fc.property(anyText, instant, (text, now) => {
        const r = parseQuickAdd(text, { now, timeZone: 'Europe/Berlin' });
        let last = 0;
        let rest = '';
        for (const s of r.spans) {
          expect(s.start).toBeGreaterThanOrEqual(last);
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end).toBeLessThanOrEqual(text.length);
          rest += text.slice(last, s.start);
          last = s.end;
        }
        rest += text.slice(last);
        // Everything outside the spans is title material: the title keeps every letter and digit of it,
        // in order (only whitespace, quote marks and dangling separators are tidied away).
        expect(alnum(r.title)).toBe(alnum(rest));
      }),
      { numRuns: 1500 },
    );
  });

  it('stays fast on any input up to 500 characters (loose bound; real figures come from the bench)', () => {
    const adversarial = [
      'every '.repeat(83),
      'mon, '.repeat(100),
      '1st and '.repeat(62),
      '"'.repeat(500),
      '!'.repeat(500),
      '9'.repeat(500),
      'a'.repeat(500),
      'in 3 days '.repeat(50),
      '#'.repeat(250) + 'x'.repeat(250),
      'remind me '.repeat(50),
      '1/'.repeat(250),
      '-'.repeat(500),
      'the day after '.repeat(35),
    ];
    let worst = 0;
    // Best of three runs per input: catastrophic backtracking is slow every time, while a GC pause or a
    // busy shared CPU only slows one run.
    const time = (text: string): void => {
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        parseQuickAdd(text, { now: new Date('2027-01-20T14:30:00Z'), timeZone: 'Europe/Berlin' });
        best = Math.min(best, performance.now() - t0);
      }
      worst = Math.max(worst, best);
    };
    for (let k = 0; k < 20; k++) time('warm up tomorrow at 5pm every monday'); // JIT warm-up
    for (const a of adversarial) time(a.slice(0, 500));
    fc.assert(
      fc.property(anyText, (text) => {
        time(text);
      }),
      { numRuns: 1000 },
    );
    expect(worst).toBeLessThan(50);
  });

  it('is deterministic: the same input, instant and zone give the same result', () => {
    fc.assert(
      fc.property(phrase, instant, zone, (text, now, tz) => {
        expect(parseQuickAdd(text, { now, timeZone: tz })).toEqual(
          parseQuickAdd(text, { now, timeZone: tz }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
