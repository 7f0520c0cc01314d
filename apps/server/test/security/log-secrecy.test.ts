import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess } from '../events/server-process.ts';

/**
 * A real server process at LOG_LEVEL=trace: sign up, sign in (also with a wrong password), create and use a
 * personal access token, a session token, a cookie and `?access_token=`. Its whole output must not contain
 * any of those secrets.
 */
let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ts-logs-'));
  // the embedded database in a directory of its own: this test is about the process's output
  server = await startServerProcess({ LOG_LEVEL: 'trace', DATA_DIR: dataDir }, await freePort());
}, 90_000);
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('logs', () => {
  it('never contain a password, a session token, a personal access token or search words', async () => {
    const password = 'Pw-correct-horse-7f3a91';
    const wrongPassword = 'Pw-wrong-guess-2b8c44';
    // what a user searches for is task content: it stays out of the logs too
    const searchWord = 'zanzibarquokka';
    const email = `logs-${Date.now()}@example.com`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    const signUp = await post('/api/auth/sign-up/email', { email, password, name: 'Logs' });
    expect(signUp.status).toBe(200);
    const failed = await post('/api/auth/sign-in/email', { email, password: wrongPassword });
    expect(failed.status).toBe(401);
    const signIn = await post('/api/auth/sign-in/email', { email, password });
    expect(signIn.status).toBe(200);
    const session = ((await signIn.json()) as { token: string }).token;
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const bearer = { authorization: `Bearer ${session}` };

    const created = await post('/api/v1/tokens', { name: 'cli' }, bearer);
    expect(created.status).toBe(201);
    const pat = ((await created.json()) as { token: string }).token;
    expect(pat).toMatch(/^tsk_/);

    const uses = [
      fetch(`${server.url}/api/v1/tasks`, { headers: { authorization: `Bearer ${pat}` } }),
      fetch(`${server.url}/api/v1/tasks`, { headers: bearer }),
      fetch(`${server.url}/api/v1/tasks`, { headers: { cookie: cookie.join('; ') } }),
      fetch(`${server.url}/api/v1/tasks?access_token=${pat}`),
      fetch(`${server.url}/api/v1/tasks?q=${searchWord}&filter=${encodeURIComponent(`#${searchWord}`)}`, {
        headers: bearer,
      }),
      fetch(`${server.url}/api/v1/stream?access_token=${session}`),
      fetch(`${server.url}/api/v1/tasks`, { headers: { authorization: `Bearer ${pat}x` } }),
      post('/api/v1/tasks', { title: 'logged?' }, { authorization: `Bearer ${pat}` }),
      post('/api/auth/sign-out', {}, { cookie: cookie.join('; ') }),
    ];
    for (const res of await Promise.all(uses)) expect(res.status).toBeLessThan(500);

    // let the last lines reach the pipe
    await new Promise((r) => setTimeout(r, 300));
    const logs = server.output();
    expect(logs, 'debug lines were written').toContain('"level":20');
    // better-auth's own lines (the failed sign-in) come through the app's JSON logger, not its console output
    const lines = logs.split('\n').filter((l) => l.trim() !== '');
    const authLines = lines.filter((l) => l.includes('"component":"auth"'));
    expect(authLines.length, 'better-auth logged the failed sign-in').toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('[Better Auth]'))).toEqual([]);
    expect(logs).toContain('incoming request');
    const secrets = {
      password,
      wrongPassword,
      session,
      'session id': session.split('.')[0]!,
      pat,
      'search words': searchWord,
      ...Object.fromEntries(cookie.map((c, i) => [`cookie ${i}`, c.slice(c.indexOf('=') + 1)])),
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(logs.includes(value), `the logs contain the ${name}`).toBe(false);
      expect(logs.includes(encodeURIComponent(value)), `the logs contain the ${name} (URL-encoded)`).toBe(
        false,
      );
    }
  }, 60_000);
});
