import { pgliteServerDatabase } from '../helpers/server-database.ts';
import { describeReminderRestart } from './restart.scenario.ts';

// the embedded shape; the fault pass runs the same scenario on PostgreSQL (test/faults)
describeReminderRestart(async () => pgliteServerDatabase());
