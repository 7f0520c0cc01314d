import { describe, it } from 'vitest';
import { BERLIN_WED, type Case, check } from './helpers.ts';

/**
 * Documented behaviour of other tools (facts, not their code): Todoist quick add, Vikunja quick-add magic,
 * Taskwarrior named dates and attributes, Super Productivity short syntax, chrono's casual English.
 * Reference: Wed 2027-01-20 15:30 Europe/Berlin.
 */
const run = (name: string, cases: Case[]): void => {
  describe(name, () => {
    it.each(cases)('%s', (input, exp) => check(BERLIN_WED, input, exp));
  });
};

run('Todoist-style quick add', [
  [
    'Buy milk tomorrow p1 #Errands @store',
    { title: 'Buy milk', due: '2027-01-21', priority: 'urgent', tags: ['errands', 'store'] },
  ],
  [
    'Call Alex every other monday',
    { title: 'Call Alex', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', due: '2027-01-25' },
  ],
  ['Backup ev weekday', { title: 'Backup', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }],
  ['Backup ev mon, fri', { title: 'Backup', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR', due: '2027-01-22' }],
  [
    'Meds every 12 hours starting at 7pm',
    { title: 'Meds', rrule: 'FREQ=HOURLY;INTERVAL=12', due: '2027-01-20 19:00' },
  ],
  ['Report every 2nd monday', { title: 'Report', rrule: 'FREQ=MONTHLY;BYDAY=2MO', due: '2027-02-08' }],
  [
    'Report every 14 days starting tomorrow',
    { title: 'Report', rrule: 'FREQ=DAILY;INTERVAL=14', due: '2027-01-21' },
  ],
  ['Report every day starting aug 3', { title: 'Report', rrule: 'FREQ=DAILY', due: '2027-08-03' }],
  ['Report every day until aug 3', { title: 'Report', rrule: 'FREQ=DAILY;UNTIL=20270803T215959Z' }],
  [
    'Report every monday, friday at 20:00',
    { title: 'Report', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR', due: '2027-01-22 20:00' },
  ],
  [
    'Report every 3 months starting feb 1',
    { title: 'Report', rrule: 'FREQ=MONTHLY;INTERVAL=3', due: '2027-02-01' },
  ],
  ['Clean every! 2 weeks', { title: 'Clean', rrule: 'FREQ=WEEKLY;INTERVAL=2', mode: 'completion' }],
  ['Shave every! day', { title: 'Shave', rrule: 'FREQ=DAILY', mode: 'completion' }],
  ['Pay every first workday', { title: 'Pay', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1' }],
  [
    'Bills every month on the 27th',
    { title: 'Bills', rrule: 'FREQ=MONTHLY;BYMONTHDAY=27', due: '2027-01-27' },
  ],
  ['Mom bday every jan 27th', { title: 'Mom bday', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27' }],
  [
    'Standup every weekday at 9:15am',
    { title: 'Standup', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due: '2027-01-21 09:15' },
  ],
  ['Submit report !!2', { title: 'Submit report', priority: 'high' }],
  ['Read book // chapters 1-3', { title: 'Read book', description: 'chapters 1-3' }],
]);

run('Vikunja-style quick-add magic', [
  [
    'Buy groceries *shopping +Household !3 tomorrow',
    { title: 'Buy groceries', tags: ['shopping'], list: 'Household', priority: 'high', due: '2027-01-21' },
  ],
  ['Buy groceries !5', { title: 'Buy groceries', priority: 'urgent' }],
  ['Task next monday', { title: 'Task', due: '2027-01-25' }],
  ['Task this weekend', { title: 'Task', due: '2027-01-23' }],
  ['Task later this week', { title: 'Task', due: '2027-01-22' }],
  ['Task later next week', { title: 'Task', due: '2027-01-29' }],
  ['Task next week', { title: 'Task', due: '2027-01-27' }],
  ['Task next month', { title: 'Task', due: '2027-02-01' }],
  ['Task end of month', { title: 'Task', due: '2027-01-31' }],
  ['Task in 5 days', { title: 'Task', due: '2027-01-25' }],
  ['Task in 2 weeks', { title: 'Task', due: '2027-02-03' }],
  ['Task 17/02/2027', { title: 'Task', due: '2027-02-17' }],
  ['Task 02/17/2027', { title: 'Task', due: '2027-02-17' }],
  ['Task Feb 17', { title: 'Task', due: '2027-02-17' }],
  ['Task 17th', { title: 'Task', due: '2027-02-17' }],
  ['Task every 2 days', { title: 'Task', rrule: 'FREQ=DAILY;INTERVAL=2' }],
  ['Task each week', { title: 'Task', rrule: 'FREQ=WEEKLY' }],
]);

run('Taskwarrior named dates and attributes', [
  ['Pay bills due:eom', { title: 'Pay bills', due: '2027-01-31' }],
  ['Pay bills due:tomorrow', { title: 'Pay bills', due: '2027-01-21' }],
  ['Pay bills due:2027-02-14', { title: 'Pay bills', due: '2027-02-14' }],
  ['Pay bills due:+3d', { title: 'Pay bills', due: '2027-01-23' }],
  ['Pay bills due:friday', { title: 'Pay bills', due: '2027-01-22' }],
  ['Pay bills due:sow', { title: 'Pay bills', due: '2027-01-25' }],
  ['Pay bills due:eoy', { title: 'Pay bills', due: '2027-12-31' }],
  ['Pay bills due:soq', { title: 'Pay bills', due: '2027-04-01' }],
  ['Pay bills 15th', { title: 'Pay bills', due: '2027-02-15' }],
  ['Backup recur:weekly due:friday', { title: 'Backup', rrule: 'FREQ=WEEKLY', due: '2027-01-22' }],
  [
    'Backup recur:2w until:2027-06-01',
    { title: 'Backup', rrule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20270601T215959Z' },
  ],
  ['Backup recur:quarterly', { title: 'Backup', rrule: 'FREQ=MONTHLY;INTERVAL=3' }],
  ['Backup recur:annual', { title: 'Backup', rrule: 'FREQ=YEARLY' }],
  ['Backup recur:weekdays', { title: 'Backup', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }],
  ['Fix bug priority:H project:Work', { title: 'Fix bug', priority: 'high', list: 'Work' }],
]);

run('Super Productivity short syntax', [
  ['Buy milk #shopping @tomorrow', { title: 'Buy milk', tags: ['shopping'], due: '2027-01-21' }],
  ['Buy milk @fri 4pm', { title: 'Buy milk', due: '2027-01-22 16:00' }],
  ['Buy milk @16:00', { title: 'Buy milk', due: '2027-01-20 16:00' }],
  ['Buy milk @2027-02-01', { title: 'Buy milk', due: '2027-02-01' }],
  ['Buy milk +Groceries #dairy', { title: 'Buy milk', list: 'Groceries', tags: ['dairy'] }],
]);

run('chrono casual English', [
  ['Deadline is today 5PM', { title: 'Deadline is', due: '2027-01-20 17:00' }],
  ['Deadline is Tomorrow', { title: 'Deadline is', due: '2027-01-21' }],
  ['Party tonight 8pm', { title: 'Party', due: '2027-01-20 20:00' }],
  ['Party tonight at 8', { title: 'Party', due: '2027-01-20 20:00' }],
  ['Party tomorrow before 4pm', { title: 'Party', due: '2027-01-21 16:00' }],
  ['Party tomorrow after 4pm', { title: 'Party', due: '2027-01-21 16:00' }],
  ['Party this afternoon at 3', { title: 'Party', due: '2027-01-20 15:00' }],
  ['Party 11 at night', { title: 'Party', due: '2027-01-20 23:00' }],
  ['Party 11 tonight', { title: 'Party', due: '2027-01-20 23:00' }],
  ['Party at 7 in the evening', { title: 'Party', due: '2027-01-20 19:00' }],
  ['Party thurs', { title: 'Party', due: '2027-01-21' }],
  ['Party end of the month', { title: 'Party', due: '2027-01-31' }],
  ['Party last day of the month', { title: 'Party', due: '2027-01-31' }],
  ['Party last day of next month', { title: 'Party', due: '2027-02-28' }],
  ['Party end of next year', { title: 'Party', due: '2028-12-31' }],
  ['Party next day', { title: 'Party', due: '2027-01-21' }],
  ['Party next hour', { title: 'Party', due: '2027-01-20 16:30' }],
  ['Party next 2 weeks', { title: 'Party', due: '2027-02-03' }],
  ['Party within 5 days', { title: 'Party', due: '2027-01-25' }],
  ['Party 5 days later', { title: 'Party', due: '2027-01-25' }],
  ['Party 2 weeks from now', { title: 'Party', due: '2027-02-03' }],
  ['Party a week from today', { title: 'Party', due: '2027-01-27' }],
  ['Party 3 days from tomorrow', { title: 'Party', due: '2027-01-24' }],
  ['Party Sat 8:30pm', { title: 'Party', due: '2027-01-23 20:30' }],
  ['Party 10 August 2027', { title: 'Party', due: '2027-08-10' }],
  ['Party August 10, 2027 at 9:00', { title: 'Party', due: '2027-08-10 09:00' }],
  ['Party 1.5.3 - 2027-09-24', { due: '2027-09-24' }],
]);

run('todo.txt conventions', [
  ['(A) Call mom due:2027-02-01', { title: 'Call mom', priority: 'urgent', due: '2027-02-01' }],
  [
    '(B) Charge watch +personal rec:1w',
    { title: 'Charge watch', priority: 'high', list: 'personal', rrule: 'FREQ=WEEKLY', mode: 'completion' },
  ],
  ['Pay rent rec:+1m', { title: 'Pay rent', rrule: 'FREQ=MONTHLY', mode: 'due' }],
  ['Water plants rec:3d', { title: 'Water plants', rrule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' }],
  ['(a) lowercase is a title', { title: '(a) lowercase is a title', priority: null }],
]);

run('Todoist best-practice forms', [
  [
    'Swim every 14 days 7am starting 1 Nov',
    { title: 'Swim', rrule: 'FREQ=DAILY;INTERVAL=14', due: '2027-11-01 07:00' },
  ],
  [
    'Swim every other Tues 7am starting 1 Nov',
    { title: 'Swim', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', due: '2027-11-02 07:00' },
  ],
  [
    'Swim every mon, tues, wed, and fri',
    { title: 'Swim', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,FR', due: '2027-01-20' },
  ],
  ['Hike every weekend', { title: 'Hike', rrule: 'FREQ=WEEKLY;BYDAY=SA', due: '2027-01-23' }],
]);

run('everyday phrasing', [
  [
    'Pay electricity bill on the 5th of every month',
    { title: 'Pay electricity bill', rrule: 'FREQ=MONTHLY;BYMONTHDAY=5', due: '2027-02-05' },
  ],
  [
    'Board the first monday of each month',
    { title: 'Board', rrule: 'FREQ=MONTHLY;BYDAY=1MO', due: '2027-02-01' },
  ],
  [
    'Rent the last day of every month',
    { title: 'Rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2027-01-31' },
  ],
  ['Book flights for December', { title: 'Book flights', due: '2027-12-01' }],
  ['Submit taxes by April 15', { title: 'Submit taxes', due: '2027-04-15' }],
  ['Send invoice on the last day of the month', { title: 'Send invoice', due: '2027-01-31' }],
  ['Vacation from aug 3 to aug 10', { title: 'Vacation', due: '2027-08-03' }],
  ['Email John by Friday EOD', { title: 'Email John', due: '2027-01-22' }],
  ['Meeting with John on Monday at 10', { title: 'Meeting with John', due: '2027-01-25 10:00' }],
  ['Lunch with Sarah next Wed at 12:30', { title: 'Lunch with Sarah', due: '2027-01-27 12:30' }],
  [
    'Take out trash every tuesday night',
    { title: 'Take out trash', rrule: 'FREQ=WEEKLY;BYDAY=TU', due: '2027-01-26 22:00' },
  ],
  ['Dentist appointment March 3rd 2pm', { title: 'Dentist appointment', due: '2027-03-03 14:00' }],
  [
    'Team sync every other thursday at 3pm',
    { title: 'Team sync', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH', due: '2027-01-21 15:00' },
  ],
  [
    'Ship v2.3.0 on 2027-02-01 p1 #release',
    { title: 'Ship v2.3.0', due: '2027-02-01', priority: 'urgent', tags: ['release'] },
  ],
  ['Call mom in 2 days at 6pm', { title: 'Call mom', due: '2027-01-22 18:00' }],
  ['Call mom 11 tonight', { title: 'Call mom', due: '2027-01-20 23:00' }],
  ['March for science', { title: 'March for science', due: null }],
]);

run('weekday + date, abbreviations, nth lists', [
  [
    'Club every 1st and 3rd friday',
    { title: 'Club', rrule: 'FREQ=MONTHLY;BYDAY=1FR,3FR', due: '2027-02-05' },
  ],
  [
    'Club every 2nd, 4th tue at 7pm',
    { title: 'Club', rrule: 'FREQ=MONTHLY;BYDAY=2TU,4TU', due: '2027-01-26 19:00' },
  ],
  ['Party Jan. 27', { title: 'Party', due: '2027-01-27' }],
  ['Party Monday 25 January', { title: 'Party', due: '2027-01-25' }],
  ['Party Fri, Jan 29 at 5pm', { title: 'Party', due: '2027-01-29 17:00' }],
  ['Party on Saturday, 13 March 2027', { title: 'Party', due: '2027-03-13' }],
]);

run('chrono time expressions', [
  ['Work 10:00:00 - 21:45:00', { title: 'Work', due: '2027-01-21 10:00' }],
  ['Party 8 - 11pm', { title: 'Party', due: '2027-01-20 20:00' }],
  ['Party 8pm - 11', { title: 'Party', due: '2027-01-20 20:00' }],
  ['Party 10 - 11 at night', { title: 'Party', due: '2027-01-20 22:00' }],
  ['Party 6 in the afternoon', { title: 'Party', due: '2027-01-20 18:00' }],
  ['Party 6 in the morning', { title: 'Party', due: '2027-01-21 06:00' }],
  ['Party 11 AM', { title: 'Party', due: '2027-01-21 11:00' }],
  ['Lunch at 12.30', { title: 'Lunch', due: '2027-01-21 12:30' }],
  ['Call 20:32:13', { title: 'Call', due: '2027-01-20 20:32' }],
  ['Meeting 2pm to 3pm tomorrow', { title: 'Meeting', due: '2027-01-21 14:00' }],
  ['Score 7 - 8', { title: 'Score 7 - 8', due: null }],
  ["I'm at 10 - 10.1", { title: "I'm at 10 - 10.1", due: null }],
  ["I'm at 101 points!", { title: "I'm at 101 points!", due: null }],
  ["I'm at 10.1", { title: "I'm at 10.1", due: null }],
  ['Total: $1,194.09', { title: 'Total: $1,194.09', due: null }],
  ['12.53%', { title: '12.53%', due: null }],
  ['Buy 1-2-3 kit', { title: 'Buy 1-2-3 kit', due: null }],
]);
