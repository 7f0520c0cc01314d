import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuickAdd, type QuickAddIgnoreRange } from '../../src/quick-add/index.ts';
import { BERLIN_WED } from './helpers.ts';

const opts = { now: BERLIN_WED.now, timeZone: BERLIN_WED.tz };

/** The range of the first occurrence of `part` in `text` (what a click on that highlight sends). */
function range(text: string, part: string): QuickAddIgnoreRange {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`${part} not in ${text}`);
  return { start, end: start + part.length };
}

function parseIgnoring(text: string, ...parts: string[]) {
  return parseQuickAdd(text, { ...opts, ignore: parts.map((p) => range(text, p)) });
}

describe('ignore: text the user made plain again', () => {
  it('an ignored date stays in the title verbatim and is not the due date', () => {
    const text = 'Review March 3 report tomorrow';
    expect(parseQuickAdd(text, opts).due?.date).toBe('2027-03-03');
    const r = parseIgnoring(text, 'March 3');
    expect(r.title).toBe('Review March 3 report');
    expect(r.due?.date).toBe('2027-01-21');
    expect(r.spans.map((s) => text.slice(s.start, s.end))).toEqual(['tomorrow']);
  });

  it('ignoring every highlight leaves the whole input as the title', () => {
    const text = 'Pay rent every month on the 1st at 9am #bills p1 +Home';
    const first = parseQuickAdd(text, opts);
    expect(first.spans.length).toBeGreaterThan(3);
    const r = parseQuickAdd(text, { ...opts, ignore: first.spans });
    expect(r).toEqual({ title: text, tags: [], reminders: [], spans: [] });
  });

  it('a partly ignored phrase is not half-recognised: the rest is read on its own', () => {
    const text = 'Standup every monday at 9am';
    const r = parseIgnoring(text, 'monday');
    // "every" no longer has a schedule; "at 9am" is still a time of its own.
    expect(r.recurrence).toBeUndefined();
    expect(r.title).toBe('Standup every monday');
    expect(r.due?.time).toBe('09:00');
  });

  it('an ignored word is no context either: a cue the user ignored does not make "sat" a date', () => {
    const text = 'Fix the bike on sat';
    expect(parseQuickAdd(text, opts).due).toBeDefined();
    const r = parseIgnoring(text, 'on');
    expect(r.due).toBeUndefined();
    expect(r.title).toBe(text);
  });

  it('ignored priority, tags, list, quotes and punctuation keep their exact text', () => {
    const text = 'Buy "milk", eggs p1 #shop +"Corner Store" @home';
    const r = parseIgnoring(text, 'p1', '#shop', '+"Corner Store"', '@home', '"milk",');
    expect(r.title).toBe('Buy "milk", eggs p1 #shop +"Corner Store" @home');
    expect(r).toMatchObject({ tags: [], spans: [] });
    expect(r.priority).toBeUndefined();
    expect(r.list).toBeUndefined();
  });

  it('an ignored " // " is not the description separator', () => {
    const text = 'Read a // b // notes';
    const r = parseIgnoring(text, '//');
    expect(r.title).toBe('Read a // b');
    expect(r.description).toBe('notes');
  });

  it('ranges covering part of a word ignore the whole word; bad ranges are skipped', () => {
    const text = 'Call mom tomorrow';
    expect(parseQuickAdd(text, { ...opts, ignore: [{ start: 10, end: 11 }] }).due).toBeUndefined();
    const bad = [
      { start: 5, end: 5 },
      { start: 12, end: 3 },
      { start: Number.NaN, end: 20 },
      null as unknown as QuickAddIgnoreRange,
    ];
    expect(parseQuickAdd(text, { ...opts, ignore: bad }).due?.date).toBe('2027-01-21');
  });

  it('property: no recognised span covers an ignored character', () => {
    const words = fc.constantFrom(
      'tomorrow',
      'at',
      '5pm',
      'every',
      'monday',
      'p1',
      '#tag',
      '+List',
      'in',
      '3',
      'days',
      'Buy',
      'milk',
      '1st',
      'jan',
      '27',
      ',',
      '//',
      'remind',
      'me',
    );
    const input = fc.array(words, { maxLength: 14 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(input, fc.array(fc.tuple(fc.nat(80), fc.nat(20)), { maxLength: 4 }), (text, raw) => {
        const ignore = raw
          .map(([a, n]) => ({ start: Math.min(a, text.length), end: Math.min(a + n + 1, text.length) }))
          .filter((r) => r.start < r.end);
        const r = parseQuickAdd(text, { ...opts, ignore });
        // Whitespace between words belongs to no token, so only the ignored characters themselves count.
        for (const sp of r.spans) {
          if (sp.kind === 'description') continue;
          for (const ig of ignore)
            for (let p = Math.max(ig.start, sp.start); p < Math.min(ig.end, sp.end); p++)
              expect(/\s/.test(text[p]!), `${text} ${JSON.stringify(ignore)}`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
