// Public surface of the filter language (issue 4).
export { addCalendarDays, localDateOf, resolveFilterDate, startOfLocalDay } from './dates.ts';
export { filterMentionsStatus, maxFilterDepth, maxFilterLength, parseFilter } from './parse.ts';
export { type FilterToken, tokenizeFilter } from './tokenize.ts';
export type * from './types.ts';
