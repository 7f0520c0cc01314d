/** Options every parser entry point takes: the reference instant and the user's IANA zone. */
export interface ParseOptions {
  /** The instant "now" refers to; the parser never reads the clock itself. */
  now: Date;
  /** IANA zone name (e.g. "Europe/Berlin"); an unknown zone falls back to UTC. */
  timeZone: string;
}

/** A calendar date with an optional wall-clock time, as produced by {@link parseDatePhrase}. */
export interface DatePhrase {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM`, 24-hour wall-clock time in the given zone */
  time?: string;
}
