import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { freePort, killServer, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { postgresServerDatabase, type ServerDatabase } from '../helpers/server-database.ts';
import { existingTasks, expectExactlyOnce, report, waitForDrain } from './delivery-checks.ts';
import { signUpAccounts, Workload } from './workload.ts';

const rounds = 6;
const writers = 16;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 8: the server killed with SIGKILL at random moments under load (6 rounds, 2–7 s apart) and
 * restarted on the same PostgreSQL database each time, while 16 writers retry whatever a crash cut. In the
 * end every acknowledged create exists and every committed event has exactly one activity row.
 */
describe('kill -9 at random moments under load, on PostgreSQL', () => {
  let target: ServerDatabase | undefined;
  let server: ServerProcess | undefined;
  let database: Database | undefined;
  afterAll(async () => {
    await killServer(server);
    await database?.close();
    await target?.remove();
  });

  it('loses nothing acknowledged and delivers every committed event exactly once', async () => {
    target = await postgresServerDatabase();
    const port = await freePort();
    server = await startServerProcess(target.env, port);
    const url = server.url;
    const accounts = await signUpAccounts(url, 4);
    const load = new Workload({ url: () => url, accounts, writers, retryForMs: 60_000 });
    const started = Date.now();
    load.start();
    const kills: { atMs: number; acknowledged: number; restartMs: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      await sleep(2_000 + Math.random() * 5_000);
      const acknowledged = load.figures.acknowledged;
      const atMs = Date.now() - started;
      await killServer(server);
      const down = Date.now();
      server = await startServerProcess(target.env, port);
      kills.push({ atMs, acknowledged, restartMs: Date.now() - down });
    }
    await sleep(3_000); // writes after the last restart
    await load.stop();
    const writeMs = Date.now() - started;

    database = await target.open();
    const { figures, drainMs } = await waitForDrain(database.db, { timeoutMs: 60_000, offsets: true });
    report('kill-rounds', {
      rounds: kills.length,
      writers,
      writeMs,
      drainMs,
      kills,
      ...load.figures,
      unexpected: load.unexpected.slice(0, 5),
      events: { 'task-events': figures.taskEvents, 'task-updates': figures.taskUpdates },
      auditRows: figures.auditRows,
      missingAudit: figures.missingAudit,
      deadLetters: figures.deadLetters,
    });

    expect(kills).toHaveLength(rounds);
    expect(load.unexpected).toEqual([]);
    const ids = [...load.created.keys()];
    expect((await existingTasks(database.db, ids)).size).toBe(ids.length);
    expectExactlyOnce(figures);
  }, 240_000);
});
