import { Temporal } from 'temporal-polyfill';
import type { DatePhrase, ParseOptions } from './types.ts';

/**
 * Parses a whole date phrase ("tomorrow", "next friday 5pm", "-7 days", "jan 27") against `now` in `timeZone`.
 * Returns null when the phrase is not (entirely) a date. Never throws.
 */
export function parseDatePhrase(text: string, opts: ParseOptions): DatePhrase | null {
  try {
    const today = Temporal.Instant.fromEpochMilliseconds(opts.now.getTime())
      .toZonedDateTimeISO(opts.timeZone)
      .toPlainDate();
    const t = text.trim().toLowerCase();
    if (t === 'today') return { date: today.toString() };
    if (t === 'tomorrow') return { date: today.add({ days: 1 }).toString() };
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { date: Temporal.PlainDate.from(t).toString() };
    const rel = /^([+-]?\d{1,4}) days?$/.exec(t);
    if (rel) return { date: today.add({ days: Number(rel[1]) }).toString() };
    return null;
  } catch {
    return null;
  }
}
