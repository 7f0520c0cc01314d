import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { CloudEvent } from '../events/cloud-event.ts';

/**
 * OpenTelemetry traces over OTLP/HTTP (issue 11 item 6), on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Off, every helper below is one `undefined` check: no spans, no context manager, no exporter.
 *
 * Spans are made by hand at the few seams that matter (HTTP requests, queries, publishing, consuming) rather
 * than by auto-instrumentation, which needs loader hooks that do not fit an ESM app run by tsx. HTTP, the
 * database and pub/sub join into one trace through the W3C `traceparent` every CloudEvent already carries.
 */
let tracer: Tracer | undefined;
let provider: NodeTracerProvider | undefined;
let users = 0;

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces` */
  endpoint: string;
  serviceName: string;
}

/**
 * Starts exporting (once per process: the tracer and its context manager are process-wide). Each start
 * must be paired with `stopTracing`; the last stop flushes and unregisters.
 */
export async function startTracing(opts: TracingOptions): Promise<void> {
  users++;
  if (provider) return;
  // loaded only when tracing is on, so a process without it does not even load the SDK
  const [
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, NodeTracerProvider },
    semconv,
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: opts.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` }),
        { scheduledDelayMillis: 1_000 },
      ),
    ],
  });
  // the AsyncLocalStorage context manager and the W3C propagator, so `context.with` follows async calls
  provider.register();
  tracer = provider.getTracer('taskstream');
}

/** Flushes the spans still buffered, then turns tracing off when no one else uses it. */
export async function stopTracing(): Promise<void> {
  if (!provider) return;
  users = Math.max(0, users - 1);
  if (users > 0) {
    await provider.forceFlush();
    return;
  }
  const p = provider;
  provider = undefined;
  tracer = undefined;
  await p.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace id of a W3C traceparent (for log lines), or undefined when it is not one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? traceparentPattern.exec(traceparent)?.[1] : undefined;
}

/** The remote span a traceparent names, if it names one. */
function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const m = traceparent ? traceparentPattern.exec(traceparent) : null;
  if (!m) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, traceFlags: Number.parseInt(m[3]!, 16), isRemote: true };
}

/** A context whose parent is the remote span a traceparent names (the root context when it names none). */
function contextOf(traceparent: string | undefined): Context {
  const parent = spanContextOf(traceparent);
  return parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
}

/** The traceparent that makes a span the parent of what follows (an event, a downstream call). */
export function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-0${c.traceFlags & 1}`;
}

/** Starts a span whose parent is `traceparent`'s; undefined when tracing is off. The caller ends it. */
export function startSpan(
  name: string,
  kind: SpanKind,
  traceparent: string | undefined,
  attributes: Attributes,
): Span | undefined {
  return tracer?.startSpan(name, { kind, attributes }, contextOf(traceparent));
}

/** Runs `fn` with `span` as the active span (so queries and events inside join its trace). */
export function withActiveSpan<T>(span: Span | undefined, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/** Ends a span with the outcome of the work it covered. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** `fn` inside a span (child of `traceparent`, or of the active span when none is given). */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  traceparent: string | undefined,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  if (!tracer) return fn();
  const span =
    traceparent === undefined
      ? tracer.startSpan(name, { kind, attributes })
      : tracer.startSpan(name, { kind, attributes }, contextOf(traceparent));
  return runIn(span, context.active(), fn);
}

/** `fn` with `span` active (on top of `parent`), then the span ended with its outcome. */
async function runIn<T>(span: Span, parent: Context, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await context.with(trace.setSpan(parent, span), fn);
    endSpan(span);
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/** A consumer handling one event: a span in the event's trace (the write that caused it). */
export function inConsumerSpan<T>(
  event: CloudEvent,
  topic: string,
  consumer: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!tracer) return fn();
  return inSpan(
    `${topic} process`,
    SpanKind.CONSUMER,
    event.traceparent,
    {
      'messaging.system': 'taskstream',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.consumer.group.name': consumer,
      'messaging.message.id': event.id,
      'cloudevents.event_type': event.type,
    },
    fn,
  );
}

/**
 * A consumer handling several events at once (the embedded bus's batches): they may belong to as many traces,
 * so the span starts a trace of its own, linked to each event's (OpenTelemetry's messaging conventions).
 */
export async function inBatchSpan<T>(
  events: readonly CloudEvent[],
  topic: string,
  consumer: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!tracer) return fn();
  if (events.length === 1) return inConsumerSpan(events[0]!, topic, consumer, fn);
  const links = events.flatMap((e) => {
    const context = spanContextOf(e.traceparent);
    return context ? [{ context, attributes: { 'messaging.message.id': e.id } }] : [];
  });
  const span = tracer.startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'taskstream',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': consumer,
        'messaging.batch.message_count': events.length,
      },
    },
    ROOT_CONTEXT,
  );
  return runIn(span, ROOT_CONTEXT, fn);
}

/** Whether a span is active here: database spans are only made inside a traced request or event. */
export function hasActiveSpan(): boolean {
  return tracer !== undefined && trace.getSpan(context.active()) !== undefined;
}

export { SpanKind };

// biome-ignore lint/suspicious/noExplicitAny: node-postgres' query has many overloads; the wrapper passes them through
type AnyQuery = (...args: any[]) => any;

/**
 * Wraps a node-postgres client's (or PGlite's) `query` so that each query made inside a traced request or event gets a
 * client span (statement text only: values are bind parameters and never recorded). Outside a trace, and
 * whenever tracing is off, the original runs after one check.
 */
export function traceQueries(client: { query: AnyQuery }): void {
  const original: AnyQuery = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    if (!tracer || !hasActiveSpan()) return original(...args);
    const first = args[0] as string | { text?: string } | undefined;
    const text = (typeof first === 'string' ? first : first?.text) ?? '';
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    const span = tracer.startSpan(operation, {
      kind: SpanKind.CLIENT,
      // PGlite is PostgreSQL too (in WASM), so one system name serves both shapes
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, 2_000) },
    });
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      return original(...args.slice(0, -1), (err: unknown, res: unknown) => {
        endSpan(span, err ?? undefined);
        (last as AnyQuery)(err, res);
      });
    }
    const result = original(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<unknown>).then(
        (r) => {
          endSpan(span);
          return r;
        },
        (err: unknown) => {
          endSpan(span, err);
          throw err;
        },
      );
    }
    endSpan(span);
    return result;
  };
}
