import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../events/server-process.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { waitFor } from '../reminders/helpers.ts';

/**
 * A real Prometheus (Debian's package; .ci/run installs it) scrapes a running server's `/metrics` and answers
 * a PromQL query with what the server counted: the exposition is valid for the real parser, not just ours.
 */
function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const prometheusBin = which('prometheus');

let t: TestApp;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let output = '';
const dir = mkdtempSync(join(tmpdir(), 'taskstream-prometheus-'));

beforeAll(async () => {
  if (!prometheusBin) return;
  t = await createTestApp();
  const target = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).host;
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: taskstream',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  prometheus = spawn(
    prometheusBin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (d) => {
    output += d;
  });
  prometheus.stderr!.on('data', (d) => {
    output += d;
  });
});

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: [] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

describe.skipIf(!prometheusBin)('scraped by a real Prometheus', () => {
  it('reads back what the server counted', async () => {
    const u = await t.signUp();
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: u.headers,
        payload: { title: `Scraped ${i}` },
      });
      expect(res.statusCode).toBe(201);
    }
    try {
      const [up] = await waitFor(
        async () => {
          const r = await query('up{job="taskstream"}').catch(() => []);
          return r.length > 0 && r[0]!.value[1] === '1' ? r : undefined;
        },
        'Prometheus to scrape the server successfully',
        30_000,
      );
      expect(up!.metric.job).toBe('taskstream');
      const created = await waitFor(
        async () => {
          const r = await query(
            'taskstream_http_requests_total{method="POST",route="/api/v1/tasks",status="201"}',
          );
          return r.length > 0 ? r : undefined;
        },
        'the request counter in Prometheus',
        15_000,
      );
      expect(Number(created[0]!.value[1])).toBe(3);
      // a histogram and a process metric made it through the real parser too
      expect(
        await query('taskstream_http_request_duration_seconds_count{route="/api/v1/tasks"}'),
      ).not.toHaveLength(0);
      expect(await query('process_resident_memory_bytes{job="taskstream"}')).not.toHaveLength(0);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus output:\n${output.slice(-3_000)}`);
    }
  }, 60_000);
});
