import { describe, expect, it } from 'vitest';
import { timeAgo } from '../src/lib/dates';

/** The conversation list's "when": the unit grows with the distance from the injected now. */
describe('timeAgo', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

  it.each([
    [20, 0, 'second'],
    [5 * 60, -5, 'minute'],
    [3 * 3600, -3, 'hour'],
    [26 * 3600, -1, 'day'],
    [10 * 86400, -1, 'week'],
    [60 * 86400, -2, 'month'],
    [800 * 86400, -2, 'year'],
  ] as const)('%i s before is %i %s', (seconds, value, unit) => {
    expect(timeAgo(before(seconds), now)).toBe(rtf.format(value, unit));
  });
});
