/** Options every parser entry point takes: the reference instant and the user's IANA zone. */
export interface ParseOptions {
  /** The instant "now" refers to; the parser never reads the clock itself. */
  now: Date;
  /** IANA zone name (e.g. "Europe/Berlin"); an unknown zone falls back to UTC. */
  timeZone: string;
  /**
   * Ranges of the input the user marked as plain text (the web app's click on a highlight), as UTF-16
   * offsets `[start, end)`. Nothing overlapping them is recognised; their text stays in the title verbatim.
   * Ranges out of bounds or empty are skipped (callers that take user input validate them first).
   */
  ignore?: readonly IgnoreRange[];
}

/** A `[start, end)` range of UTF-16 offsets into the quick-add input. */
export interface IgnoreRange {
  start: number;
  end: number;
}

/** A calendar date with an optional wall-clock time, as produced by {@link parseDatePhrase}. */
export interface DatePhrase {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM`, 24-hour wall-clock time in the given zone */
  time?: string;
}
