import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../events/server-process.ts';
import type { ServerDatabase } from '../helpers/server-database.ts';
import { sleep, waitFor } from './helpers.ts';

const bin = new URL('../../bin/taskstream.js', import.meta.url).pathname;

/**
 * Must-show (issue 5): the real server (`node apps/server/bin/taskstream.js serve`) is killed with SIGKILL
 * before a reminder's fire time and started again after it: the reminder still arrives, once. Real time: the
 * reminder fires 30 s after the task is created. Runs on PGlite in a temp DATA_DIR in `npm test` and on
 * PostgreSQL in the fault pass (issue 8).
 */
export function describeReminderRestart(makeDatabase: () => Promise<ServerDatabase>): void {
  const hooks: string[] = [];
  let receiver: Server;
  let port: number;
  let child: ChildProcess | undefined;
  let target: ServerDatabase;

  async function startServer(): Promise<void> {
    // only the target's database, whatever the environment says about PostgreSQL
    const { DATABASE_URL: _pg, TEST_DATABASE_URL: _test, ...env } = process.env;
    child = spawn(process.execPath, [bin, 'serve'], {
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...target.env,
        LOG_LEVEL: 'warn',
        BASE_URL: `http://127.0.0.1:${port}`,
        // the webhook receiver of this test listens on loopback
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
      'the server to be ready',
      60_000,
    );
  }

  function kill9(): Promise<void> {
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  beforeAll(async () => {
    target = await makeDatabase();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(Buffer.concat(chunks).toString('utf8'));
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = await freePort();
  });
  afterAll(async () => {
    await kill9();
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
    await target.remove();
  });

  describe('kill -9 before the fire time', () => {
    it('the reminder still arrives after the restart, exactly once', { timeout: 180_000 }, async () => {
      await startServer();
      const base = `http://127.0.0.1:${port}`;
      const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'restart@example.com', password: 'correct-horse-battery', name: 'R' }),
      });
      expect(signUp.status).toBe(200);
      const { token } = (await signUp.json()) as { token: string };
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return {
          status: res.status,
          body: (await res.json()) as Record<string, unknown> & { items?: { task_id: string }[] },
        };
      };
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      expect(
        (await call('PUT', '/settings/notifications', { webhook_url: hookUrl, webhook_enabled: true }))
          .status,
      ).toBe(200);
      const created = Date.now();
      const task = await call('POST', '/tasks', {
        title: 'Survives a crash',
        due: { at: new Date(created + 90_000).toISOString() },
        reminders: [{ before: 'PT1M' }],
      });
      expect(task.status).toBe(201);
      const fireAt = created + 30_000;
      await sleep(2_000); // let the notifier arm the job

      await kill9();
      expect(hooks).toHaveLength(0);
      await sleep(Math.max(0, fireAt + 2_000 - Date.now())); // down while the reminder comes due

      await startServer();
      await waitFor(() => hooks.length >= 1, 'the webhook after the restart', 30_000);
      await sleep(3_000);
      expect(hooks).toHaveLength(1);
      expect(JSON.parse(hooks[0]!)).toMatchObject({
        type: 'reminder.due',
        notification: { title: 'Survives a crash' },
      });
      const mine = (await call('GET', '/notifications')).body.items!.filter(
        (n) => n.task_id === task.body.id,
      );
      expect(mine).toHaveLength(1);
    });
  });
}
