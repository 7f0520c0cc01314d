import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { nextOccurrence } from '../../src/recurrence/index.ts';

// Zones with unusual rules: 30-minute DST (Lord Howe), DST at midnight (Santiago), +13:45 (Chatham),
// half-hour offsets (Kolkata, St Johns), a skipped calendar day (Apia, 2011-12-30).
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Apia',
];
const RULES = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=3',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=MONTHLY;BYDAY=-1FR',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=YEARLY',
  'FREQ=HOURLY;INTERVAL=5',
  'FREQ=DAILY;BYHOUR=1,2,3',
];
const START = Date.UTC(2010, 0, 1);
const END = Date.UTC(2040, 0, 1);
const DAY = 86_400_000;
const instant = fc.integer({ min: START, max: END }).map((ms) => new Date(ms));

describe('recurrence properties', () => {
  it('due mode: the next occurrence is after the current due date and after now', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RULES),
        fc.constantFrom(...ZONES),
        instant,
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: -30 * DAY, max: 30 * DAY }),
        (rrule, tz, anchor, sinceAnchor, nowOffset) => {
          const after = new Date(anchor.getTime() + sinceAnchor);
          const now = new Date(after.getTime() + nowOffset);
          const next = nextOccurrence({
            rrule,
            dtstart: { at: anchor, tz, allDay: false },
            after,
            now,
            mode: 'due',
            occurrenceIndex: 0,
          });
          expect(next).not.toBeNull();
          expect(next!.getTime()).toBeGreaterThan(after.getTime());
          expect(next!.getTime()).toBeGreaterThan(now.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('completion mode: the next occurrence is after the completion time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RULES),
        fc.constantFrom(...ZONES),
        instant,
        instant,
        (rrule, tz, anchor, done) => {
          const next = nextOccurrence({
            rrule,
            dtstart: { at: anchor, tz, allDay: false },
            after: anchor,
            now: done,
            completedAt: done,
            mode: 'completion',
            occurrenceIndex: 0,
          });
          expect(next!.getTime()).toBeGreaterThan(done.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('DAILY keeps the local time of day in any zone (moved forward only inside a DST gap)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        instant,
        fc.integer({ min: 0, max: 2000 }),
        (tz, anchor, days) => {
          const anchorLocal = Temporal.Instant.fromEpochMilliseconds(anchor.getTime()).toZonedDateTimeISO(tz);
          const after = new Date(anchor.getTime() + days * DAY);
          const next = nextOccurrence({
            rrule: 'FREQ=DAILY',
            dtstart: { at: anchor, tz, allDay: false },
            after,
            now: after,
            mode: 'due',
            occurrenceIndex: 0,
          });
          const local = Temporal.Instant.fromEpochMilliseconds(next!.getTime()).toZonedDateTimeISO(tz);
          const wanted = local.toPlainDate().toPlainDateTime(anchorLocal.toPlainTime());
          let exists = true;
          try {
            wanted.toZonedDateTime(tz, { disambiguation: 'reject' });
          } catch {
            exists = false;
          }
          if (exists) {
            expect(local.toPlainTime().equals(anchorLocal.toPlainTime())).toBe(true);
          } else {
            // Inside a gap the time moves forward by the gap, never backward, and stays that day or the next.
            expect(Temporal.PlainDateTime.compare(local.toPlainDateTime(), wanted)).toBeGreaterThan(0);
            expect(local.toPlainDateTime().since(wanted).total('hours')).toBeLessThanOrEqual(24);
          }
          // No day is skipped unless it does not exist in the zone (Apia skipped 2011-12-30).
          expect(next!.getTime() - after.getTime()).toBeLessThanOrEqual(2 * DAY + 2 * 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
