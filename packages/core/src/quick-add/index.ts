export { parseDatePhrase } from './date-phrase.ts';
export type { DatePhrase, ParseOptions } from './types.ts';
