import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Clock } from '../infra/clock/clock.ts';
import type { Database } from '../infra/db/db.ts';
import { outbox } from '../infra/db/schema.ts';
import { httpDuration, httpRequests, metricsRegistry } from '../infra/telemetry/metrics.ts';

export interface MetricsOptions {
  database: Database;
  clock: Clock;
  /** this process relays the outbox (Dapr shape, api role): report what still waits to be published */
  relaysOutbox: boolean;
  /** open WebSocket connections of this process (realtime role) */
  websocketConnections?: () => number;
}

/** The outbox gauges look at no more than this many unpublished rows, so a scrape stays cheap in a backlog. */
const outboxScanLimit = 10_000;

/**
 * `GET /metrics` in the Prometheus text format (issue 11 item 6), on every role. Requests are counted and
 * timed in memory (route template, not the URL, so cardinality stays bounded); gauges about this app — outbox
 * backlog, connection pool, WebSocket connections — are computed when scraped, the outbox with one bounded
 * query, so requests never pay for metrics with a database round trip.
 */
export async function metricsPlugin(app: FastifyInstance, opts: MetricsOptions) {
  const registry = new client.Registry();
  const registers = [registry];
  const pending = new client.Gauge({
    name: 'taskstream_outbox_pending',
    help: `Outbox rows not yet published, counted up to ${outboxScanLimit} (0 where nothing is relayed: the embedded log is the outbox itself)`,
    registers,
  });
  const oldestAge = new client.Gauge({
    name: 'taskstream_outbox_oldest_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none)',
    registers,
  });
  const sockets = new client.Gauge({
    name: 'taskstream_websocket_connections',
    help: 'Open WebSocket connections',
    registers,
  });
  const poolTotal = new client.Gauge({
    name: 'taskstream_db_pool_total',
    help: 'Database connections in the pool (0 on embedded PGlite, which has no pool)',
    registers,
  });
  const poolIdle = new client.Gauge({
    name: 'taskstream_db_pool_idle',
    help: 'Idle database connections in the pool',
    registers,
  });
  const poolWaiting = new client.Gauge({
    name: 'taskstream_db_pool_waiting',
    help: 'Queries waiting for a database connection',
    registers,
  });

  async function refresh(): Promise<void> {
    if (opts.relaysOutbox) {
      // the partial index on unpublished rows serves both; the limit bounds the work in a backlog
      const result = await opts.database.db.execute(sql`
        select count(*)::int as pending, min(created_at) as oldest
        from (select created_at from ${outbox} where published_at is null order by seq limit ${outboxScanLimit}) t`);
      const row = (result as unknown as { rows: { pending: number; oldest: string | Date | null }[] })
        .rows[0];
      pending.set(row?.pending ?? 0);
      const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
      oldestAge.set(oldest === undefined ? 0 : Math.max(0, opts.clock.now().getTime() - oldest) / 1000);
    }
    if (opts.websocketConnections) sockets.set(opts.websocketConnections());
    const pool = opts.database.poolStats?.();
    if (pool) {
      poolTotal.set(pool.total);
      poolIdle.set(pool.idle);
      poolWaiting.set(pool.waiting);
    }
  }

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Prometheus metrics', hide: true } },
    async (_req, reply) => {
      await refresh();
      const text = `${await metricsRegistry.metrics()}\n${await registry.metrics()}`;
      return reply.type(metricsRegistry.contentType).send(text);
    },
  );
}
