export { type DescribeRecurrenceOptions, describeRecurrence } from './recurrence.describe.ts';
export { nextOccurrence, previewOccurrences } from './recurrence.next.ts';
export { formatRecurrence, parseRecurrence } from './recurrence.parse.ts';
export type {
  NextOccurrenceInput,
  ParsedRule,
  RecurrenceAnchor,
  RecurrenceByDay,
  RecurrenceFrequency,
  RecurrenceMode,
  RecurrenceUntil,
  RecurrenceWeekday,
} from './recurrence.types.ts';
