import type { Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ensureTraceparent } from '../infra/events/cloud-event.ts';
import {
  endSpan,
  SpanKind,
  startSpan,
  traceIdOf,
  traceparentOf,
  withActiveSpan,
} from '../infra/telemetry/tracing.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * This request's W3C trace context: the caller's `traceparent` (or a fresh one), or with tracing on the
     * request's own server span. Writes put it on their events, so consumers continue the same trace.
     */
    traceparent: string;
  }
}

/**
 * Every request gets a trace: its log lines carry `trace_id`, and with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT)
 * a server span is active while the handler runs, so its queries and the events it writes join it.
 */
export async function requestTracing(app: FastifyInstance) {
  app.decorateRequest('traceparent', '');
  const spans = new WeakMap<FastifyRequest, Span>();

  app.addHook('onRequest', (req, _reply, done) => {
    const header = req.headers.traceparent;
    const incoming = typeof header === 'string' ? header : undefined;
    const span = startSpan(req.method, SpanKind.SERVER, incoming, {
      'http.request.method': req.method,
      'url.path': req.url.split('?')[0]!,
    });
    if (span) spans.set(req, span);
    req.traceparent = span ? traceparentOf(span) : ensureTraceparent(incoming);
    // the request's logger is already its own child (reqId): bind the trace id to it rather than nest another
    (req.log as Partial<Pick<Logger, 'setBindings'>>).setBindings?.({ trace_id: traceIdOf(req.traceparent) });
    done();
  });

  // after the body is parsed: the handler (and every hook after this one) runs with the span active
  app.addHook('preHandler', (req, _reply, done) => {
    withActiveSpan(spans.get(req), done);
  });

  app.addHook('onResponse', async (req, reply) => {
    const span = spans.get(req);
    if (!span) return;
    const route = req.routeOptions.url;
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', reply.statusCode);
    endSpan(span, reply.statusCode >= 500 ? new Error(`HTTP ${reply.statusCode}`) : undefined);
  });
}
