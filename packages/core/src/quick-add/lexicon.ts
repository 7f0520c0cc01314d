/** Word lists shared by the small parsers. Lookups are Map-based: O(1) per token. */

export const MONTHS = new Map<string, number>([
  ['jan', 1],
  ['january', 1],
  ['feb', 2],
  ['february', 2],
  ['mar', 3],
  ['march', 3],
  ['apr', 4],
  ['april', 4],
  ['may', 5],
  ['jun', 6],
  ['june', 6],
  ['jul', 7],
  ['july', 7],
  ['aug', 8],
  ['august', 8],
  ['sep', 9],
  ['sept', 9],
  ['september', 9],
  ['oct', 10],
  ['october', 10],
  ['nov', 11],
  ['november', 11],
  ['dec', 12],
  ['december', 12],
]);

/** Month words that are also ordinary English words: only accepted next to a day number or a cue. */
export const AMBIGUOUS_MONTHS = new Set([
  'may',
  'mar',
  'march',
  'jun',
  'june',
  'aug',
  'august',
  'sep',
  'dec',
  'jan',
  'oct',
  'nov',
  'feb',
  'apr',
  'jul',
]);

/** ISO weekday numbers (Monday = 1). */
export const WEEKDAYS = new Map<string, number>([
  ['mon', 1],
  ['monday', 1],
  ['tue', 2],
  ['tues', 2],
  ['tuesday', 2],
  ['wed', 3],
  ['weds', 3],
  ['wednesday', 3],
  ['thu', 4],
  ['thur', 4],
  ['thurs', 4],
  ['thursday', 4],
  ['fri', 5],
  ['friday', 5],
  ['sat', 6],
  ['saturday', 6],
  ['sun', 7],
  ['sunday', 7],
]);

/** Plural weekday forms ("mondays") used after "every"/"on". */
export const WEEKDAYS_PLURAL = new Map<string, number>([
  ['mondays', 1],
  ['tuesdays', 2],
  ['wednesdays', 3],
  ['thursdays', 4],
  ['fridays', 5],
  ['saturdays', 6],
  ['sundays', 7],
]);

/** Abbreviations that are also common words ("enjoy the sun", "sat down"): need a cue before them. */
export const AMBIGUOUS_WEEKDAYS = new Set(['sun', 'sat', 'wed', 'mon', 'thu']);

export const RRULE_DAY = ['', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

const NUMBER_WORDS = new Map<string, number>([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
  ['twenty', 20],
  ['thirty', 30],
]);

/** A cardinal: digits (≤ 4) or a number word. `a`/`an` count as 1 only where the caller allows it. */
export function cardinal(low: string | undefined, allowArticle = false): number | null {
  if (low === undefined) return null;
  if (/^\d{1,4}$/.test(low)) return Number(low);
  if (allowArticle && (low === 'a' || low === 'an')) return 1;
  return NUMBER_WORDS.get(low) ?? null;
}

const ORDINAL_WORDS = new Map<string, number>([
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fourth', 4],
  ['fifth', 5],
  ['sixth', 6],
  ['seventh', 7],
  ['eighth', 8],
  ['ninth', 9],
  ['tenth', 10],
  ['eleventh', 11],
  ['twelfth', 12],
  ['thirteenth', 13],
  ['fourteenth', 14],
  ['fifteenth', 15],
  ['sixteenth', 16],
  ['seventeenth', 17],
  ['eighteenth', 18],
  ['nineteenth', 19],
  ['twentieth', 20],
  ['twenty-first', 21],
  ['twenty-second', 22],
  ['twenty-third', 23],
  ['twenty-fourth', 24],
  ['twenty-fifth', 25],
  ['twenty-sixth', 26],
  ['twenty-seventh', 27],
  ['twenty-eighth', 28],
  ['twenty-ninth', 29],
  ['thirtieth', 30],
  ['thirty-first', 31],
]);

/** "27th", "1st", "third" → 27, 1, 3 (only 1–31). */
export function ordinal(low: string | undefined): number | null {
  if (low === undefined) return null;
  const m = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(low);
  const n = m ? Number(m[1]) : (ORDINAL_WORDS.get(low) ?? null);
  return n !== null && n >= 1 && n <= 31 ? n : null;
}

export type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const UNITS = new Map<string, Unit>([
  ['min', 'minute'],
  ['mins', 'minute'],
  ['minute', 'minute'],
  ['minutes', 'minute'],
  ['h', 'hour'],
  ['hr', 'hour'],
  ['hrs', 'hour'],
  ['hour', 'hour'],
  ['hours', 'hour'],
  ['d', 'day'],
  ['day', 'day'],
  ['days', 'day'],
  ['w', 'week'],
  ['wk', 'week'],
  ['wks', 'week'],
  ['week', 'week'],
  ['weeks', 'week'],
  ['mo', 'month'],
  ['mos', 'month'],
  ['month', 'month'],
  ['months', 'month'],
  ['quarter', 'quarter'],
  ['quarters', 'quarter'],
  ['y', 'year'],
  ['yr', 'year'],
  ['yrs', 'year'],
  ['year', 'year'],
  ['years', 'year'],
]);

export function unit(low: string | undefined): Unit | null {
  if (low === undefined) return null;
  // "in 3 weeks' time": the possessive apostrophe stays on the word
  return (
    UNITS.get(low) ??
    (low.endsWith("'") || low.endsWith('\u2019') ? (UNITS.get(low.slice(0, -1)) ?? null) : null)
  );
}

/** "30m", "2h", "1d", "2w", "3mo", "1y", "1h30m" → total in the largest sensible form. */
export interface CompactDuration {
  minutes: number;
  days: number;
  months: number;
}

export function compactDuration(low: string | undefined): CompactDuration | null {
  if (low === undefined || low.length > 16) return null;
  const m =
    /^(?:(\d{1,3})(y|yr))?(?:(\d{1,3})(mo))?(?:(\d{1,3})(w|wk))?(?:(\d{1,3})(d))?(?:(\d{1,3})(h|hr))?(?:(\d{1,4})(m|min))?$/.exec(
      low,
    );
  if (!m || low === '') return null;
  const n = (k: number): number => (m[k] ? Number(m[k]) : 0);
  const months = n(1) * 12 + n(3);
  const days = n(5) * 7 + n(7);
  const minutes = n(9) * 60 + n(11);
  if (months + days + minutes === 0) return null;
  return { minutes, days, months };
}

/** Names long enough that a one-edit slip is still unmistakable (shorter ones border real words: tune, jane, match). */
const TYPO_TARGETS: readonly [string, 'month' | 'weekday' | 'tomorrow', number][] = [
  ['january', 'month', 1],
  ['february', 'month', 2],
  ['august', 'month', 8],
  ['september', 'month', 9],
  ['october', 'month', 10],
  ['november', 'month', 11],
  ['december', 'month', 12],
  ['monday', 'weekday', 1],
  ['tuesday', 'weekday', 2],
  ['wednesday', 'weekday', 3],
  ['thursday', 'weekday', 4],
  ['friday', 'weekday', 5],
  ['saturday', 'weekday', 6],
  ['sunday', 'weekday', 7],
  ['tomorrow', 'tomorrow', 1],
];

/** English words one edit away from a target: they are words, not typos. */
const NOT_TYPOS = new Set([
  'sundae',
  'sundry',
  'augusta',
  'augusts',
  'frida',
  'fridays',
  'mondays',
  'sundays',
  'tomorrows',
]);

/** Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap of neighbours). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * A misspelt month or weekday name of six letters or more, or "tomorrow", within one edit ("thursdy",
 * "septmber", "tommorow", "wendesday"). The first letter must be right. Callers add context rules.
 */
export function typoName(
  low: string | undefined,
): { kind: 'month' | 'weekday' | 'tomorrow'; value: number } | null {
  if (low === undefined || low.length < 5 || low.length > 10 || !/^[a-z]+$/.test(low) || NOT_TYPOS.has(low))
    return null;
  for (const [name, kind, value] of TYPO_TARGETS) {
    if (name[0] === low[0] && withinOneEdit(low, name)) return { kind, value };
  }
  return null;
}
