import { pgliteServerDatabase } from '../helpers/server-database.ts';
import { describeCrashSafety } from './crash-safety.scenario.ts';

// the embedded shape; the fault pass runs the same scenario on PostgreSQL (test/faults)
describeCrashSafety(async () => pgliteServerDatabase());
