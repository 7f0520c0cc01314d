interface PgErrorFields {
  code?: string;
  constraint?: string;
  cause?: PgErrorFields;
}

/**
 * The constraint named by a foreign-key violation (SQLSTATE 23503), whether the driver's error arrives as is
 * or wrapped by Drizzle (as its `cause`); undefined for any other error.
 */
export function violatedForeignKey(err: unknown): string | undefined {
  for (let e = err as PgErrorFields | undefined; e; e = e.cause) {
    if (e.code === '23503') return e.constraint ?? '';
  }
  return undefined;
}
