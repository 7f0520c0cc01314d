import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import { formatRecurrence, parseRecurrence } from '../../src/recurrence/index.ts';

describe('parseRecurrence accepts', () => {
  const accepted: [string, string][] = [
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['RRULE:FREQ=DAILY;INTERVAL=1', 'FREQ=DAILY'],
    ['rrule:freq=weekly;byday=fr,mo;', 'FREQ=WEEKLY;BYDAY=MO,FR'],
    ['FREQ=MONTHLY;BYDAY=1MO,-1FR', 'FREQ=MONTHLY;BYDAY=-1FR,1MO'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
    ['FREQ=HOURLY;INTERVAL=2', 'FREQ=HOURLY;INTERVAL=2'],
    ['FREQ=HOURLY;INTERVAL=1;BYMINUTE=15', 'FREQ=HOURLY;BYMINUTE=15'],
    ['FREQ=DAILY;BYHOUR=17,9;BYMINUTE=30', 'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=30'],
    ['FREQ=DAILY;COUNT=3', 'FREQ=DAILY;COUNT=3'],
    ['FREQ=DAILY;UNTIL=20280101', 'FREQ=DAILY;UNTIL=20280101'],
    ['FREQ=DAILY;UNTIL=20280101T120000Z', 'FREQ=DAILY;UNTIL=20280101T120000Z'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU'],
  ];
  it.each(accepted)('%s → %s', (input, canonical) => {
    expect(formatRecurrence(parseRecurrence(input))).toBe(canonical);
  });

  it('returns the parts', () => {
    const rule = parseRecurrence('FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;UNTIL=20280101T000000Z');
    expect(rule).toMatchObject({
      freq: 'MONTHLY',
      interval: 2,
      byDay: [{ weekday: 'TU', ordinal: 2 }],
      until: { kind: 'utc', instant: new Date('2028-01-01T00:00:00Z') },
    });
  });
});

describe('parseRecurrence rejects', () => {
  const rejected: [string, string, RegExp][] = [
    ['FREQ=MINUTELY', 'FREQ', /at most hourly/],
    ['FREQ=SECONDLY', 'FREQ', /at most hourly/],
    ['FREQ=DAILY;BYMINUTE=0,30', 'BYMINUTE', /more often than hourly/],
    ['FREQ=HOURLY;BYSECOND=0,30', 'BYSECOND', /more often than hourly/],
    ['garbage', 'garbage', /NAME=VALUE/],
    ['', 'FREQ', /empty/],
    ['FREQ=', 'FREQ=', /NAME=VALUE/],
    ['INTERVAL=2', 'FREQ', /FREQ is required/],
    ['FREQ=FORTNIGHTLY', 'FREQ', /FREQ must be one of/],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL', /INTERVAL must be in 1\.\.1000/],
    ['FREQ=DAILY;INTERVAL=-1', 'INTERVAL', /INTERVAL/],
    ['FREQ=DAILY;INTERVAL=two', 'INTERVAL', /must be an integer/],
    ['FREQ=DAILY;COUNT=0', 'COUNT', /COUNT/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20280101T000000Z', 'COUNT', /COUNT and UNTIL/],
    ['FREQ=DAILY;UNTIL=2028-01-01', 'UNTIL', /UNTIL must be/],
    ['FREQ=DAILY;UNTIL=20270230', 'UNTIL', /not a real date/],
    ['FREQ=DAILY;BYDAY=XX', 'BYDAY', /BYDAY entry "XX"/],
    ['FREQ=DAILY;BYDAY=1MO', 'BYDAY', /only allowed with FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY ordinal', /BYDAY ordinal/],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY', /not allowed with FREQ=WEEKLY/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY', /BYMONTHDAY/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY', /BYMONTHDAY/],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH', /BYMONTH/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'BYMONTHDAY', /never meet/],
    ['FREQ=MONTHLY;BYSETPOS=-1', 'BYSETPOS', /another BY part/],
    ['FREQ=HOURLY;BYDAY=MO;BYSETPOS=1', 'BYSETPOS', /HOURLY/],
    ['FREQ=DAILY;BYHOUR=24', 'BYHOUR', /0\.\.23/],
    ['FREQ=DAILY;BYMONTH=1,,2', 'BYMONTH', /empty list entry/],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ', /more than once/],
    ['FREQ=DAILY;FOO=1', 'FOO', /Unknown rule part/],
    ['FREQ=YEARLY;BYWEEKNO=1', 'BYWEEKNO', /not supported/],
    ['FREQ=DAILY;WKST=XX', 'WKST', /WKST/],
    ['DTSTART:20270101T090000Z\nRRULE:FREQ=DAILY', 'DTSTART', /DTSTART/],
    ['FREQ=DAILY;;COUNT=2', '', /NAME=VALUE/],
  ];
  it.each(rejected)('%s (part %s)', (input, part, message) => {
    let caught: unknown;
    try {
      parseRecurrence(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code).toBe('INVALID_RECURRENCE');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ part });
  });
});
