import { describe, it } from 'vitest';
import { BERLIN_DST, BERLIN_WED, type Case, check, LEAP_DAY, LEAP_EVE, NY_DST, type Ref } from './helpers.ts';

function table(ref: Ref, cases: Case[]): void {
  describe(`recurrence @ ${ref.name}`, () => {
    it.each(cases)('%s', (input, exp) => check(ref, input, exp));
  });
}

const WEEKDAYS = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

// Wed 2027-01-20 15:30 Europe/Berlin.
table(BERLIN_WED, [
  ['Journal every day', { title: 'Journal', rrule: 'FREQ=DAILY', mode: 'due', due: '2027-01-20' }],
  ['Journal daily', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20' }],
  ['Journal ev day', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20' }],
  ['Journal every day at 9am', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-21 09:00' }],
  ['Journal every day at 9pm', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20 21:00' }],
  ['Journal daily at 18:00', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20 18:00' }],
  ['Journal at 9am every day', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-21 09:00' }],
  ['Journal every morning', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-21 09:00' }],
  ['Journal every afternoon', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-21 12:00' }],
  ['Journal every evening', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20 19:00' }],
  ['Journal every night', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20 22:00' }],
  ['Journal nightly', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-20 22:00' }],
  ['Standup every weekday', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-20' }],
  ['Standup every workday', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-20' }],
  ['Standup every work day', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-20' }],
  ['Standup every business day', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-20' }],
  ['Standup every weekday at 9:30', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-21 09:30' }],
  ['Standup weekdays at 9:30', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-21 09:30' }],
  ['Standup on weekdays', { title: 'Standup', rrule: WEEKDAYS, due: '2027-01-20' }],
  ['Hike every weekend', { title: 'Hike', rrule: 'FREQ=WEEKLY;BYDAY=SA', due: '2027-01-23' }],
  ['Hike on weekends', { title: 'Hike', rrule: 'FREQ=WEEKLY;BYDAY=SA', due: '2027-01-23' }],
  ['Review every week', { title: 'Review', rrule: 'FREQ=WEEKLY', due: '2027-01-20' }],
  ['Review weekly', { title: 'Review', rrule: 'FREQ=WEEKLY', due: '2027-01-20' }],
  ['Review biweekly', { title: 'Review', rrule: 'FREQ=WEEKLY;INTERVAL=2', due: '2027-01-20' }],
  ['Review fortnightly', { title: 'Review', rrule: 'FREQ=WEEKLY;INTERVAL=2', due: '2027-01-20' }],
  ['Invoice every month', { title: 'Invoice', rrule: 'FREQ=MONTHLY', due: '2027-01-20' }],
  ['Invoice monthly', { title: 'Invoice', rrule: 'FREQ=MONTHLY', due: '2027-01-20' }],
  ['Invoice every quarter', { title: 'Invoice', rrule: 'FREQ=MONTHLY;INTERVAL=3', due: '2027-01-20' }],
  ['Invoice quarterly', { title: 'Invoice', rrule: 'FREQ=MONTHLY;INTERVAL=3', due: '2027-01-20' }],
  ['Taxes every year', { title: 'Taxes', rrule: 'FREQ=YEARLY', due: '2027-01-20' }],
  ['Taxes yearly', { title: 'Taxes', rrule: 'FREQ=YEARLY', due: '2027-01-20' }],
  ['Taxes annually', { title: 'Taxes', rrule: 'FREQ=YEARLY', due: '2027-01-20' }],
  ['Stretch every hour', { title: 'Stretch', rrule: 'FREQ=HOURLY', due: '2027-01-20 15:30' }],
  ['Stretch hourly', { title: 'Stretch', rrule: 'FREQ=HOURLY', due: '2027-01-20 15:30' }],
  ['Meds every 12 hours', { title: 'Meds', rrule: 'FREQ=HOURLY;INTERVAL=12', due: '2027-01-20 15:30' }],
  [
    'Meds every 12 hours starting at 7pm',
    { title: 'Meds', rrule: 'FREQ=HOURLY;INTERVAL=12', due: '2027-01-20 19:00' },
  ],
  ['Water plants every 3 days', { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3', due: '2027-01-20' }],
  ['Water plants every three days', { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3' }],
  ['Water plants every 2 weeks', { title: 'Water plants', rrule: 'FREQ=WEEKLY;INTERVAL=2' }],
  ['Water plants every 6 months', { title: 'Water plants', rrule: 'FREQ=MONTHLY;INTERVAL=6' }],
  ['Water plants every 2 years', { title: 'Water plants', rrule: 'FREQ=YEARLY;INTERVAL=2' }],
  ['Water plants every 3d', { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3' }],
  [
    'Water plants every other day',
    { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=2', due: '2027-01-20' },
  ],
  ['Water plants every other week', { title: 'Water plants', rrule: 'FREQ=WEEKLY;INTERVAL=2' }],
  ['Water plants every other month', { title: 'Water plants', rrule: 'FREQ=MONTHLY;INTERVAL=2' }],
  ['Water plants every second week', { title: 'Water plants', rrule: 'FREQ=WEEKLY;INTERVAL=2' }],
  [
    'Water plants every other monday',
    { title: 'Water plants', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', due: '2027-01-25' },
  ],
  ['Gym every monday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  ['Gym every mon', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  ['Gym ev mon', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  ['Gym every monday at 9am', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25 09:00' }],
  ['Gym every wednesday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=WE', due: '2027-01-20' }],
  ['Gym every wednesday at 9am', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=WE', due: '2027-01-27 09:00' }],
  ['Gym every wednesday at 5pm', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=WE', due: '2027-01-20 17:00' }],
  ['Gym every mon, wed and fri', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', due: '2027-01-20' }],
  ['Gym every monday, friday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR', due: '2027-01-22' }],
  ['Gym every mon,fri', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR', due: '2027-01-22' }],
  ['Gym every tue & thu at 7am', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH', due: '2027-01-21 07:00' }],
  ['Gym every tuesday and thursday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH', due: '2027-01-21' }],
  ['Gym on mondays', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  ['Gym each monday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  ['Gym every week on monday', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25' }],
  [
    'Gym every 2 weeks on tuesday',
    { title: 'Gym', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', due: '2027-01-26' },
  ],
  [
    'Board meeting every 3rd friday',
    { title: 'Board meeting', rrule: 'FREQ=MONTHLY;BYDAY=3FR', due: '2027-02-19' },
  ],
  [
    'Board meeting every first monday',
    { title: 'Board meeting', rrule: 'FREQ=MONTHLY;BYDAY=1MO', due: '2027-02-01' },
  ],
  [
    'Board meeting every 4th thursday',
    { title: 'Board meeting', rrule: 'FREQ=MONTHLY;BYDAY=4TH', due: '2027-01-28' },
  ],
  [
    'Board meeting every last friday',
    { title: 'Board meeting', rrule: 'FREQ=MONTHLY;BYDAY=-1FR', due: '2027-01-29' },
  ],
  [
    'Board meeting every month on the last friday',
    { title: 'Board meeting', rrule: 'FREQ=MONTHLY;BYDAY=-1FR', due: '2027-01-29' },
  ],
  ['Pay rent every last day', { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2027-01-31' }],
  ['Pay rent every 27th', { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=27', due: '2027-01-27' }],
  ['Pay rent every 27', { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=27', due: '2027-01-27' }],
  ['Pay rent every 1st', { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', due: '2027-02-01' }],
  [
    'Pay rent every month on the 15th',
    { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15', due: '2027-02-15' },
  ],
  [
    'Pay rent every 1st and 15th',
    { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15', due: '2027-02-01' },
  ],
  [
    'Pay rent every 15th and last day',
    { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15,-1', due: '2027-01-31' },
  ],
  ['Pay rent every 31st', { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', due: '2027-01-31' }],
  [
    'Timesheet every 15th and last workday',
    { title: 'Timesheet', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=15,-1', due: '2027-01-21' },
  ],
  [
    'Timesheet every 15th workday, last workday',
    { title: 'Timesheet', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=15,-1', due: '2027-01-21' },
  ],
  [
    'Timesheet every last workday',
    { title: 'Timesheet', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', due: '2027-01-29' },
  ],
  [
    'Timesheet every first workday',
    { title: 'Timesheet', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1', due: '2027-02-01' },
  ],
  [
    'Birthday every jan 27',
    { title: 'Birthday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27', due: '2027-01-27' },
  ],
  [
    'Birthday every january 27th',
    { title: 'Birthday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27', due: '2027-01-27' },
  ],
  [
    'Birthday every 27 jan',
    { title: 'Birthday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27', due: '2027-01-27' },
  ],
  [
    'Birthday every 10th of january',
    { title: 'Birthday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=10', due: '2028-01-10' },
  ],
  [
    'Birthday every jan 10',
    { title: 'Birthday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=10', due: '2028-01-10' },
  ],
  [
    'Water plants every! 3 days',
    { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' },
  ],
  ['Water plants ev! 3 days', { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' }],
  ['Haircut every! 4 weeks', { title: 'Haircut', rrule: 'FREQ=WEEKLY;INTERVAL=4', mode: 'completion' }],
  ['Haircut after 3 weeks', { title: 'Haircut', rrule: 'FREQ=WEEKLY;INTERVAL=3', mode: 'completion' }],
  [
    'Water plants after 3 days',
    { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' },
  ],
  ['Journal every day starting feb 1', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-02-01' }],
  ['Journal every day starting tomorrow', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-21' }],
  ['Journal every day from next monday', { title: 'Journal', rrule: 'FREQ=DAILY', due: '2027-01-25' }],
  ['Gym every monday starting feb 3', { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-02-08' }],
  ['Journal every day until jan 31', { title: 'Journal', rrule: 'FREQ=DAILY;UNTIL=20270131T225959Z' }],
  ['Journal every day ending jan 31', { title: 'Journal', rrule: 'FREQ=DAILY;UNTIL=20270131T225959Z' }],
  ['Journal every day till 2027-06-30', { title: 'Journal', rrule: 'FREQ=DAILY;UNTIL=20270630T215959Z' }],
  [
    'Journal every day starting feb 1 until feb 28',
    { title: 'Journal', rrule: 'FREQ=DAILY;UNTIL=20270228T225959Z', due: '2027-02-01' },
  ],
  [
    'Gym every monday for 3 weeks',
    { title: 'Gym', rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20270214T225959Z', due: '2027-01-25' },
  ],
  ['Journal every day for 10 days', { title: 'Journal', rrule: 'FREQ=DAILY;UNTIL=20270129T225959Z' }],
  ['Journal every day 5 times', { title: 'Journal', rrule: 'FREQ=DAILY;COUNT=5' }],
  ['Journal every day for 5 times', { title: 'Journal', rrule: 'FREQ=DAILY;COUNT=5' }],
  ['Journal every week 10 times', { title: 'Journal', rrule: 'FREQ=WEEKLY;COUNT=10' }],
  [
    'Journal every monday at 8am for 4 weeks',
    { title: 'Journal', rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20270221T225959Z', due: '2027-01-25 08:00' },
  ],
  [
    'Review every month on the 1st at 10am',
    { title: 'Review', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', due: '2027-02-01 10:00' },
  ],
  [
    'Take vitamins daily p2 #health',
    { title: 'Take vitamins', rrule: 'FREQ=DAILY', priority: 'high', tags: ['health'] },
  ],
  [
    'every monday at 9am Standup',
    { title: 'Standup', rrule: 'FREQ=WEEKLY;BYDAY=MO', due: '2027-01-25 09:00' },
  ],
  ['Daily standup', { title: 'Daily standup', rrule: null, due: null }],
  ['Weekly review', { title: 'Weekly review', rrule: null, due: null }],
  ['Create monthly report', { title: 'Create monthly report', rrule: null }],
  ['Write the weekly newsletter', { title: 'Write the weekly newsletter', rrule: null }],
]);

// New York DST week: the series keeps 9am local time; UNTIL is the end of the day in EDT (UTC-4).
table(NY_DST, [
  ['Walk dog every day at 9am', { title: 'Walk dog', rrule: 'FREQ=DAILY', due: '2027-03-13 09:00' }],
  [
    'Walk dog every day at 9am until march 20',
    { title: 'Walk dog', rrule: 'FREQ=DAILY;UNTIL=20270321T035959Z' },
  ],
  ['Walk dog every day until march 13', { title: 'Walk dog', rrule: 'FREQ=DAILY;UNTIL=20270314T045959Z' }],
  [
    'Walk dog every sunday at 2:30am',
    { title: 'Walk dog', rrule: 'FREQ=WEEKLY;BYDAY=SU', due: '2027-03-14 02:30' },
  ],
  ['Walk dog every weekday at 7am', { title: 'Walk dog', rrule: WEEKDAYS, due: '2027-03-15 07:00' }],
  ['Walk dog every weekend', { title: 'Walk dog', rrule: 'FREQ=WEEKLY;BYDAY=SA', due: '2027-03-13' }],
]);

// Berlin DST week.
table(BERLIN_DST, [
  ['Yoga every day until march 31', { title: 'Yoga', rrule: 'FREQ=DAILY;UNTIL=20270331T215959Z' }],
  ['Yoga every day until march 27', { title: 'Yoga', rrule: 'FREQ=DAILY;UNTIL=20270327T225959Z' }],
  ['Yoga every sunday at 8am', { title: 'Yoga', rrule: 'FREQ=WEEKLY;BYDAY=SU', due: '2027-03-28 08:00' }],
  ['Yoga every last sunday', { title: 'Yoga', rrule: 'FREQ=MONTHLY;BYDAY=-1SU', due: '2027-03-28' }],
  ['Yoga every day for 1 week', { title: 'Yoga', rrule: 'FREQ=DAILY;UNTIL=20270402T215959Z' }],
]);

// Leap day.
table(LEAP_EVE, [
  [
    'Leap check every feb 29',
    { title: 'Leap check', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', due: '2028-02-29' },
  ],
  [
    'Leap check every last day',
    { title: 'Leap check', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2028-02-29' },
  ],
  ['Leap check every 29th', { title: 'Leap check', rrule: 'FREQ=MONTHLY;BYMONTHDAY=29', due: '2028-02-29' }],
  ['Leap check every 30th', { title: 'Leap check', rrule: 'FREQ=MONTHLY;BYMONTHDAY=30', due: '2028-03-30' }],
  [
    'Leap check every last workday',
    { title: 'Leap check', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', due: '2028-02-29' },
  ],
]);
table(LEAP_DAY, [
  ['Leap check every year', { title: 'Leap check', rrule: 'FREQ=YEARLY', due: '2028-02-29' }],
  [
    'Leap check every feb 29',
    { title: 'Leap check', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', due: '2028-02-29' },
  ],
  [
    'Leap check every feb 28',
    { title: 'Leap check', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28', due: '2029-02-28' },
  ],
]);
