import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess } from './server-process.ts';

/**
 * The cloud shape without a sidecar (a pod whose daprd is not up yet): the app must still listen, so that
 * the sidecar can reach it, answer liveness, report not-ready, and serve its subscriptions.
 */
describe('EVENT_BUS=dapr SCHEDULER=dapr with no sidecar running', () => {
  let server: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskstream-dapr-'));
    // a port with nothing behind it stands in for the absent sidecar
    const daprPort = await freePort();
    server = await startServerProcess(
      { DATA_DIR: dir, EVENT_BUS: 'dapr', SCHEDULER: 'dapr', DAPR_HTTP_PORT: String(daprPort) },
      await freePort(),
    );
  }, 90_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts: /healthz 200, /readyz 503 naming the bus', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('not_ready');
    expect(body.checks.database).toBe('ok');
    expect(body.checks.bus).toMatch(/sidecar not ready/);
  });

  it('/dapr/subscribe lists task-events, reminders and task-updates, each with a route and a dead-letter topic', async () => {
    // from loopback, as the sidecar calls (no APP_API_TOKEN configured)
    const res = await fetch(`${server.url}/dapr/subscribe`);
    expect(res.status).toBe(200);
    const subs = (await res.json()) as {
      pubsubname: string;
      topic: string;
      routes: { default: string };
      deadLetterTopic: string;
    }[];
    expect(subs.map((s) => s.topic).sort()).toEqual(['reminders', 'task-events', 'task-updates']);
    for (const s of subs) {
      expect(s.pubsubname).toBe('kafka-pubsub');
      expect(s.routes.default).toBe(`/dapr/topics/${s.topic}`);
      expect(s.deadLetterTopic).toBe(`${s.topic}-dlq`);
    }
  });
});
