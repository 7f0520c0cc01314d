import client from 'prom-client';

/**
 * The process's Prometheus instruments (issue 11 item 6). Counters and histograms live here, in one
 * process-wide registry, so that the hot paths that feed them (the buses, the notifier) need no plumbing and
 * pay one in-memory increment each. Gauges that describe a running app (outbox, lag, pool, sockets) are
 * computed at scrape time by plugins/metrics.ts instead.
 *
 * Names are agreed with deploy/observability (dashboards and alerts); a test checks that every name used
 * there is exported.
 */
export const metricsRegistry = new client.Registry();

// process_* and nodejs_* (CPU, memory, event loop lag, GC, handles), under their usual names
client.collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

export const httpRequests = new client.Counter({
  name: 'taskstream_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpDuration = new client.Histogram({
  name: 'taskstream_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const eventsPublished = new client.Counter({
  name: 'taskstream_events_published_total',
  help: 'Events handed to the bus (Dapr: accepted by the sidecar; embedded: final in the outbox log)',
  labelNames: ['topic'] as const,
  registers,
});

export const eventsConsumed = new client.Counter({
  name: 'taskstream_events_consumed_total',
  help: 'Events a consumer handled successfully',
  labelNames: ['topic', 'consumer'] as const,
  registers,
});

export const eventsFailed = new client.Counter({
  name: 'taskstream_events_failed_total',
  help: 'Failed handler runs (each retry counts), by topic and consumer',
  labelNames: ['topic', 'consumer'] as const,
  registers,
});

export const consumerLag = new client.Gauge({
  name: 'taskstream_consumer_lag',
  help: 'Events a consumer in this process has received or read and not finished yet',
  labelNames: ['topic', 'consumer'] as const,
  registers,
});

export const deadLettersTotal = new client.Counter({
  name: 'taskstream_dead_letters_total',
  help: 'Events a consumer gave up on (parked in dead_letters)',
  labelNames: ['consumer'] as const,
  registers,
});

export const reminderLateness = new client.Histogram({
  name: 'taskstream_reminder_lateness_seconds',
  help: 'How long after its fire time a reminder fired',
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
  registers,
});

export const notificationsDelivered = new client.Counter({
  name: 'taskstream_notifications_delivered_total',
  help: 'Notifications delivered, by channel (in_app, webhook, email)',
  labelNames: ['channel'] as const,
  registers,
});

export const notificationsFailed = new client.Counter({
  name: 'taskstream_notifications_failed_total',
  help: 'Notifications that could not be delivered after their retries, by channel',
  labelNames: ['channel'] as const,
  registers,
});
