import { DomainError, formatRecurrence, parseRecurrence, type RecurrenceMode } from '@taskstream/core';

export interface RecurrenceInput {
  rrule: string;
  mode?: RecurrenceMode | undefined;
}

/**
 * Validates `recurrence` from a create or PATCH body against the task's due date and returns the rule in
 * canonical form. A recurring task needs a due date: the due date is the rule's anchor (DTSTART), and
 * inventing one ("now") would silently pick a time of day the user never chose — so it is rejected.
 * MINUTELY/SECONDLY and other sub-hourly rules are rejected by the parser; an all-day task cannot repeat
 * hourly.
 */
export function validateRecurrence(
  input: RecurrenceInput,
  due: { dueAt: Date | null; dueAllDay: boolean },
): { rrule: string; mode: RecurrenceMode } {
  const rule = parseRecurrence(input.rrule);
  if (!due.dueAt) {
    throw new DomainError('VALIDATION_FAILED', 'A recurring task needs a due date', [
      {
        path: 'body.due',
        message: 'set a due date: it anchors the recurrence (first occurrence, time of day, zone)',
      },
    ]);
  }
  if (rule.freq === 'HOURLY' && due.dueAllDay) {
    throw new DomainError('INVALID_RECURRENCE', 'An all-day task cannot repeat hourly', { part: 'FREQ' });
  }
  return { rrule: formatRecurrence(rule), mode: input.mode ?? 'due' };
}
