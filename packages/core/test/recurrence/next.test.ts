import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import { type NextOccurrenceInput, nextOccurrence, previewOccurrences } from '../../src/recurrence/index.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

interface Case {
  name: string;
  rrule: string;
  tz: string;
  /** Series anchor (first due), as an ISO instant. */
  anchor: string;
  /** Current due date; defaults to the anchor. */
  after?: string;
  /** Clock; defaults to one minute after `after`. */
  now?: string;
  mode?: 'due' | 'completion';
  completedAt?: string;
  allDay?: boolean;
  index?: number;
  /** Expected next occurrences (preview), or [] for an ended series. */
  expected: string[];
}

function input(c: Case): NextOccurrenceInput {
  const after = new Date(c.after ?? c.anchor);
  return {
    rrule: c.rrule,
    dtstart: { at: new Date(c.anchor), tz: c.tz, allDay: c.allDay ?? false },
    after,
    now: new Date(c.now ?? after.getTime() + 60_000),
    mode: c.mode ?? 'due',
    ...(c.completedAt !== undefined ? { completedAt: new Date(c.completedAt) } : {}),
    occurrenceIndex: c.index ?? 0,
  };
}

const cases: Case[] = [
  {
    name: 'every day at 9:00 New York keeps 09:00 local across spring-forward (−05:00 → −04:00)',
    rrule: 'FREQ=DAILY',
    tz: 'America/New_York',
    anchor: '2027-03-13T14:00:00Z',
    expected: ['2027-03-14T13:00:00.000Z', '2027-03-15T13:00:00.000Z'],
  },
  {
    name: 'monthly on the 31st skips short months',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=31',
    tz: 'America/New_York',
    anchor: '2027-01-31T14:00:00Z',
    expected: ['2027-03-31T13:00:00.000Z', '2027-05-31T13:00:00.000Z', '2027-07-31T13:00:00.000Z'],
  },
  {
    name: 'monthly with the day taken from an anchor on the 31st skips short months too',
    rrule: 'FREQ=MONTHLY',
    tz: 'UTC',
    anchor: '2027-01-31T09:00:00Z',
    expected: ['2027-03-31T09:00:00.000Z', '2027-05-31T09:00:00.000Z'],
  },
  {
    name: 'last Friday of the month (-1FR)',
    rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
    tz: 'UTC',
    anchor: '2027-01-29T09:00:00Z',
    expected: ['2027-02-26T09:00:00.000Z', '2027-03-26T09:00:00.000Z', '2027-04-30T09:00:00.000Z'],
  },
  {
    name: 'second Tuesday of the month (2TU)',
    rrule: 'FREQ=MONTHLY;BYDAY=2TU',
    tz: 'Europe/Berlin',
    anchor: '2027-01-12T08:00:00Z',
    expected: ['2027-02-09T08:00:00.000Z', '2027-03-09T08:00:00.000Z', '2027-04-13T07:00:00.000Z'],
  },
  {
    name: 'every weekday skips the weekend (Berlin, 08:00 local)',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    tz: 'Europe/Berlin',
    anchor: '2027-01-08T07:00:00Z',
    expected: ['2027-01-11T07:00:00.000Z', '2027-01-12T07:00:00.000Z', '2027-01-13T07:00:00.000Z'],
  },
  {
    name: 'every 2 weeks on Monday and Friday',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR',
    tz: 'UTC',
    anchor: '2027-01-04T09:00:00Z',
    expected: [
      '2027-01-08T09:00:00.000Z',
      '2027-01-18T09:00:00.000Z',
      '2027-01-22T09:00:00.000Z',
      '2027-02-01T09:00:00.000Z',
    ],
  },
  {
    name: 'last workday of the month (BYSETPOS=-1)',
    rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    tz: 'UTC',
    anchor: '2027-01-29T09:00:00Z',
    after: '2027-06-30T09:00:00Z',
    expected: ['2027-07-30T09:00:00.000Z', '2027-08-31T09:00:00.000Z', '2027-09-30T09:00:00.000Z'],
  },
  {
    name: 'COUNT=3 from the first occurrence: two more, then the series ends',
    rrule: 'FREQ=DAILY;COUNT=3',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    expected: ['2027-01-02T09:00:00.000Z', '2027-01-03T09:00:00.000Z'],
  },
  {
    name: 'COUNT=3 at the third occurrence: ended',
    rrule: 'FREQ=DAILY;COUNT=3',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    after: '2027-01-03T09:00:00Z',
    index: 2,
    expected: [],
  },
  {
    name: 'UNTIL (UTC) is inclusive and ends the series',
    rrule: 'FREQ=DAILY;UNTIL=20270105T090000Z',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    after: '2027-01-03T09:00:00Z',
    expected: ['2027-01-04T09:00:00.000Z', '2027-01-05T09:00:00.000Z'],
  },
  {
    name: 'UNTIL as a date includes that whole local day',
    rrule: 'FREQ=DAILY;UNTIL=20270105',
    tz: 'America/New_York',
    anchor: '2027-01-01T23:00:00Z',
    after: '2027-01-03T23:00:00Z',
    expected: ['2027-01-04T23:00:00.000Z', '2027-01-05T23:00:00.000Z'],
  },
  {
    name: 'UNTIL as a local date-time is read in the series zone',
    rrule: 'FREQ=DAILY;UNTIL=20270105T090000',
    tz: 'America/New_York',
    anchor: '2027-01-01T14:00:00Z',
    after: '2027-01-03T14:00:00Z',
    expected: ['2027-01-04T14:00:00.000Z', '2027-01-05T14:00:00.000Z'],
  },
  {
    name: 'all-day series with a UTC UNTIL compares local dates',
    rrule: 'FREQ=DAILY;UNTIL=20270106T030000Z',
    tz: 'America/New_York',
    anchor: '2027-01-01T05:00:00Z',
    allDay: true,
    after: '2027-01-03T05:00:00Z',
    expected: ['2027-01-04T05:00:00.000Z', '2027-01-05T05:00:00.000Z'],
  },
  {
    name: 'a rule whose filters never match again ends the series instead of throwing',
    rrule: 'FREQ=HOURLY;INTERVAL=24;BYHOUR=10',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    expected: [],
  },
  {
    name: 'due mode skips missed occurrences so the next is after now',
    rrule: 'FREQ=DAILY',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    now: '2027-01-10T12:00:00Z',
    expected: ['2027-01-11T09:00:00.000Z', '2027-01-12T09:00:00.000Z'],
  },
  {
    name: 'due mode: today’s occurrence still ahead of now is kept',
    rrule: 'FREQ=DAILY',
    tz: 'UTC',
    anchor: '2027-01-01T09:00:00Z',
    now: '2027-01-10T08:00:00Z',
    expected: ['2027-01-10T09:00:00.000Z'],
  },
  {
    name: 'completion mode: every! 3 days done Tue 18:00 with due time 09:00 → Fri 09:00',
    rrule: 'FREQ=DAILY;INTERVAL=3',
    tz: 'America/New_York',
    anchor: '2027-03-13T14:00:00Z',
    mode: 'completion',
    completedAt: '2027-03-16T22:00:00Z',
    now: '2027-03-16T22:00:00Z',
    expected: ['2027-03-19T13:00:00.000Z', '2027-03-22T13:00:00.000Z'],
  },
  {
    name: 'completion mode: done early in the day still counts from that date',
    rrule: 'FREQ=DAILY;INTERVAL=3',
    tz: 'America/New_York',
    anchor: '2027-03-13T14:00:00Z',
    mode: 'completion',
    completedAt: '2027-03-16T11:00:00Z',
    expected: ['2027-03-19T13:00:00.000Z'],
  },
  {
    name: 'completion mode: every! month done Feb 20 → Mar 20',
    rrule: 'FREQ=MONTHLY',
    tz: 'UTC',
    anchor: '2027-01-05T09:00:00Z',
    mode: 'completion',
    completedAt: '2027-02-20T15:00:00Z',
    expected: ['2027-03-20T09:00:00.000Z'],
  },
  {
    name: 'completion mode with fixed weekdays: the next Monday after the completion date',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    tz: 'UTC',
    anchor: '2027-01-04T09:00:00Z',
    mode: 'completion',
    completedAt: '2027-01-20T15:00:00Z',
    expected: ['2027-01-25T09:00:00.000Z'],
  },
  {
    name: 'completion mode HOURLY: INTERVAL hours after the completion minute',
    rrule: 'FREQ=HOURLY;INTERVAL=2',
    tz: 'UTC',
    anchor: '2027-01-04T09:00:00Z',
    mode: 'completion',
    completedAt: '2027-01-04T10:17:42Z',
    expected: ['2027-01-04T12:17:00.000Z'],
  },
  {
    name: 'yearly on Feb 29 → next leap year',
    rrule: 'FREQ=YEARLY',
    tz: 'UTC',
    anchor: '2028-02-29T09:00:00Z',
    expected: ['2032-02-29T09:00:00.000Z', '2036-02-29T09:00:00.000Z'],
  },
  {
    name: 'Berlin fall-back: 02:30 happens twice on 2027-10-31, the earlier (CEST) is taken',
    rrule: 'FREQ=DAILY',
    tz: 'Europe/Berlin',
    anchor: '2027-10-30T00:30:00Z',
    expected: ['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z'],
  },
  {
    name: 'New York spring-forward gap: 02:30 on 2027-03-14 moves forward to 03:30 EDT',
    rrule: 'FREQ=DAILY',
    tz: 'America/New_York',
    anchor: '2027-03-13T07:30:00Z',
    expected: ['2027-03-14T07:30:00.000Z', '2027-03-15T06:30:00.000Z'],
  },
  {
    name: 'Berlin spring-forward gap: 02:30 on 2027-03-28 moves forward to 03:30 CEST',
    rrule: 'FREQ=WEEKLY',
    tz: 'Europe/Berlin',
    anchor: '2027-03-21T01:30:00Z',
    expected: ['2027-03-28T01:30:00.000Z', '2027-04-04T00:30:00.000Z'],
  },
  {
    name: 'HOURLY INTERVAL=2 steps in wall-clock hours: 02:00 in the spring-forward gap becomes 03:00 EDT',
    rrule: 'FREQ=HOURLY;INTERVAL=2',
    tz: 'America/New_York',
    anchor: '2027-03-14T03:00:00Z',
    expected: ['2027-03-14T05:00:00.000Z', '2027-03-14T07:00:00.000Z', '2027-03-14T08:00:00.000Z'],
  },
  {
    name: 'HOURLY across spring-forward: 02:00 and 03:00 both land on 03:00 EDT, which happens once',
    rrule: 'FREQ=HOURLY',
    tz: 'America/New_York',
    anchor: '2027-03-14T06:00:00Z',
    expected: ['2027-03-14T07:00:00.000Z', '2027-03-14T08:00:00.000Z'],
  },
  {
    name: 'HOURLY across fall-back: the repeated 01:00 happens once (EDT)',
    rrule: 'FREQ=HOURLY',
    tz: 'America/New_York',
    anchor: '2027-11-07T04:00:00Z',
    expected: ['2027-11-07T05:00:00.000Z', '2027-11-07T07:00:00.000Z'],
  },
  {
    name: 'every 3 hours at 09, 12, 15 local keeps those hours in summer (anchored in winter)',
    rrule: 'FREQ=HOURLY;INTERVAL=3;BYHOUR=9,12,15',
    tz: 'America/New_York',
    anchor: '2027-01-04T14:00:00Z',
    after: '2027-07-05T19:00:00Z',
    expected: ['2027-07-06T13:00:00.000Z', '2027-07-06T16:00:00.000Z', '2027-07-06T19:00:00.000Z'],
  },
  {
    name: 'HOURLY with BYHOUR and BYDAY filters in local time',
    rrule: 'FREQ=HOURLY;BYHOUR=9,10;BYDAY=MO,TU,WE,TH,FR',
    tz: 'Europe/Berlin',
    anchor: '2027-01-08T08:00:00Z',
    expected: ['2027-01-08T09:00:00.000Z', '2027-01-11T08:00:00.000Z', '2027-01-11T09:00:00.000Z'],
  },
  {
    name: 'several BYHOUR times a day',
    rrule: 'FREQ=DAILY;BYHOUR=9,17',
    tz: 'UTC',
    anchor: '2027-01-04T09:00:00Z',
    expected: ['2027-01-04T17:00:00.000Z', '2027-01-05T09:00:00.000Z'],
  },
  {
    name: 'all-day daily, overdue: moves to today (not missed until the day is over)',
    rrule: 'FREQ=DAILY',
    tz: 'America/New_York',
    anchor: '2027-01-04T05:00:00Z',
    allDay: true,
    now: '2027-01-06T20:00:00Z',
    expected: ['2027-01-06T05:00:00.000Z', '2027-01-07T05:00:00.000Z'],
  },
  {
    name: 'all-day every! week done Wednesday → next Wednesday',
    rrule: 'FREQ=WEEKLY',
    tz: 'America/New_York',
    anchor: '2027-01-04T05:00:00Z',
    allDay: true,
    mode: 'completion',
    completedAt: '2027-01-06T23:00:00Z',
    expected: ['2027-01-13T05:00:00.000Z'],
  },
];

describe('nextOccurrence / previewOccurrences', () => {
  it.each(cases)('$name', (c) => {
    const request = input(c);
    expect(iso(nextOccurrence(request))).toBe(c.expected[0] ?? null);
    expect(previewOccurrences(request, c.expected.length).map(iso)).toEqual(c.expected);
    if (/COUNT|UNTIL/.test(c.rrule)) {
      // An ending series yields no more than it has, however many are asked for.
      expect(previewOccurrences(request, c.expected.length + 3).map(iso)).toEqual(c.expected);
    }
  });

  it('preview returns exactly n when the series goes on', () => {
    const request = input(cases[0]!);
    expect(previewOccurrences(request, 5)).toHaveLength(5);
    expect(previewOccurrences(request, 0)).toEqual([]);
  });

  it('COUNT is compared with the occurrence index, not with how many were skipped', () => {
    const base = input({
      name: '',
      rrule: 'FREQ=DAILY;COUNT=3',
      tz: 'UTC',
      anchor: '2027-01-01T09:00:00Z',
      now: '2027-02-01T00:00:00Z',
      expected: [],
    });
    expect(iso(nextOccurrence({ ...base, occurrenceIndex: 1 }))).toBe('2027-02-01T09:00:00.000Z');
    expect(nextOccurrence({ ...base, occurrenceIndex: 2 })).toBeNull();
  });

  it('rejects an unknown time zone, an hourly all-day series and bad arguments', () => {
    const base = input(cases[0]!);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof DomainError ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => nextOccurrence({ ...base, dtstart: { ...base.dtstart, tz: 'Mars/Olympus' } }))).toBe(
      'INVALID_TIME_ZONE',
    );
    expect(
      code(() =>
        nextOccurrence({ ...base, rrule: 'FREQ=HOURLY', dtstart: { ...base.dtstart, allDay: true } }),
      ),
    ).toBe('INVALID_RECURRENCE');
    expect(code(() => nextOccurrence({ ...base, rrule: 'FREQ=MINUTELY' }))).toBe('INVALID_RECURRENCE');
    expect(code(() => nextOccurrence({ ...base, occurrenceIndex: -1 }))).toBe('VALIDATION_FAILED');
    expect(code(() => nextOccurrence({ ...base, after: new Date(Number.NaN) }))).toBe('VALIDATION_FAILED');
    expect(code(() => previewOccurrences(base, 1001))).toBe('VALIDATION_FAILED');
  });
});
