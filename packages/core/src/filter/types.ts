/**
 * The filter language's syntax tree. Every node carries the [start, end) character offsets of the text it
 * came from, so an editor can highlight it. Date phrases are resolved while parsing (against `now` and the
 * user's zone), so the tree is plain data a compiler can turn into a query without any date logic of its own.
 */

/** Options of {@link parseFilter}: the reference instant and the user's IANA zone. */
export interface FilterParseOptions {
  now: Date;
  /** IANA zone the user's days are counted in; an unknown zone falls back to UTC. */
  timeZone: string;
}

/** A resolved date: a whole local day in the user's zone, or an exact instant when the phrase had a time. */
export type FilterDateValue =
  | { kind: 'day' /** `YYYY-MM-DD` */; date: string }
  | { kind: 'instant' /** ISO 8601 UTC */; at: string };

export type FilterDateField = 'due' | 'created' | 'completed';
export type FilterDateOp = 'before' | 'after' | 'on';

interface Span {
  start: number;
  end: number;
}

export interface FilterAnd extends Span {
  type: 'and';
  operands: FilterNode[];
}
export interface FilterOr extends Span {
  type: 'or';
  operands: FilterNode[];
}
export interface FilterNot extends Span {
  type: 'not';
  operand: FilterNode;
}
/** `p1`…`p4` or `no priority`, as the stored rank: 4 urgent (p1) … 1 low (p4), 0 none. */
export interface FilterPriority extends Span {
  type: 'priority';
  rank: 0 | 1 | 2 | 3 | 4;
}
/**
 * `#tag` / `@tag`. `name` is normalised like stored tags (lower case, no leading #). With a `*` wildcard,
 * `pattern` holds the literal pieces between the wildcards (`#wo*k` → ["wo", "k"]).
 */
export interface FilterTag extends Span {
  type: 'tag';
  name: string;
  pattern?: string[];
}
/** `+List` / `+"My List"`, matched case-insensitively among the user's own lists; `pattern` as for tags. */
export interface FilterList extends Span {
  type: 'list';
  name: string;
  pattern?: string[];
}
/** `search: words` — full-text search over title, description and tags. */
export interface FilterSearch extends Span {
  type: 'search';
  text: string;
}
/** `completed` / `open`. */
export interface FilterStatus extends Span {
  type: 'status';
  status: 'open' | 'completed';
}
/** `overdue`: open, with a due date whose deadline has passed (all-day tasks: after their local day). */
export interface FilterOverdue extends Span {
  type: 'overdue';
}
/** `no date`: no due date. */
export interface FilterNoDate extends Span {
  type: 'noDate';
}
/** `recurring`: has a recurrence rule. */
export interface FilterRecurring extends Span {
  type: 'recurring';
}
/**
 * `due before: <date>`, `created after: -7 days`, `today`, `jan 27`, … `phrase` is the date text as typed.
 * Day semantics: `before D` ends where day D starts, `after D` starts when day D ends, `on D` is day D.
 */
export interface FilterDate extends Span {
  type: 'date';
  field: FilterDateField;
  op: FilterDateOp;
  value: FilterDateValue;
  phrase: string;
}
/** `N days` / `next N days`: due from the start of today through the end of day today + N − 1. */
export interface FilterDueWithin extends Span {
  type: 'dueWithin';
  days: number;
  /** first day, `YYYY-MM-DD` (today) */
  from: string;
  /** first day after the window, `YYYY-MM-DD` */
  to: string;
}

export type FilterNode =
  | FilterAnd
  | FilterOr
  | FilterNot
  | FilterPriority
  | FilterTag
  | FilterList
  | FilterSearch
  | FilterStatus
  | FilterOverdue
  | FilterNoDate
  | FilterRecurring
  | FilterDate
  | FilterDueWithin;

/** Details of an `INVALID_FILTER` error: where parsing stopped (0-based offset) and what would have fit. */
export interface FilterErrorDetails {
  position: number;
  expected: string;
  found: string;
}
