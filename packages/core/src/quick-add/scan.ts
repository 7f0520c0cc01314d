import type { Token } from './tokens.ts';

export type SpanKind =
  | 'date'
  | 'time'
  | 'recurrence'
  | 'priority'
  | 'tag'
  | 'list'
  | 'description'
  | 'reminder';

export interface Span {
  start: number;
  end: number;
  kind: SpanKind;
}

/**
 * Shared state of one parse: the tokens, which of them earlier parsers consumed, and the reference
 * "now" as wall time in the user's zone. Each small parser reads only unconsumed tokens, so a token
 * belongs to at most one recognised phrase.
 */
export interface Scan {
  toks: Token[];
  used: boolean[];
  spans: Span[];
  /** today as a day number in the user's zone */
  today: number;
  /** minutes since local midnight */
  nowMin: number;
  now: Date;
  tz: string;
  /** parseDatePhrase mode: bare months, "now" and "-7 days" are dates there, never in a title. */
  phrase: boolean;
  /** What the parser saw but could not represent, for the UI to tell the user (issue 13). */
  warnings: string[];
}

/** Lower-cased text of token i if it is available to parsers (not consumed, not quoted/opaque). */
export function w(s: Scan, i: number): string | undefined {
  const t = s.toks[i];
  if (t === undefined || s.used[i]) return undefined;
  if (t.kind === 'quoted' || t.kind === 'opaque' || t.kind === 'qlist') return undefined;
  return t.low;
}

/** Token i's kind, if available. */
export function kindAt(s: Scan, i: number): Token['kind'] | undefined {
  const t = s.toks[i];
  return t === undefined || s.used[i] ? undefined : t.kind;
}

/** Marks tokens [from, to) consumed and records one span for them. */
export function consume(s: Scan, from: number, to: number, kind: SpanKind): void {
  if (to <= from) return;
  for (let k = from; k < to; k++) s.used[k] = true;
  s.spans.push({ start: s.toks[from]!.start, end: s.toks[to - 1]!.end, kind });
}

/** Raw lower-cased text of token i, consumed or not (for looking at context); nothing for text the user ignored. */
export function raw(s: Scan, i: number): string | undefined {
  const t = s.toks[i];
  return t === undefined || t.ignored === true ? undefined : t.low;
}
