import { formatDay, formatMinutes } from './civil.ts';
import { DATE_PREPS, matchDate } from './dates.ts';
import { newScan } from './quick-add.ts';
import { w } from './scan.ts';
import { matchTime } from './times.ts';
import type { DatePhrase, ParseOptions } from './types.ts';

/**
 * Parses a whole date phrase ("tomorrow", "next friday 5pm", "-7 days", "jan 27", "5pm") against `now`
 * in `timeZone`, with the same grammar as quick add (plus "now", bare month names and negative offsets).
 * Returns null unless the entire phrase is a date and/or time. Pure; never throws.
 */
export function parseDatePhrase(text: string, opts: ParseOptions): DatePhrase | null {
  try {
    if (typeof text !== 'string' || text.length > 500) return null;
    const s = newScan(text, opts, text.length, true);
    const n = s.toks.length;
    if (n === 0) return null;
    let i = 0;
    while (i < n - 1 && DATE_PREPS.has(w(s, i) ?? '')) i++;
    const d = matchDate(s, i);
    if (d) {
      let j = d.end;
      if (w(s, j) === ',') j++;
      let time = d.time;
      if (j < n) {
        const t = matchTime(s, j, true);
        if (!t || t.end !== n) return null;
        time = t.minute;
      }
      return time === undefined
        ? { date: formatDay(d.day) }
        : { date: formatDay(d.day), time: formatMinutes(time) };
    }
    const t = matchTime(s, i, false);
    if (!t) return null;
    let day = s.today;
    if (t.end < n) {
      let j = t.end;
      while (j < n - 1 && DATE_PREPS.has(w(s, j) ?? '')) j++;
      const d2 = matchDate(s, j);
      if (!d2 || d2.end !== n) return null;
      day = d2.day;
    }
    return { date: formatDay(day), time: formatMinutes(t.minute) };
  } catch {
    return null;
  }
}
