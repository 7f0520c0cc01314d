/**
 * The one error catalog. Core and services throw `DomainError(code)`; the server's error handler maps
 * each code to its HTTP status. Codes are stable: clients may branch on them.
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  BAD_REQUEST: { status: 400, message: 'The request could not be understood' },
  INVALID_FILTER: { status: 400, message: 'The filter could not be parsed' },
  INVALID_RECURRENCE: { status: 400, message: 'The recurrence rule is not valid' },
  INVALID_TIME_ZONE: { status: 400, message: 'Unknown time zone' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  TASK_NOT_FOUND: { status: 404, message: 'Task not found' },
  LIST_NOT_FOUND: { status: 404, message: 'List not found' },
  TOKEN_NOT_FOUND: { status: 404, message: 'Token not found' },
  NOTIFICATION_NOT_FOUND: { status: 404, message: 'Notification not found' },
  FILTER_NOT_FOUND: { status: 404, message: 'Saved filter not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  CONFLICT: { status: 409, message: 'Conflict' },
  INBOX_NOT_DELETABLE: { status: 409, message: 'The Inbox list cannot be deleted' },
  LIST_NAME_TAKEN: { status: 409, message: 'A list with this name already exists' },
  FILTER_NAME_TAKEN: { status: 409, message: 'A saved filter with this name already exists' },
  FILTER_LIMIT_REACHED: { status: 409, message: 'Too many saved filters' },
  NOT_RECURRING: { status: 409, message: 'The task does not recur' },
  INVALID_STATE: { status: 409, message: 'The task is not in a state that allows this' },
  VERSION_MISMATCH: { status: 412, message: 'The task was changed since the given version' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL: { status: 500, message: 'Internal error' },
  UNAVAILABLE: { status: 503, message: 'Service unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorCatalog[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return errorCatalog[this.code].status;
  }
}
