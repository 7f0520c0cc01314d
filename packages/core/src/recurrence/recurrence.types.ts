/** Frequencies Taskstream accepts. MINUTELY and SECONDLY are rejected: a task is never due more than hourly. */
export type RecurrenceFrequency = 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export type RecurrenceWeekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** One BYDAY entry: `MO`, or with an ordinal `1MO` (first Monday) / `-1FR` (last Friday). */
export interface RecurrenceByDay {
  readonly weekday: RecurrenceWeekday;
  /** 1-based position in the month (MONTHLY) or year (YEARLY); negative counts from the end. */
  readonly ordinal?: number;
}

/**
 * UNTIL as written. RFC 5545 allows a DATE, a UTC DATE-TIME or (for floating start times) a local
 * DATE-TIME; the last two are resolved against the series' time zone when occurrences are computed.
 */
export type RecurrenceUntil =
  | { readonly kind: 'date'; readonly date: string }
  | { readonly kind: 'utc'; readonly instant: Date }
  | { readonly kind: 'local'; readonly dateTime: string };

/** A validated RRULE. List parts are sorted and de-duplicated; absent parts are empty lists. */
export interface ParsedRule {
  readonly freq: RecurrenceFrequency;
  readonly interval: number;
  readonly count?: number;
  readonly until?: RecurrenceUntil;
  readonly byDay: readonly RecurrenceByDay[];
  readonly byMonthDay: readonly number[];
  readonly byMonth: readonly number[];
  readonly bySetPos: readonly number[];
  readonly byHour: readonly number[];
  readonly byMinute: readonly number[];
  readonly bySecond: readonly number[];
  readonly wkst?: RecurrenceWeekday;
}

/** The series anchor: the first due date of the series, the zone it lives in, and whether it is date-only. */
export interface RecurrenceAnchor {
  /** The series' first due instant. Its local time of day in `tz` is the time every occurrence keeps. */
  readonly at: Date;
  /** IANA time zone, e.g. `America/New_York`. */
  readonly tz: string;
  /** Date-only series: occurrences are compared by local calendar date, not by instant. */
  readonly allDay: boolean;
}

export type RecurrenceMode = 'due' | 'completion';

export interface NextOccurrenceInput {
  /** The RRULE, with or without the `RRULE:` prefix, without DTSTART. */
  readonly rrule: string;
  readonly dtstart: RecurrenceAnchor;
  /** The current occurrence's due instant (the task being completed or skipped). */
  readonly after: Date;
  readonly mode: RecurrenceMode;
  /** When the current occurrence was completed; used by mode `completion` (defaults to `now`). */
  readonly completedAt?: Date;
  /**
   * Zero-based index of the current occurrence in the series: the series' first task is 0. COUNT is
   * compared with it, so a rule with COUNT=3 yields a next occurrence for indexes 0 and 1 and ends at 2.
   */
  readonly occurrenceIndex: number;
  /** The caller's clock: in mode `due`, missed occurrences up to `now` are skipped. */
  readonly now: Date;
}
