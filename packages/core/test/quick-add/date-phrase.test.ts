import { describe, expect, it } from 'vitest';
import { parseDatePhrase } from '../../src/quick-add/index.ts';
import { BERLIN_WED, LEAP_EVE } from './helpers.ts';

const opts = { now: BERLIN_WED.now, timeZone: BERLIN_WED.tz };

describe('parseDatePhrase (Wed 2027-01-20 15:30 Berlin)', () => {
  const cases: [string, { date: string; time?: string } | null][] = [
    ['today', { date: '2027-01-20' }],
    ['tomorrow', { date: '2027-01-21' }],
    ['yesterday', { date: '2027-01-19' }],
    ['now', { date: '2027-01-20', time: '15:30' }],
    ['next friday', { date: '2027-01-29' }],
    ['next friday 5pm', { date: '2027-01-29', time: '17:00' }],
    ['next friday at 5pm', { date: '2027-01-29', time: '17:00' }],
    ['friday', { date: '2027-01-22' }],
    ['last friday', { date: '2027-01-15' }],
    ['jan 27', { date: '2027-01-27' }],
    ['27 jan 2028', { date: '2028-01-27' }],
    ['2027-01-27', { date: '2027-01-27' }],
    ['20270127', { date: '2027-01-27' }],
    ['27/1', { date: '2027-01-27' }],
    ['-7 days', { date: '2027-01-13' }],
    ['-7d', { date: '2027-01-13' }],
    ['+7d', { date: '2027-01-27' }],
    ['7 days ago', { date: '2027-01-13' }],
    ['in 7 days', { date: '2027-01-27' }],
    ['3 weeks', { date: '2027-02-10' }],
    ['in 2 hours', { date: '2027-01-20', time: '17:30' }],
    ['5pm', { date: '2027-01-20', time: '17:00' }],
    ['9am', { date: '2027-01-20', time: '09:00' }],
    ['5pm tomorrow', { date: '2027-01-21', time: '17:00' }],
    ['tomorrow morning', { date: '2027-01-21', time: '09:00' }],
    ['january', { date: '2028-01-01' }],
    ['march', { date: '2027-03-01' }],
    ['end of month', { date: '2027-01-31' }],
    ['eom', { date: '2027-01-31' }],
    ['next week', { date: '2027-01-27' }],
    ['this weekend', { date: '2027-01-23' }],
    ['weekend', { date: '2027-01-23' }],
    ['mid january', { date: '2028-01-15' }],
    ['on friday', { date: '2027-01-22' }],
    ['  Tomorrow  ', { date: '2027-01-21' }],
    ['', null],
    ['banana', null],
    ['tomorrow banana', null],
    ['call mom tomorrow', null],
    ['5 apples', null],
    ['2027-02-30', null],
  ];
  it.each(cases)('%s', (text, exp) => {
    expect(parseDatePhrase(text, opts)).toEqual(exp);
  });

  it('handles the leap day', () => {
    expect(parseDatePhrase('tomorrow', { now: LEAP_EVE.now, timeZone: LEAP_EVE.tz })).toEqual({
      date: '2028-02-29',
    });
    expect(parseDatePhrase('-1 year', { now: LEAP_EVE.now, timeZone: LEAP_EVE.tz })).toEqual({
      date: '2027-02-28',
    });
  });

  it('never throws on odd input', () => {
    expect(parseDatePhrase('"', opts)).toBeNull();
    expect(parseDatePhrase('x'.repeat(10_000), opts)).toBeNull();
    expect(parseDatePhrase('today', { now: new Date(Number.NaN), timeZone: 'nope' })).toEqual({
      date: '1970-01-01',
    });
  });
});
