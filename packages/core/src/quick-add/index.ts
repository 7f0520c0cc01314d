export { parseDatePhrase } from './date-phrase.ts';
export type {
  Priority,
  QuickAddDue,
  QuickAddRecurrence,
  QuickAddResult,
  Reminder,
  Span,
  SpanKind,
} from './quick-add.ts';
export { parseQuickAdd } from './quick-add.ts';
export type { DatePhrase, ParseOptions } from './types.ts';
