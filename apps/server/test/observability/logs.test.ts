import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { waitFor } from '../reminders/helpers.ts';

/**
 * The real server's JSON logs (pino, on stdout): every line of a request and of the event handling it
 * caused carries the same `trace_id` (the caller's `traceparent`), and nothing at info level or above
 * repeats what the user wrote or the credential they sent.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-logs-'));
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' }, await freePort());
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg?: string;
  trace_id?: string;
  consumer?: string;
  [k: string]: unknown;
}

function lines(): LogLine[] {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe('structured logs', () => {
  it('carry the trace id from the HTTP request into the consumers of its events, without task contents', async () => {
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'logs@example.com', password: 'correct-horse-battery', name: 'Logs' }),
    });
    const { token } = (await signUp.json()) as { token: string };
    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    const title = 'Confidential merger plan';
    const res = await fetch(`${server.url}/api/v1/tasks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ title, description: 'Nobody may read this in a log' }),
    });
    expect(res.status).toBe(201);

    const traced = await waitFor(() => {
      const mine = lines().filter((l) => l.trace_id === traceId);
      return mine.some((l) => l.consumer === 'audit') ? mine : undefined;
    }, 'the audit consumer’s log line in the request’s trace');
    // the request's own lines (incoming, completed) and the event handling share the trace id
    expect(traced.some((l) => l.msg === 'request completed')).toBe(true);
    expect(traced.some((l) => l.consumer === 'audit' && l.event_id !== undefined)).toBe(true);

    const all = lines();
    expect(all.length).toBeGreaterThan(5);
    // requests without a traceparent get a fresh trace id each
    const signUpLine = all.find((l) => l.msg === 'request completed' && l.trace_id !== traceId);
    expect(signUpLine?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const visible = all.filter((l) => l.level >= 30).map((l) => JSON.stringify(l));
    for (const secret of [title, 'Nobody may read', token, 'correct-horse-battery']) {
      expect(visible.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});
