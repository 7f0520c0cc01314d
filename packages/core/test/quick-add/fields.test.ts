import { describe, expect, it } from 'vitest';
import { parseQuickAdd } from '../../src/quick-add/index.ts';
import { BERLIN_WED, type Case, check, NY_DST } from './helpers.ts';

const opts = { now: BERLIN_WED.now, timeZone: BERLIN_WED.tz };

describe('priority', () => {
  const cases: Case[] = [
    ['Fix prod p1', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod P1', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod p2', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod p3', { title: 'Fix prod', priority: 'medium' }],
    ['Fix prod p4', { title: 'Fix prod', priority: 'low' }],
    ['p1 Fix prod', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod !!1', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod !!4', { title: 'Fix prod', priority: 'low' }],
    ['Fix prod !!!!', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod !!!', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod !!', { title: 'Fix prod', priority: 'medium' }],
    ['Fix prod !', { title: 'Fix prod', priority: 'low' }],
    ['Fix prod !4', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod !3', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod !1', { title: 'Fix prod', priority: 'low' }],
    ['Fix prod urgent', { title: 'Fix prod', priority: 'urgent' }],
    ['Urgent: fix prod', { title: 'fix prod', priority: 'urgent' }],
    ['Fix prod asap', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod high priority', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod medium priority', { title: 'Fix prod', priority: 'medium' }],
    ['Fix prod low priority', { title: 'Fix prod', priority: 'low' }],
    ['Fix prod top priority', { title: 'Fix prod', priority: 'urgent' }],
    ['Fix prod priority high', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod priority 2', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod priority:H', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod pri:L', { title: 'Fix prod', priority: 'low' }],
    ['Fix prod priority:M', { title: 'Fix prod', priority: 'medium' }],
    ['Fix prod, important', { title: 'Fix prod', priority: 'high' }],
    ['Fix prod p1 p3', { title: 'Fix prod p3', priority: 'urgent' }],
    ['Call mom!', { title: 'Call mom!', priority: null }],
  ];
  it.each(cases)('%s', (input, exp) => check(BERLIN_WED, input, exp));
});

describe('tags and lists', () => {
  const cases: Case[] = [
    ['Buy milk #errands', { title: 'Buy milk', tags: ['errands'] }],
    ['Buy milk #Errands #home', { title: 'Buy milk', tags: ['errands', 'home'] }],
    ['Buy milk @errands', { title: 'Buy milk', tags: ['errands'] }],
    ['Buy milk @Home #home', { title: 'Buy milk', tags: ['home'] }],
    ['Buy milk *shopping', { title: 'Buy milk', tags: ['shopping'] }],
    ['#errands buy milk', { title: 'buy milk', tags: ['errands'] }],
    ['Buy milk #errands.', { title: 'Buy milk.', tags: ['errands'] }],
    ['Fix bug #123', { title: 'Fix bug #123', tags: [] }],
    ['Buy milk #caf\u00e9', { title: 'Buy milk', tags: ['caf\u00e9'] }],
    ['Buy milk +Groceries', { title: 'Buy milk', list: 'Groceries' }],
    ['Buy milk +"Weekly Shop"', { title: 'Buy milk', list: 'Weekly Shop' }],
    ['Buy milk +Home_Stuff', { title: 'Buy milk', list: 'Home_Stuff' }],
    ['Buy milk project:Home', { title: 'Buy milk', list: 'Home' }],
    ['Learn C++', { title: 'Learn C++', list: null }],
    ['Score +1 for the team', { title: 'Score +1 for the team', list: null }],
    [
      'Buy milk +Groceries #dairy @store p2 tomorrow',
      {
        title: 'Buy milk',
        list: 'Groceries',
        tags: ['dairy', 'store'],
        priority: 'high',
        due: '2027-01-21',
      },
    ],
  ];
  it.each(cases)('%s', (input, exp) => check(BERLIN_WED, input, exp));
});

describe('reminders', () => {
  const cases: Case[] = [
    ['Dentist tomorrow 3pm remind me 1 day before', { title: 'Dentist', reminders: [{ before: 'P1D' }] }],
    ['Dentist tomorrow 3pm remind me 2 hours before', { title: 'Dentist', reminders: [{ before: 'PT2H' }] }],
    ['Dentist tomorrow 3pm remind 2h before', { title: 'Dentist', reminders: [{ before: 'PT2H' }] }],
    [
      'Dentist tomorrow 3pm remind me 30 minutes before',
      { title: 'Dentist', reminders: [{ before: 'PT30M' }] },
    ],
    ['Dentist tomorrow 3pm reminder 15 min earlier', { title: 'Dentist', reminders: [{ before: 'PT15M' }] }],
    ['Dentist tomorrow 3pm remind me the day before', { title: 'Dentist', reminders: [{ before: 'P1D' }] }],
    ['Dentist tomorrow 3pm remind me a week before', { title: 'Dentist', reminders: [{ before: 'P1W' }] }],
    ['Dentist tomorrow 3pm !30m', { title: 'Dentist', reminders: [{ before: 'PT30M' }] }],
    ['Dentist tomorrow 3pm !1h', { title: 'Dentist', reminders: [{ before: 'PT1H' }] }],
    ['Dentist tomorrow 3pm !1h30m', { title: 'Dentist', reminders: [{ before: 'PT1H30M' }] }],
    ['Dentist tomorrow 3pm !1d', { title: 'Dentist', reminders: [{ before: 'P1D' }] }],
    [
      'Dentist tomorrow 3pm !30m !1d',
      { title: 'Dentist', reminders: [{ before: 'PT30M' }, { before: 'P1D' }] },
    ],
    [
      'Renew domain !2027-12-31 at 9am',
      { title: 'Renew domain', reminders: [{ at: '2027-12-31T09:00' }], due: null },
    ],
    [
      'Renew domain dec 31 !2027-12-30 at 9am',
      { title: 'Renew domain', due: '2027-12-31', reminders: [{ at: '2027-12-30T09:00' }] },
    ],
    ['Renew domain !tomorrow 8am', { title: 'Renew domain', reminders: [{ at: '2027-01-21T08:00' }] }],
    [
      'Renew domain friday remind me at 9am',
      { title: 'Renew domain', due: '2027-01-22', reminders: [{ at: '2027-01-22T09:00' }] },
    ],
    [
      'Renew domain remind me tomorrow at 8',
      { title: 'Renew domain', reminders: [{ at: '2027-01-21T08:00' }] },
    ],
    [
      'Renew domain remind me at 5pm',
      { title: 'Renew domain', due: null, reminders: [{ at: '2027-01-20T17:00' }] },
    ],
    ['Renew domain remind me in 2 hours', { title: 'Renew domain', reminders: [{ at: '2027-01-20T17:30' }] }],
    ['Renew domain', { title: 'Renew domain', reminders: [] }],
  ];
  it.each(cases)('%s', (input, exp) => check(BERLIN_WED, input, exp));
});

describe('description, quotes and title tidying', () => {
  const cases: Case[] = [
    ['Buy milk // 2% fat, the organic one', { title: 'Buy milk', description: '2% fat, the organic one' }],
    [
      'Buy milk tomorrow // not on friday',
      { title: 'Buy milk', due: '2027-01-21', description: 'not on friday' },
    ],
    ['Read https://example.com/a//b', { title: 'Read https://example.com/a//b', description: undefined }],
    ['Watch "Next Friday"', { title: 'Watch Next Friday', due: null }],
    ['Watch "Next Friday" tomorrow', { title: 'Watch Next Friday', due: '2027-01-21' }],
    ['Read \u201cThe Day After Tomorrow\u201d', { title: 'Read The Day After Tomorrow', due: null }],
    ['Book "p1 #tag" friday', { title: 'Book p1 #tag', due: '2027-01-22', priority: null, tags: [] }],
    ['Buy "milk', { title: 'Buy "milk', due: null }],
    ['  Buy   milk   tomorrow  ', { title: 'Buy milk', due: '2027-01-21' }],
    ['Buy milk, eggs tomorrow, and bread', { title: 'Buy milk, eggs, and bread', due: '2027-01-21' }],
    ['tomorrow', { title: '', due: '2027-01-21' }],
    ['', { title: '', due: null }],
  ];
  it.each(cases)('%s', (input, exp) => check(BERLIN_WED, input, exp));
});

describe('result shape', () => {
  it('has spans for every recognised phrase, in input order', () => {
    const text = 'Pay rent +Home #bills p2 every 1st at 9am !1d // bank transfer';
    const r = parseQuickAdd(text, opts);
    expect(r.title).toBe('Pay rent');
    expect(r.spans.map((s) => [text.slice(s.start, s.end), s.kind])).toEqual([
      ['+Home', 'list'],
      ['#bills', 'tag'],
      ['p2', 'priority'],
      ['every 1st at 9am', 'recurrence'],
      ['!1d', 'reminder'],
      ['// bank transfer', 'description'],
    ]);
    expect(r).toEqual({
      title: 'Pay rent',
      description: 'bank transfer',
      due: { date: '2027-02-01', time: '09:00', tz: 'Europe/Berlin', all_day: false },
      recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', mode: 'due' },
      priority: 'high',
      tags: ['bills'],
      list: 'Home',
      reminders: [{ before: 'P1D' }],
      spans: r.spans,
    });
  });

  it('separates date and time spans', () => {
    const text = 'Call Anna tomorrow at 5pm';
    const r = parseQuickAdd(text, opts);
    expect(r.spans.map((s) => [text.slice(s.start, s.end), s.kind])).toEqual([
      ['tomorrow', 'date'],
      ['at 5pm', 'time'],
    ]);
  });

  it('uses UTF-16 offsets of the original input', () => {
    const text = '\u{1F600} Pizza tomorrow';
    const r = parseQuickAdd(text, opts);
    expect(r.spans).toEqual([{ start: 9, end: 17, kind: 'date' }]);
    expect(r.title).toBe('\u{1F600} Pizza');
  });

  it('falls back to UTC for an unknown zone and never throws on bad options', () => {
    const r = parseQuickAdd('Call tomorrow', {
      now: new Date('2027-01-20T23:30:00Z'),
      timeZone: 'Mars/Olympus',
    });
    expect(r.due).toEqual({ date: '2027-01-21', tz: 'UTC', all_day: true });
    const bad = parseQuickAdd('Call tomorrow', { now: new Date(Number.NaN), timeZone: '' });
    expect(bad.title).toBe('Call');
  });

  it('resolves in the user zone, not the host zone', () => {
    // 2027-03-12 03:30 UTC is still Thursday evening in New York.
    const r = parseQuickAdd('Call tomorrow', { now: new Date('2027-03-12T03:30:00Z'), timeZone: NY_DST.tz });
    expect(r.due?.date).toBe('2027-03-12');
  });
});
