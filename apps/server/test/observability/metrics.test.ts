import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { waitFor } from '../reminders/helpers.ts';
import { parseMetrics, sampleValue } from './prometheus-text.ts';

let t: TestApp;
let u: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp();
});
afterAll(async () => {
  await t.close();
});

async function scrape() {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body);
}

describe('/metrics', () => {
  it('counts requests by route template (not by URL) and status, and times them', async () => {
    const before = sampleValue(await scrape(), 'taskstream_http_requests_total', {
      method: 'POST',
      route: '/api/v1/tasks',
      status: '201',
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: { title: 'Counted' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await t.app.inject({ method: 'GET', url: `/api/v1/tasks/${id}`, headers: u.headers });
    await t.app.inject({ method: 'GET', url: '/no/such/route' });
    const m = await scrape();
    expect(
      sampleValue(m, 'taskstream_http_requests_total', {
        method: 'POST',
        route: '/api/v1/tasks',
        status: '201',
      }),
    ).toBe(before + 1);
    expect(
      sampleValue(m, 'taskstream_http_requests_total', {
        method: 'GET',
        route: '/api/v1/tasks/:id',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    // unknown URLs share one label value, so scanners cannot blow up the series count
    expect(
      sampleValue(m, 'taskstream_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(m.samples.some((s) => s.labels.route?.includes(id))).toBe(false);
    expect(
      sampleValue(m, 'taskstream_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/tasks',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts events published and consumed per topic and consumer, with no lag once drained', async () => {
    const consumed = () =>
      scrape().then((m) =>
        sampleValue(m, 'taskstream_events_consumed_total', { topic: 'task-events', consumer: 'audit' }),
      );
    const before = await consumed();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: { title: 'Audited' },
    });
    await waitFor(async () => (await consumed()) > before, 'the audit consumer to count the event');
    const m = await scrape();
    expect(sampleValue(m, 'taskstream_events_published_total', { topic: 'task-events' })).toBeGreaterThan(0);
    expect(sampleValue(m, 'taskstream_events_published_total', { topic: 'task-updates' })).toBeGreaterThan(0);
    await waitFor(
      async () =>
        sampleValue(await scrape(), 'taskstream_consumer_lag', {
          topic: 'task-events',
          consumer: 'audit',
        }) === 0,
      'the audit lag to drain',
    );
  });

  it('exports process metrics and the scrape-time gauges', async () => {
    const m = await scrape();
    for (const name of [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'taskstream_outbox_pending',
      'taskstream_outbox_oldest_age_seconds',
      'taskstream_websocket_connections',
      'taskstream_db_pool_total',
      'taskstream_reminder_lateness_seconds',
    ]) {
      expect(m.types.has(name), name).toBe(true);
    }
    // the embedded log is the outbox itself: nothing waits for a relay
    expect(sampleValue(m, 'taskstream_outbox_pending', {})).toBe(0);
  });
});
