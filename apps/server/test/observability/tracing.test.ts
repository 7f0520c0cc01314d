import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { waitFor } from '../reminders/helpers.ts';

/** A span as OTLP/JSON carries it (ids hex, kind 2 server, 3 client, 4 producer, 5 consumer). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
  links?: { traceId: string; spanId: string }[];
}

/** An in-process OTLP/HTTP receiver: what a collector would get on `/v1/traces`. */
class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly services = new Set<string>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (
          req.method === 'POST' &&
          req.url === '/v1/traces' &&
          /json/.test(req.headers['content-type'] ?? '')
        ) {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            resourceSpans: {
              resource: { attributes: OtlpSpan['attributes'] };
              scopeSpans: { spans: OtlpSpan[] }[];
            }[];
          };
          for (const rs of body.resourceSpans) {
            const service = rs.resource.attributes.find((a) => a.key === 'service.name');
            if (service?.value.stringValue) this.services.add(service.value.stringValue);
            for (const ss of rs.scopeSpans) this.spans.push(...ss.spans);
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(415).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};

const receiver = new OtlpReceiver();
let t: TestApp;

beforeAll(async () => {
  await receiver.start();
  t = await createTestApp({
    config: { otel: { endpoint: receiver.url, serviceName: 'taskstream-test' } },
  });
});
afterAll(async () => {
  await t?.close();
  await receiver.stop();
});

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('joins an HTTP write and the consumers of its events in one trace', async () => {
    const u = await t.signUp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.headers,
      payload: { title: 'Traced' },
    });
    expect(res.statusCode).toBe(201);

    const server = await waitFor(
      () => receiver.spans.find((s) => s.kind === 2 && s.name === 'POST /api/v1/tasks'),
      'the server span of the write',
    );
    expect(attr(server, 'http.route')).toBe('/api/v1/tasks');
    expect(attr(server, 'http.response.status_code')).toBe(201);
    const consumer = await waitFor(
      () =>
        receiver.spans.find(
          (s) =>
            s.kind === 5 &&
            s.traceId === server.traceId &&
            attr(s, 'messaging.consumer.group.name') === 'audit',
        ),
      'the audit consumer span in the same trace',
    );
    // the event carried the server span's context, so the consumer is its child
    expect(consumer.parentSpanId).toBe(server.spanId);
    expect(attr(consumer, 'messaging.destination.name')).toBe('task-events');
    expect(attr(consumer, 'cloudevents.event_type')).toBe('task.created');
    expect(receiver.services).toEqual(new Set(['taskstream-test']));

    // the queries of the write and of the consumer (PostgreSQL or PGlite) are spans of the same trace
    const queries = receiver.spans.filter((s) => s.kind === 3 && s.traceId === server.traceId);
    expect(queries.some((q) => q.parentSpanId === server.spanId && q.name === 'INSERT')).toBe(true);
    expect(queries.some((q) => q.parentSpanId === consumer.spanId)).toBe(true);
    // statements only: the task's title is a bind parameter and never recorded
    expect(queries.every((q) => !String(attr(q, 'db.query.text')).includes('Traced'))).toBe(true);
  });

  it('reaches every write from its consumer: one span per event, or a batch span linked to each', async () => {
    const u = await t.signUp();
    // each write in a trace of its own, named by the caller
    const traceIds = Array.from({ length: 8 }, (_, i) => `${'b'.repeat(31)}${i}`);
    const writes = await Promise.all(
      traceIds.map((traceId, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/tasks',
          headers: { ...u.headers, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
          payload: { title: `Burst ${i}` },
        }),
      ),
    );
    expect(writes.every((w) => w.statusCode === 201)).toBe(true);
    const burst = await waitFor(() => {
      const found = traceIds.map((id) => receiver.spans.find((s) => s.kind === 2 && s.traceId === id));
      return found.every(Boolean) ? (found as OtlpSpan[]) : undefined;
    }, 'the server spans of the burst');
    await waitFor(
      () =>
        burst.every((server) =>
          receiver.spans.some(
            (s) =>
              s.kind === 5 &&
              attr(s, 'messaging.consumer.group.name') === 'audit' &&
              (s.parentSpanId === server.spanId || s.links?.some((l) => l.spanId === server.spanId)),
          ),
        ),
      'an audit span for each write of the burst',
    );
  });

  it("continues the caller's trace when the request carries a traceparent", async () => {
    const u = await t.signUp();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { ...u.headers, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      payload: { title: 'Continued' },
    });
    const server = await waitFor(
      () => receiver.spans.find((s) => s.kind === 2 && s.traceId === traceId),
      'the server span in the caller’s trace',
    );
    expect(server.parentSpanId).toBe('00f067aa0ba902b7');
    await waitFor(
      () => receiver.spans.find((s) => s.kind === 5 && s.traceId === traceId),
      'a consumer span in the caller’s trace',
    );
  });
});
