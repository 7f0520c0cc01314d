// Public surface of the quick-add module. Type names carry a QuickAdd prefix so they never collide with
// other core modules re-exported from the package root (e.g. the task model's own `Priority`).
export { parseDatePhrase } from './date-phrase.ts';
export type {
  Priority as QuickAddPriority,
  QuickAddDue,
  QuickAddRecurrence,
  QuickAddResult,
  Reminder as QuickAddReminder,
  Span as QuickAddSpan,
  SpanKind as QuickAddSpanKind,
} from './quick-add.ts';
export { parseQuickAdd } from './quick-add.ts';
export type {
  DatePhrase,
  IgnoreRange as QuickAddIgnoreRange,
  ParseOptions as QuickAddOptions,
} from './types.ts';
