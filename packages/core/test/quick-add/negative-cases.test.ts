import { describe, expect, it } from 'vitest';
import { parseQuickAdd } from '../../src/quick-add/index.ts';
import { BERLIN_WED, NY_DST } from './helpers.ts';

/**
 * Ordinary titles: nothing in them may become a date, time, recurrence, priority or reminder,
 * and the title must come back unchanged.
 */
const TITLES = [
  'Version 1.1.3',
  'Release v2.0.1',
  'Call 911',
  'Read The 9/11 Report',
  'Review the 3/4 time signature',
  'Read chapter 5',
  'Buy 2 apples',
  'Email bob@example.com',
  'Reply to alice@monday.com',
  'Check https://example.com/2027-01-27',
  'Read https://blog.example.org/tomorrow-never-dies',
  'Visit www.friday.com',
  'Meeting room 4',
  'Top 10 list',
  'Catch-22',
  '5 minute journal',
  'Finish 1st draft',
  'Read the 5th element script',
  'Call Tom',
  'Ask Tom about the keys',
  'Enjoy the sun',
  'Sat down with Mike',
  'Daily standup notes',
  'Weekly review template',
  'Monthly budget spreadsheet',
  'Read 1984',
  'Pay $20 to Sam',
  'Fix bug #123',
  'Watch Apollo 13',
  'Route 66 road trip',
  'Buy 3 lbs of flour',
  'Book Room 101',
  'Order 12 pizzas',
  'Take 2 pills',
  'Drink 1.5 liters of water',
  'Print 20 copies',
  'Buy 2x4 lumber',
  'Learn C++',
  'Learn C#',
  'Buy iPhone 15 case',
  'Windows 11 upgrade',
  'Chapter 11 filing',
  'Call 555-1234',
  'Meet at 10 Downing Street',
  'May the force be with you',
  'March for science',
  'Buy a week of groceries',
  'Plan a day in Paris',
  'Buy 3 days of food',
  'Vacation for 3 weeks',
  'Urgent care appointment',
  'Important documents to file',
  'Top 5 priorities',
  'Write 500 words',
  'Run 5k',
  'Score 3-1',
  'Update README.md',
  'Review PR 4521',
  'Backup /var/log/2027',
  'Model S 90D',
  'Watch Friday Night Lights',
  'Call Mon Cheri bakery',
  'Send 3 hours report',
  'Half marathon training',
  'Dinner for two',
  'Set up Wi-Fi',
  'Second opinion',
  'First aid kit',
  'Last of us',
  'Every little thing',
  'Each one teach one',
  'After party cleanup',
  'Remind Tom to call',
  'Chop 3 onions',
  '3D printer filament',
  'Get 2FA codes',
  'Check 4K monitor',
  'Buy 1TB SSD',
];

function checkTitle(title: string): void {
  for (const ref of [BERLIN_WED, NY_DST]) {
    const r = parseQuickAdd(title, { now: ref.now, timeZone: ref.tz });
    expect(
      {
        title: r.title,
        due: r.due,
        recurrence: r.recurrence,
        priority: r.priority,
        reminders: r.reminders,
        list: r.list,
      },
      title,
    ).toEqual({
      title,
      due: undefined,
      recurrence: undefined,
      priority: undefined,
      reminders: [],
      list: undefined,
    });
  }
}

describe('negative cases: ordinary titles stay titles', () => {
  it.each(TITLES)('%s', (title) => checkTitle(title));
});
