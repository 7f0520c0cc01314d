/** True for a unique violation (SQLSTATE 23505), whether the driver's error arrives as is or wrapped by Drizzle. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/**
 * The constraint named by a foreign-key violation (SQLSTATE 23503), whether the driver's error arrives as is or
 * wrapped by Drizzle (as its `cause`); undefined for any other error.
 */
export function violatedForeignKey(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pgError = e?.code === '23503' ? e : e?.cause?.code === '23503' ? e.cause : undefined;
  return pgError ? (pgError.constraint ?? '') : undefined;
}
