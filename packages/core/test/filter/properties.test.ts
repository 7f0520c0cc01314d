import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import { type FilterNode, parseFilter } from '../../src/filter/index.ts';

const opts = { now: new Date('2027-03-10T11:00:00Z'), timeZone: 'Europe/Paris' };

/** Pieces of the language, mixed with noise, so random inputs get past the first token. */
const pieces = [
  '&',
  '|',
  '!',
  '(',
  ')',
  ' ',
  '"',
  '\\',
  '*',
  ':',
  '#',
  '@',
  '+',
  '-',
  'p1',
  'p4',
  'p9',
  'no',
  'date',
  'priority',
  'today',
  'tomorrow',
  'overdue',
  'recurring',
  'completed',
  'open',
  'search:',
  'due',
  'before',
  'after',
  'created',
  'due before:',
  'created after:',
  '7',
  'days',
  'next',
  'friday',
  'jan 27',
  '5pm',
  '#work',
  '+Errands',
  "'; drop table tasks;--",
  'é',
  '😀',
];

const filterish = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map((xs) => xs.join(''));

/** Parses, or returns the error — which must be INVALID_FILTER with a position inside the input. */
function attempt(text: string): FilterNode | DomainError {
  try {
    return parseFilter(text, opts);
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== 'INVALID_FILTER') throw e;
    const { position } = e.details as { position: number };
    if (!Number.isInteger(position) || position < 0 || position > Math.max(text.length, 0)) {
      throw new Error(`position ${position} outside ${JSON.stringify(text)}`);
    }
    return e;
  }
}

function spansInside(node: FilterNode, length: number): boolean {
  const ok = node.start >= 0 && node.start < node.end && node.end <= length;
  if (node.type === 'and' || node.type === 'or')
    return ok && node.operands.every((n) => spansInside(n, length));
  if (node.type === 'not') return ok && spansInside(node.operand, length);
  return ok;
}

describe('parseFilter properties', () => {
  it('throws nothing but INVALID_FILTER on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (s) => {
        attempt(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but INVALID_FILTER on filter-like strings, and spans stay inside the input', () => {
    fc.assert(
      fc.property(filterish, (s) => {
        const r = attempt(s);
        if (!(r instanceof DomainError)) expect(spansInside(r, s.length)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic: the same input gives the same tree or the same error', () => {
    fc.assert(
      fc.property(filterish, (s) => {
        const a = attempt(s);
        const b = attempt(s);
        if (a instanceof DomainError) expect(b).toMatchObject({ message: a.message });
        else expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  /*
   * Linear time, checked without timing flakiness: the worst inputs of the maximum length each parse well
   * inside a bound that a quadratic parser would blow through (2000² character steps), and doubling the
   * length roughly doubles the time. Figures for the record come from `npm run bench`, not from here.
   */
  it('parses the longest adversarial inputs in linear time', () => {
    const adversarial = [
      'p1 & '.repeat(399) + 'p1',
      '('.repeat(32) + 'p1' + ')'.repeat(32) + ' | p2'.repeat(380),
      'search: ' + 'a '.repeat(996),
      '#' + '*'.repeat(1999),
      '+' + 'ab* '.repeat(499),
      '"' + 'x'.repeat(1998),
      '!'.repeat(1999) + 'p',
      'due before: ' + '1 '.repeat(994),
      'no date '.repeat(250),
      '\\'.repeat(2000),
      'p1 | '.repeat(399) + 'x',
    ];
    const time = (s: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        attempt(s);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    for (const s of adversarial) {
      expect(s.length).toBeLessThanOrEqual(2000);
      expect(time(s), s.slice(0, 20)).toBeLessThan(50);
    }
    // growth: 8× the input must not cost anywhere near 64× (generous slack for timer noise)
    const small = time('p1 & #a | '.repeat(25));
    const large = time('p1 & #a | '.repeat(199) + 'p1');
    expect(large).toBeLessThan(Math.max(small, 0.05) * 32);
  });
});
