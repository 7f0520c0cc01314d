import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { freePort, killServer, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { StreamClient } from '../events/ws-client.ts';
import { postgresServerDatabase, type ServerDatabase } from '../helpers/server-database.ts';
import {
  compareStreams,
  existingTasks,
  expectExactlyOnce,
  report,
  taskUpdateIds,
  waitForDrain,
} from './delivery-checks.ts';
import { signUpAccounts, Workload } from './workload.ts';

const soakMs = 35_000;
const writers = 20;
const users = 4;

/**
 * Issue 8: the outside check that lost 3 of 19,162 task events with no crash at all. The real server, every
 * role in one process on PostgreSQL, 20 concurrent writers for 35 s; one live WebSocket client per user
 * throughout. After draining, every committed event was handled exactly once by every durable consumer and
 * each client received every `task-updates` event of its user, in log order.
 */
describe('soak: every role in one process on PostgreSQL', () => {
  let target: ServerDatabase | undefined;
  let server: ServerProcess | undefined;
  let database: Database | undefined;
  const streams: StreamClient[] = [];
  afterAll(async () => {
    for (const s of streams) s.close();
    await killServer(server);
    await database?.close();
    await target?.remove();
  });

  it('delivers every event exactly once and every live update in order', async () => {
    target = await postgresServerDatabase();
    server = await startServerProcess(target.env, await freePort());
    const url = server.url;
    const accounts = await signUpAccounts(url, users);
    for (const a of accounts) {
      const s = await StreamClient.connect(`${url.replace('http', 'ws')}/api/v1/stream`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      streams.push(s);
      await s.waitFor((c) => c.messages.some((m) => m.type === 'hello'), 10_000, 'hello');
    }

    const load = new Workload({ url: () => url, accounts, writers });
    const started = Date.now();
    await load.runFor(soakMs);
    const writeMs = Date.now() - started;

    database = await target.open();
    const { figures, drainMs } = await waitForDrain(database.db, { timeoutMs: 60_000, offsets: true });
    const live = [];
    for (const [i, a] of accounts.entries()) {
      const expected = await taskUpdateIds(database.db, a.id);
      const stream = streams[i]!;
      await stream
        .waitFor((c) => c.events().length >= expected.length, 30_000, 'live updates')
        .catch(() => {});
      live.push(
        compareStreams(
          expected,
          stream.events().map((m) => m.id!),
        ),
      );
    }
    report('soak', {
      writers,
      users,
      writeMs,
      drainMs,
      ...load.figures,
      events: { 'task-events': figures.taskEvents, 'task-updates': figures.taskUpdates },
      auditRows: figures.auditRows,
      completions: figures.completions,
      missingAudit: figures.missingAudit,
      deadLetters: figures.deadLetters,
      live: live.map((l) => ({ ...l, missing: l.missing.length, foreign: l.foreign.length })),
    });

    expect(load.unexpected).toEqual([]);
    expect(writeMs).toBeGreaterThanOrEqual(30_000);
    const ids = [...load.created.keys()];
    expect((await existingTasks(database.db, ids)).size).toBe(ids.length);
    expectExactlyOnce(figures);
    for (const [i, l] of live.entries()) {
      expect(l, `live client of user ${i}`).toEqual({
        expected: l.expected,
        received: l.expected,
        missing: [],
        foreign: [],
        duplicates: 0,
        firstMisorder: -1,
      });
      expect(streams[i]!.closed).toBeUndefined();
    }
  }, 180_000);
});
