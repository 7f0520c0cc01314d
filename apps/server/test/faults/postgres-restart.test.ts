import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { freePort, killServer, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { postgresServerDatabase, type ServerDatabase } from '../helpers/server-database.ts';
import { existingTasks, expectExactlyOnce, report, waitForDrain } from './delivery-checks.ts';
import { createPrivateCluster, type PrivateCluster } from './private-cluster.ts';
import { signUpAccounts, Workload } from './workload.ts';

const writers = 16;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyz(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Issue 8: PostgreSQL restarted under load (`pg_ctlcluster … restart -m fast`, on a private cluster). The
 * server is not restarted: it must recover by itself (ready again, writes succeed), lose nothing it
 * acknowledged, and every committed event still gets its activity row.
 */
describe('PostgreSQL restarted under load', () => {
  let cluster: PrivateCluster | undefined;
  let target: ServerDatabase | undefined;
  let server: ServerProcess | undefined;
  let database: Database | undefined;
  afterAll(async () => {
    await killServer(server);
    await database?.close();
    await target?.remove().catch(() => {});
    await cluster?.drop();
  });

  it('the server recovers by itself and loses nothing', async () => {
    cluster = await createPrivateCluster();
    target = await postgresServerDatabase(cluster.url);
    server = await startServerProcess(target.env, await freePort());
    const url = server.url;
    const accounts = await signUpAccounts(url, 4);
    // a request cut by the restart is retried, as a client would
    const load = new Workload({ url: () => url, accounts, writers, retryForMs: 60_000 });
    const started = Date.now();
    load.start();
    await sleep(8_000);

    // watch readiness while the database goes away and comes back
    const seen = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add(await readyz(url));
        await sleep(100);
      }
    })();
    const before = load.figures.acknowledged;
    const restartStarted = Date.now();
    await cluster.restart();
    const restartMs = Date.now() - restartStarted;
    let readyAgainMs = -1;
    while (Date.now() - restartStarted < 45_000) {
      if ((await readyz(url)) === 200) {
        readyAgainMs = Date.now() - restartStarted;
        break;
      }
      await sleep(100);
    }
    if (readyAgainMs < 0) {
      watching = false;
      throw new Error(
        `not ready 45 s after the restart (readyz seen: ${[...seen]}); server output:\n${server.output().slice(-3_000)}`,
      );
    }
    // writes go through again: clearly more acknowledged than when the restart began
    const until = Date.now() + 30_000;
    while (load.figures.acknowledged < before + 200 && Date.now() < until) await sleep(100);
    const writesAgainMs = Date.now() - restartStarted;
    await sleep(5_000);
    watching = false;
    await watcher;
    await load.stop();
    const writeMs = Date.now() - started;

    database = await target.open();
    const { figures, drainMs } = await waitForDrain(database.db, { timeoutMs: 60_000, offsets: true });
    report('postgres-restart', {
      cluster: cluster.name,
      writers,
      writeMs,
      restartMs,
      readyAgainMs,
      writesAgainMs,
      readyzSeen: [...seen].sort(),
      drainMs,
      ...load.figures,
      unexpected: load.unexpected.slice(0, 5),
      events: { 'task-events': figures.taskEvents, 'task-updates': figures.taskUpdates },
      auditRows: figures.auditRows,
      missingAudit: figures.missingAudit,
      deadLetters: figures.deadLetters,
    });

    expect(server.child.exitCode).toBeNull();
    expect(readyAgainMs).toBeGreaterThanOrEqual(0);
    expect(load.figures.acknowledged).toBeGreaterThanOrEqual(before + 200);
    expect(load.unexpected).toEqual([]);
    const ids = [...load.created.keys()];
    expect((await existingTasks(database.db, ids)).size).toBe(ids.length);
    expectExactlyOnce(figures);
  }, 180_000);
});
