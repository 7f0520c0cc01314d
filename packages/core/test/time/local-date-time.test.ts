import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateTime } from '../../src/time/zones.ts';

/** The reference: Intl's own wall-clock parts for the instant, as localDateTime formatted every call before. */
function viaIntl(at: Date, tz: string): string {
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of f.formatToParts(at)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

// DST both ways, half-hour DST (Lord Howe), 45-minute offsets, a zone that skipped a day (Apia, 2011-12-30),
// local mean time with seconds before 1900 (Amsterdam)
const zones = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Europe/Amsterdam',
  'America/Santiago',
];

describe('localDateTime', () => {
  it('agrees with Intl for any instant from 1850 to 2150 in zones with unusual transitions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2150, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, tz) => {
          expect(localDateTime(new Date(ms), tz)).toBe(viaIntl(new Date(ms), tz));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl on both sides of each 2026 transition in Paris, New York and Lord Howe, to the second', () => {
    const around = [
      ['Europe/Paris', Date.UTC(2026, 2, 29, 1)],
      ['Europe/Paris', Date.UTC(2026, 9, 25, 1)],
      ['America/New_York', Date.UTC(2026, 2, 8, 7)],
      ['America/New_York', Date.UTC(2026, 10, 1, 6)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
    ] as const;
    for (const [tz, t] of around) {
      for (const d of [-3_600_000, -1000, -1, 0, 1, 999, 1000, 1_800_000, 3_600_000]) {
        const at = new Date(t + d);
        expect(localDateTime(at, tz), `${tz} ${at.toISOString()}`).toBe(viaIntl(at, tz));
      }
    }
  });
});
