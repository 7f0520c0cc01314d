import { describe, expect, it } from 'vitest';
import { parseQuickAdd } from '../../src/quick-add/index.ts';
import { BERLIN_DST, BERLIN_WED, type Case, check, LEAP_EVE, NY_DST, type Ref } from './helpers.ts';

/** Issue 13's classes away from the corpus' reference day: DST weeks, a leap month, other zones. */
function table(ref: Ref, cases: Case[]): void {
  describe(`issue 13 breadth @ ${ref.name}`, () => {
    it.each(cases)('%s', (input, exp) => check(ref, input, exp));
  });
}

const WD = 'MO,TU,WE,TH,FR';

// Fri 2027-03-12 10:00 New York; clocks go forward on Sunday.
table(NY_DST, [
  ['Standup mon-fri at 9', { title: 'Standup', due: '2027-03-15 09:00', rrule: `FREQ=WEEKLY;BYDAY=${WD}` }],
  [
    'Water plants every day except sunday at 8am',
    { title: 'Water plants', due: '2027-03-13 08:00', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA' },
  ],
  // UNTIL is the end of the last day in New York, after the clocks changed (EDT, UTC-4).
  [
    'Gym every day for the next 2 weeks',
    { title: 'Gym', due: '2027-03-12', rrule: 'FREQ=DAILY;UNTIL=20270326T035959Z' },
  ],
  ['Call mom at 5', { title: 'Call mom', due: '2027-03-12 17:00' }],
  ['Dentist in 1 day 2 hours', { title: 'Dentist', due: '2027-03-13 12:00' }],
  ['Check the roast in 2.5 hours', { title: 'Check the roast', due: '2027-03-12 12:30' }],
  [
    'Board meeting second and fourth tuesday of each month at 6',
    { title: 'Board meeting', due: '2027-03-23 18:00', rrule: 'FREQ=MONTHLY;BYDAY=2TU,4TU' },
  ],
  [
    'Pay rent the last workday of every month',
    { title: 'Pay rent', due: '2027-03-31', rrule: `FREQ=MONTHLY;BYDAY=${WD};BYSETPOS=-1` },
  ],
  [
    'Taxes every year on the 15th of april',
    { title: 'Taxes', due: '2027-04-15', rrule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15' },
  ],
  [
    'Review the last friday of every quarter',
    { title: 'Review', due: '2027-03-26', rrule: 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=-1FR' },
  ],
]);

// Mon 2028-02-28 10:00 UTC, the day before a leap day.
table(LEAP_EVE, [
  [
    'Backup on the 2nd to last day of every month',
    { title: 'Backup', due: '2028-02-28', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-2' },
  ],
  [
    'Report every year on the last monday',
    { title: 'Report', due: '2028-12-25', rrule: 'FREQ=YEARLY;BYDAY=-1MO' },
  ],
  [
    'Leap party every 29th of february',
    { title: 'Leap party', due: '2028-02-29', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' },
  ],
  ['Invoice 01.03.', { title: 'Invoice', due: '2028-03-01' }],
]);

// Sat 2027-03-27 12:00 Berlin; clocks go forward tonight.
table(BERLIN_DST, [
  ['Run sundays at 2:30', { title: 'Run', due: '2027-03-28 14:30', rrule: 'FREQ=WEEKLY;BYDAY=SU' }],
  ['Run sundays at 02:30', { title: 'Run', due: '2027-03-28 02:30', rrule: 'FREQ=WEEKLY;BYDAY=SU' }],
  ['Brunch tomorow at 11', { title: 'Brunch', due: '2027-03-28 11:00' }],
  ['Finish the report this week', { title: 'Finish the report', due: '2027-03-28' }],
]);

// Wed 2027-01-20 15:30 Berlin.
table(BERLIN_WED, [
  // several times a day on the same minute: BYHOUR, starting with the next one today
  [
    'Meds every day at 9am and 5pm',
    { title: 'Meds', due: '2027-01-20 17:00', rrule: 'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0' },
  ],
  [
    'Feed the cat every day at 8, 12 and 6',
    { title: 'Feed the cat', due: '2027-01-20 18:00', rrule: 'FREQ=DAILY;BYHOUR=8,12,18;BYMINUTE=0' },
  ],
  // a daily or weekly rule inside a period runs within it
  [
    'Stretch every day this week',
    { title: 'Stretch', due: '2027-01-20', rrule: 'FREQ=DAILY;UNTIL=20270124T225959Z' },
  ],
  [
    'Standup every weekday next month at 8',
    { title: 'Standup', due: '2027-02-01 08:00', rrule: `FREQ=WEEKLY;BYDAY=${WD};UNTIL=20270228T225959Z` },
  ],
  [
    'Market every saturday in june',
    { title: 'Market', due: '2027-06-05', rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20270630T215959Z' },
  ],
  ['Backup repeats monthly', { title: 'Backup', due: '2027-01-20', rrule: 'FREQ=MONTHLY' }],
  ['Gym every mon wed fri', { title: 'Gym', due: '2027-01-20', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' }],
  ['Read every evening at 8', { title: 'Read', due: '2027-01-20 20:00', rrule: 'FREQ=DAILY' }],
  ['Run every morning at 7', { title: 'Run', due: '2027-01-21 07:00', rrule: 'FREQ=DAILY' }],
  ['Water every other morning', { title: 'Water', due: '2027-01-22 09:00', rrule: 'FREQ=DAILY;INTERVAL=2' }],
  ['Clean every fortnight', { title: 'Clean', due: '2027-01-20', rrule: 'FREQ=WEEKLY;INTERVAL=2' }],
  [
    'Swim every friday ending in june',
    { title: 'Swim', due: '2027-01-22', rrule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20270630T215959Z' },
  ],
  [
    'Walk every day from monday to friday',
    { title: 'Walk', due: '2027-01-25', rrule: 'FREQ=DAILY;UNTIL=20270129T225959Z' },
  ],
  [
    'Workout mon, wed, fri mornings',
    { title: 'Workout', due: '2027-01-22 09:00', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' },
  ],
  ['Yoga tuesday evenings', { title: 'Yoga', due: '2027-01-26 19:00', rrule: 'FREQ=WEEKLY;BYDAY=TU' }],
  [
    'Email triage weekday mornings at 8',
    { title: 'Email triage', due: '2027-01-21 08:00', rrule: `FREQ=WEEKLY;BYDAY=${WD}` },
  ],
  ['Call mom - tomorrow at 5', { title: 'Call mom', due: '2027-01-21 17:00' }],
  ['Town hall 2nd friday of next month', { title: 'Town hall', due: '2027-02-12' }],
  ['Reply within the next 3 days', { title: 'Reply', due: '2027-01-23' }],
  ['Check the oven in the next hour', { title: 'Check the oven', due: '2027-01-20 16:30' }],
  ['Ping Bo in a couple hours', { title: 'Ping Bo', due: '2027-01-20 17:30' }],
  ['Invoice friday close of business', { title: 'Invoice', due: '2027-01-22' }],
  ['Mon next week standup notes', { title: 'standup notes', due: '2027-01-25' }],
  ['Deploy 2027-08-10T17:00', { title: 'Deploy', due: '2027-08-10 17:00' }],
  ['Audit 10-Aug-2027', { title: 'Audit', due: '2027-08-10' }],
  ['Trip aug 10-12', { title: 'Trip', due: '2027-08-10' }],
  ['Office hours between 3 and 5pm tomorrow', { title: 'Office hours', due: '2027-01-21 15:00' }],
  ['Workshop friday from 3pm to 5pm', { title: 'Workshop', due: '2027-01-22 15:00' }],
  ["Call 5 o'clock pm", { title: 'Call', due: '2027-01-20 17:00' }],
  ['Réunion tomorrow 17h30', { title: 'Réunion', due: '2027-01-21 17:30' }],
  ['Finish the slides until friday', { title: 'Finish the slides', due: '2027-01-22' }],
  // a start already past continues at the series' next occurrence
  [
    'Service every 3 months starting jan 5 ending dec 5',
    { title: 'Service', due: '2027-04-05', rrule: 'FREQ=MONTHLY;INTERVAL=3;UNTIL=20271205T225959Z' },
  ],
  [
    'Payday every 2 weeks starting jan 6 2027',
    { title: 'Payday', due: '2027-01-20', rrule: 'FREQ=WEEKLY;INTERVAL=2' },
  ],
  ['Rent every month starting 2026-10-31', { title: 'Rent', due: '2027-01-31', rrule: 'FREQ=MONTHLY' }],
  // more ways to say a day or a time
  ['Concert Sat Aug 28 2027', { title: 'Concert', due: '2027-08-28' }],
  ['Send the deck by EOD friday', { title: 'Send the deck', due: '2027-01-22' }],
  ['Call the bank first thing tomorrow', { title: 'Call the bank', due: '2027-01-21 09:00' }],
  ['Pitch the following monday', { title: 'Pitch', due: '2027-01-25' }],
  ['School run at half past eight', { title: 'School run', due: '2027-01-21 08:30' }],
  ['Tea at quarter to 5', { title: 'Tea', due: '2027-01-20 16:45' }],
  ['Fix the heater later today', { title: 'Fix the heater', due: '2027-01-20' }],
  ["Visit Rome in 3 weeks' time", { title: 'Visit Rome', due: '2027-02-10' }],
  ['Pay the deposit the 1st of next month', { title: 'Pay the deposit', due: '2027-02-01' }],
  ['Review recurring every friday', { title: 'Review', due: '2027-01-22', rrule: 'FREQ=WEEKLY;BYDAY=FR' }],
]);

// The issue's own examples (the corpus uses other words), with a task around them.
table(BERLIN_WED, [
  ['Water plants fridays', { title: 'Water plants', due: '2027-01-22', rrule: 'FREQ=WEEKLY;BYDAY=FR' }],
  [
    'Gym sundays through wednesdays',
    { title: 'Gym', due: '2027-01-20', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,SU' },
  ],
  [
    'Filter once a month on the 15th',
    { title: 'Filter', due: '2027-02-15', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15' },
  ],
  [
    'Payroll every week on the 2nd day',
    { title: 'Payroll', due: '2027-01-26', rrule: 'FREQ=WEEKLY;BYDAY=TU' },
  ],
  [
    'Clean every 3rd week on weekdays',
    { title: 'Clean', due: '2027-01-20', rrule: `FREQ=WEEKLY;INTERVAL=3;BYDAY=${WD}` },
  ],
  [
    'Orchids the 12th of every other month',
    { title: 'Orchids', due: '2027-02-12', rrule: 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=12' },
  ],
  ['Club monthly on mondays', { title: 'Club', due: '2027-01-25', rrule: 'FREQ=WEEKLY;BYDAY=MO' }],
  [
    'Recycling third to last monday',
    { title: 'Recycling', due: '2027-02-08', rrule: 'FREQ=MONTHLY;BYDAY=-3MO' },
  ],
  ['Call 1st and last sunday', { title: 'Call', due: '2027-01-31', rrule: 'FREQ=MONTHLY;BYDAY=1SU,-1SU' }],
  [
    'Market the 2nd and the last occurrence of wed and sat',
    { title: 'Market', due: '2027-01-30', rrule: 'FREQ=MONTHLY;BYDAY=WE,SA;BYSETPOS=2,-1' },
  ],
  ["Savings at month's end", { title: 'Savings', due: '2027-01-31', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1' }],
  [
    'Timesheet 3rd to last day of the month',
    { title: 'Timesheet', due: '2027-01-29', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-3' },
  ],
  [
    'Tax every mar 3 and 17',
    { title: 'Tax', due: '2027-03-03', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3,17' },
  ],
  [
    'Review every year on the last monday',
    { title: 'Review', due: '2027-12-27', rrule: 'FREQ=YEARLY;BYDAY=-1MO' },
  ],
  ['Drops daily 4x', { title: 'Drops', due: '2027-01-20', rrule: 'FREQ=DAILY;COUNT=4' }],
  ['Drops daily three times', { title: 'Drops', due: '2027-01-20', rrule: 'FREQ=DAILY;COUNT=3' }],
  [
    'Radiators weekly from october until april',
    { title: 'Radiators', due: '2027-10-01', rrule: 'FREQ=WEEKLY;UNTIL=20280430T215959Z' },
  ],
  [
    'Plants weekly except in august and december',
    { title: 'Plants', due: '2027-01-20', rrule: 'FREQ=WEEKLY;BYMONTH=1,2,3,4,5,6,7,9,10,11' },
  ],
  ['Gutters biannually', { title: 'Gutters', due: '2027-01-20', rrule: 'FREQ=MONTHLY;INTERVAL=6' }],
  ['Wed', { title: '', due: '2027-01-20' }],
  ['Rent 03.04', { title: 'Rent', due: '2027-04-03' }],
  ['Expo Oct. 2027', { title: 'Expo', due: '2027-10-01' }],
  ['Tax filing 2027 Sep', { title: 'Tax filing', due: '2027-09-01' }],
  ['Report last thu in jan 2029', { title: 'Report', due: '2029-01-25' }],
  ['Workshop 2nd Wed in Oct at 11', { title: 'Workshop', due: '2027-10-13 11:00' }],
  ['Call back in 2d 4h 10min', { title: 'Call back', due: '2027-01-22 19:40' }],
  ['Pizza 20 min out', { title: 'Pizza', due: '2027-01-20 15:50' }],
  ["Dentist 11 o'clock", { title: 'Dentist', due: '2027-01-21 11:00' }],
  ['Trip septmber 3', { title: 'Trip', due: '2027-09-03' }],
  ['Bank tommorow', { title: 'Bank', due: '2027-01-21' }],
]);

describe('phrases the product cannot represent stay whole, with a warning', () => {
  const opts = { now: BERLIN_WED.now, timeZone: BERLIN_WED.tz };
  it.each([
    'Jog thrice weekly',
    'Take 2 pills twice daily',
    'Water plants three times a week',
    'Check the sump pump monthly except in summer',
    'Run 5k every other day except sunday',
    'Stretch every 15 minutes',
    'Pills every day at 9am and 5:30pm',
    'Call grandpa semiweekly',
  ])('%s', (text) => {
    const r = parseQuickAdd(text, opts);
    expect(r).toMatchObject({ title: text, spans: [] });
    expect(r.recurrence).toBeUndefined();
    expect(r.due).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
  });

  it('a warning does not stop the rest of the line: the due date and tags still count', () => {
    const r = parseQuickAdd('Stretch twice daily tomorrow #health', opts);
    expect(r.title).toBe('Stretch twice daily');
    expect(r.due?.date).toBe('2027-01-21');
    expect(r.tags).toEqual(['health']);
    expect(r.warnings?.[0]).toContain('twice daily');
  });
});
