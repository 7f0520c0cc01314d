import { describeCrashSafety } from '../events/crash-safety.scenario.ts';
import { postgresServerDatabase } from '../helpers/server-database.ts';

// issue 8: the crash scenario of `npm test` (PGlite, one connection) on PostgreSQL, where writers really
// run concurrently and commit out of seq order
describeCrashSafety(() => postgresServerDatabase());
