import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import { describeRecurrence } from '../../src/recurrence/index.ts';

describe('describeRecurrence', () => {
  const cases: [string, { time?: string; tz?: string }, string][] = [
    ['FREQ=DAILY', { time: '09:00' }, 'every day at 09:00'],
    ['RRULE:FREQ=MONTHLY;BYDAY=2TU', { time: '09:00' }, 'every 2nd Tuesday at 09:00'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', {}, 'every 2 weeks on Tuesday'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', {}, 'every weekday'],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', {}, 'every weekday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR', {}, 'every 2 weeks on Monday and Friday'],
    ['FREQ=WEEKLY;BYDAY=MO,FR', {}, 'every Monday and Friday'],
    ['FREQ=WEEKLY;INTERVAL=3', {}, 'every 3 weeks'],
    ['FREQ=MONTHLY;BYDAY=-1FR', {}, 'every month on the last Friday'],
    ['FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU', { time: '18:30' }, 'every 2 months on the 2nd Tuesday at 18:30'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', {}, 'every month on the 31st'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', {}, 'every month on the last day'],
    ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1,15', {}, 'every 3 months on the 1st and 15th'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', {}, 'every month on the last workday'],
    ['FREQ=DAILY;INTERVAL=3;COUNT=5', {}, 'every 3 days, 5 times'],
    ['FREQ=DAILY;COUNT=1', {}, 'every day, once'],
    ['FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27;UNTIL=20280101', {}, 'every year on January 27 until 2028-01-01'],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', {}, 'every year on the 4th Thursday of November'],
    ['FREQ=YEARLY', {}, 'every year'],
    ['FREQ=HOURLY;INTERVAL=2', {}, 'every 2 hours'],
    ['FREQ=HOURLY', {}, 'every hour'],
    ['FREQ=DAILY;BYHOUR=9,17', { time: '09:00' }, 'every day at 09:00 and 17:00'],
    ['FREQ=DAILY;UNTIL=20280101T030000Z', { tz: 'America/New_York' }, 'every day until 2027-12-31'],
    ['FREQ=DAILY;UNTIL=20280101T030000Z', {}, 'every day until 2028-01-01'],
    ['FREQ=MONTHLY;BYDAY=-1FR,1MO', {}, 'every month on the 1st Monday and the last Friday'],
    ['FREQ=YEARLY;BYMONTHDAY=1', {}, 'every year on the 1st of each month'],
    ['FREQ=YEARLY;BYMONTH=3', { time: '08:45' }, 'every year in March at 08:45'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR', {}, 'every 2 weeks on weekdays'],
    ['FREQ=HOURLY;INTERVAL=3;BYHOUR=9,12,15', {}, 'every 3 hours at 09:00, 12:00 and 15:00'],
    ['FREQ=DAILY;BYMINUTE=30', { time: '08:45' }, 'every day at 08:30'],
  ];
  it.each(cases)('%s %o → %s', (rrule, options, text) => {
    expect(describeRecurrence(rrule, options)).toBe(text);
  });

  it('rejects a bad rule and a bad time', () => {
    expect(() => describeRecurrence('FREQ=MINUTELY')).toThrow(DomainError);
    expect(() => describeRecurrence('FREQ=DAILY', { time: '9am' })).toThrow(/HH:MM/);
  });
});
