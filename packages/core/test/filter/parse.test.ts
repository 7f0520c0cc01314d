import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import {
  type FilterNode,
  filterMentionsStatus,
  parseFilter,
  tokenizeFilter,
} from '../../src/filter/index.ts';

// Wednesday 2027-03-10, 12:00 in Paris (UTC+1)
const opts = { now: new Date('2027-03-10T11:00:00Z'), timeZone: 'Europe/Paris' };

/** The tree without spans, so cases read as the meaning of the filter. */
function strip(node: FilterNode): unknown {
  const { start: _s, end: _e, ...rest } = node;
  if (node.type === 'and' || node.type === 'or')
    return { type: node.type, operands: node.operands.map(strip) };
  if (node.type === 'not') return { type: 'not', operand: strip(node.operand) };
  if (node.type === 'date') {
    const { phrase: _p, ...date } = rest as typeof node;
    return date;
  }
  return rest;
}

const day = (field: 'due' | 'created' | 'completed', op: 'before' | 'after' | 'on', date: string) => ({
  type: 'date',
  field,
  op,
  value: { kind: 'day', date },
});
const p = (rank: number) => ({ type: 'priority', rank });
const tag = (name: string) => ({ type: 'tag', name });

describe('parseFilter: terms', () => {
  it.each<[string, unknown]>([
    ['today', day('due', 'on', '2027-03-10')],
    ['Today', day('due', 'on', '2027-03-10')],
    ['tomorrow', day('due', 'on', '2027-03-11')],
    ['yesterday', day('due', 'on', '2027-03-09')],
    ['overdue', { type: 'overdue' }],
    ['over due', { type: 'overdue' }],
    ['no date', { type: 'noDate' }],
    ['no   due date', { type: 'noDate' }],
    ['recurring', { type: 'recurring' }],
    ['completed', { type: 'status', status: 'completed' }],
    ['open', { type: 'status', status: 'open' }],
    ['p1', p(4)],
    ['P2', p(3)],
    ['p3', p(2)],
    ['p4', p(1)],
    ['no priority', p(0)],
    ['#work', tag('work')],
    ['#Work', tag('work')],
    ['@errands', tag('errands')],
    ['##deep', tag('deep')],
    ['#"two words"', tag('two words')],
    ['#c\\+\\+', tag('c++')],
    ['#wo*', { type: 'tag', name: 'wo*', pattern: ['wo', ''] }],
    ['#*ork', { type: 'tag', name: '*ork', pattern: ['', 'ork'] }],
    ['#"a*b"', tag('a*b')],
    ['+Errands', { type: 'list', name: 'Errands' }],
    ['+"My List"', { type: 'list', name: 'My List' }],
    ['+My List', { type: 'list', name: 'My List' }],
    ['+2024 Goals', { type: 'list', name: '2024 Goals' }],
    ['+Err*', { type: 'list', name: 'Err*', pattern: ['Err', ''] }],
    ['search: report', { type: 'search', text: 'report' }],
    ['search:  weekly   report ', { type: 'search', text: 'weekly   report' }],
    ['search: "R&D budget"', { type: 'search', text: 'R&D budget' }],
    ['search: R\\&D', { type: 'search', text: 'R&D' }],
    ['search: wow!', { type: 'search', text: 'wow!' }],
    ['7 days', { type: 'dueWithin', days: 7, from: '2027-03-10', to: '2027-03-17' }],
    ['next 7 days', { type: 'dueWithin', days: 7, from: '2027-03-10', to: '2027-03-17' }],
    ['1 day', { type: 'dueWithin', days: 1, from: '2027-03-10', to: '2027-03-11' }],
    ['due before: tomorrow', day('due', 'before', '2027-03-11')],
    ['due after: 2027-01-27', day('due', 'after', '2027-01-27')],
    ['Due Before : friday', day('due', 'before', '2027-03-12')],
    ['due: next friday', day('due', 'on', '2027-03-19')],
    ['date: today', day('due', 'on', '2027-03-10')],
    ['date before: +3 days', day('due', 'before', '2027-03-13')],
    ['created after: -7 days', day('created', 'after', '2027-03-03')],
    ['created before: -365 days', day('created', 'before', '2026-03-10')],
    ['completed after: yesterday', day('completed', 'after', '2027-03-09')],
    ['completed: today', day('completed', 'on', '2027-03-10')],
    ['jan 27', day('due', 'on', '2028-01-27')],
    ['friday', day('due', 'on', '2027-03-12')],
    ['+3 days', day('due', 'on', '2027-03-13')],
    [
      'due before: friday 5pm',
      {
        type: 'date',
        field: 'due',
        op: 'before',
        value: { kind: 'instant', at: '2027-03-12T16:00:00.000Z' },
      },
    ],
    [
      'created after: -4 hours',
      {
        type: 'date',
        field: 'created',
        op: 'after',
        value: { kind: 'instant', at: '2027-03-10T07:00:00.000Z' },
      },
    ],
  ])('%s', (text, expected) => {
    expect(strip(parseFilter(text, opts))).toEqual(expected);
  });

  it('counts days in the given zone: 23:30 UTC is already tomorrow in Tokyo', () => {
    const late = { now: new Date('2027-03-10T23:30:00Z'), timeZone: 'Asia/Tokyo' };
    expect(strip(parseFilter('today', late))).toEqual(day('due', 'on', '2027-03-11'));
    expect(strip(parseFilter('today', { ...late, timeZone: 'America/New_York' }))).toEqual(
      day('due', 'on', '2027-03-10'),
    );
    expect(strip(parseFilter('today', { ...late, timeZone: 'Not/AZone' }))).toEqual(
      day('due', 'on', '2027-03-10'),
    );
  });

  it('runs a 7-day window across a leap day and a DST change', () => {
    const leap = { now: new Date('2028-02-27T12:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(strip(parseFilter('7 days', leap))).toEqual({
      type: 'dueWithin',
      days: 7,
      from: '2028-02-27',
      to: '2028-03-05',
    });
    const dst = { now: new Date('2027-03-27T12:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(strip(parseFilter('tomorrow', dst))).toEqual(day('due', 'on', '2027-03-28'));
    expect(strip(parseFilter('due before: tomorrow 3am', dst))).toEqual({
      type: 'date',
      field: 'due',
      op: 'before',
      // 03:00 on the spring-forward day is already CEST (+02:00)
      value: { kind: 'instant', at: '2027-03-28T01:00:00.000Z' },
    });
  });
});

describe('parseFilter: operators', () => {
  it.each<[string, unknown]>([
    ['p1 & #work', { type: 'and', operands: [p(4), tag('work')] }],
    ['today | overdue', { type: 'or', operands: [day('due', 'on', '2027-03-10'), { type: 'overdue' }] }],
    ['!#home', { type: 'not', operand: tag('home') }],
    ['!!#home', tag('home')],
    ['!!!#home', { type: 'not', operand: tag('home') }],
    // & binds tighter than |
    ['p1 | p2 & #a', { type: 'or', operands: [p(4), { type: 'and', operands: [p(3), tag('a')] }] }],
    ['p1 & p2 | #a', { type: 'or', operands: [{ type: 'and', operands: [p(4), p(3)] }, tag('a')] }],
    [
      '(p1 | p2) & 7 days',
      {
        type: 'and',
        operands: [
          { type: 'or', operands: [p(4), p(3)] },
          { type: 'dueWithin', days: 7, from: '2027-03-10', to: '2027-03-17' },
        ],
      },
    ],
    ['!(p1 | p2)', { type: 'not', operand: { type: 'or', operands: [p(4), p(3)] } }],
    ['((((p1))))', p(4)],
    ['p1&p2&p3', { type: 'and', operands: [p(4), p(3), p(2)] }],
    ['  p1  |  p2  ', { type: 'or', operands: [p(4), p(3)] }],
    [
      'search: milk & due before: friday',
      { type: 'and', operands: [{ type: 'search', text: 'milk' }, day('due', 'before', '2027-03-12')] },
    ],
  ])('%s', (text, expected) => {
    expect(strip(parseFilter(text, opts))).toEqual(expected);
  });

  it('records the span of every node, parentheses included', () => {
    const ast = parseFilter('!(p1 | #a) & due before: friday', opts);
    expect(ast).toMatchObject({
      type: 'and',
      start: 0,
      end: 31,
      operands: [
        { type: 'not', start: 0, end: 10, operand: { type: 'or', start: 1, end: 10 } },
        { type: 'date', start: 13, end: 31, phrase: 'friday' },
      ],
    });
  });

  it('says when a filter decides the completion state itself', () => {
    expect(filterMentionsStatus(parseFilter('completed & #a', opts))).toBe(true);
    expect(filterMentionsStatus(parseFilter('p1 | !(open)', opts))).toBe(true);
    expect(filterMentionsStatus(parseFilter('completed after: -7 days', opts))).toBe(true);
    expect(filterMentionsStatus(parseFilter('today | overdue', opts))).toBe(false);
  });

  it('tokenizes quotes and escapes inside terms', () => {
    expect(tokenizeFilter('search: "a | b" & !#x').map((t) => t.kind)).toEqual([
      'term',
      'and',
      'not',
      'term',
      'eof',
    ]);
    expect(tokenizeFilter('search: a\\|b')).toMatchObject([
      { kind: 'term', text: 'search: a\\|b' },
      { kind: 'eof' },
    ]);
  });
});

describe('parseFilter: errors name the position', () => {
  function errorOf(text: string): { message: string; details: unknown } {
    try {
      parseFilter(text, opts);
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.code).toBe('INVALID_FILTER');
      return { message: err.message, details: err.details };
    }
    throw new Error(`parsed: ${text}`);
  }

  it.each<[string, number, string]>([
    ['', 0, 'filter term'],
    ['   ', 3, 'filter term'],
    ['&', 0, 'filter term'],
    ['p1 &', 4, 'filter term'],
    ['p1 & & p2', 5, 'filter term'],
    ['p1 | ', 5, 'filter term'],
    ['!', 1, 'filter term'],
    ['()', 1, 'filter term'],
    ['(p1', 3, '")"'],
    ['p1 & (today | ', 14, 'filter term'],
    ['((p1)', 5, '")"'],
    ['p1)', 2, 'opening "("'],
    ['p1 (p2)', 3, '"&", "|"'],
    ['p1 #work', 3, '"&", "|"'],
    ['no date p1', 8, '"&", "|"'],
    ['#work  home', 7, '"&", "|"'],
    ['banana', 0, 'filter term'],
    ['p1 & banana split', 5, 'filter term'],
    ['p5', 0, 'filter term'],
    ['due before:', 11, 'a date'],
    ['due before: someday', 12, 'a date'],
    ['due before:   ', 11, 'a date'],
    ['created after: whenever & p1', 15, 'a date'],
    ['search:', 7, 'words to search'],
    ['search: ""', 8, 'words to search'],
    ['#', 1, 'tag name'],
    ['#""', 1, 'tag name'],
    [`#${'x'.repeat(51)}`, 1, 'tag name'],
    ['+', 1, 'list name'],
    ['search: "open', 8, 'closing "'],
    ['0 days', 0, 'number of days'],
    ['9999 days', 0, 'number of days'],
    ["#x'); drop table tasks;--", 3, 'opening "("'],
  ])('%j fails at %i', (text, position, expected) => {
    const { message, details } = errorOf(text);
    expect(details).toMatchObject({ position });
    expect((details as { expected: string }).expected).toContain(expected);
    expect(message).toContain(`position ${position}`);
  });

  it('refuses very deep nesting and very long filters with INVALID_FILTER', () => {
    expect(errorOf(`${'('.repeat(40)}p1${')'.repeat(40)}`).details).toMatchObject({ position: 32 });
    expect(strip(parseFilter(`${'('.repeat(32)}p1${')'.repeat(32)}`, opts))).toEqual(p(4));
    expect(errorOf('p1 | '.repeat(500)).details).toMatchObject({ position: 2000 });
    // a long run of "!" is folded in a loop, never recursed into
    expect(strip(parseFilter(`${'!'.repeat(1998)}p1`, opts))).toEqual(p(4));
  });
});
