import { postgresServerDatabase } from '../helpers/server-database.ts';
import { describeReminderRestart } from '../reminders/restart.scenario.ts';

// issue 8: the kill -9 reminder scenario of `npm test` (PGlite) on PostgreSQL
describeReminderRestart(() => postgresServerDatabase());
