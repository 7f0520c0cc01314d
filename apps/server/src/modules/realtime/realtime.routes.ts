import { and, asc, eq, gt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RawData } from 'ws';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { outbox } from '../../infra/db/schema.ts';
import type { CloudEvent } from '../../infra/events/cloud-event.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { findInputProblems } from '../../plugins/input-guard.ts';
import type { RealtimeGateway, StreamConnection } from './realtime.gateway.ts';

export interface RealtimeRoutesOptions {
  gateway: RealtimeGateway;
  db: Db;
  clock: Clock;
  /** at most this many events are replayed for `?since=`; further behind, the client is told to resync */
  replayLimit?: number;
  /** events older than this are not replayed (resync instead) */
  replayMaxAgeMs?: number;
}

const streamQuery = z.object({
  since: z.uuid({ message: 'must be the id of the last event received' }).optional(),
  access_token: z.string().optional(),
});

/** What a client may send: only `{"type":"ping"}` (answered with a pong) for now. */
const clientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') }).strict()]);

type ReplayResult = { events: CloudEvent[] } | { resync: 'since_unknown' | 'too_far_behind' };

/**
 * Events after `since` for this user, from the outbox (every replica shares it, so a reconnect may land on
 * any replica). Bounded by count and age; outside the window the client must refetch over REST.
 */
async function replaySince(
  db: Db,
  clock: Clock,
  userId: string,
  since: string,
  limit: number,
  maxAgeMs: number,
): Promise<ReplayResult> {
  const [from] = await db
    .select({ seq: outbox.seq, createdAt: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.eventId, since), eq(outbox.topic, 'task-updates'), eq(outbox.partitionKey, userId)))
    .limit(1);
  if (!from) return { resync: 'since_unknown' };
  if (clock.now().getTime() - from.createdAt.getTime() > maxAgeMs) return { resync: 'too_far_behind' };
  const rows = await db
    .select({ event: outbox.event })
    .from(outbox)
    .where(and(eq(outbox.topic, 'task-updates'), eq(outbox.partitionKey, userId), gt(outbox.seq, from.seq)))
    .orderBy(asc(outbox.seq))
    .limit(limit + 1);
  if (rows.length > limit) return { resync: 'too_far_behind' };
  return { events: rows.map((r) => r.event as CloudEvent) };
}

/**
 * `GET /api/v1/stream` (WebSocket). Authenticated like every route (cookie, bearer, `?access_token=`),
 * before the upgrade. Server messages: `hello`, the user's `task-updates` events
 * (`{type, id, time, data}`), `heartbeat`, `replay.completed` / `resync` after `?since=`, `pong`, `error`.
 */
export async function realtimeRoutes(app: FastifyInstance, opts: RealtimeRoutesOptions) {
  const { gateway, db, clock } = opts;
  const replayLimit = opts.replayLimit ?? 500;
  const replayMaxAgeMs = opts.replayMaxAgeMs ?? 24 * 3600_000;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/stream',
    {
      websocket: true,
      preHandler: app.requireUser,
      schema: {
        tags: ['realtime'],
        summary: 'Live updates (WebSocket): task.state_changed, notification.created',
        querystring: streamQuery,
      },
    },
    (socket, req) => {
      const user = currentUser(req);
      const conn = gateway.add(user.id, socket);
      const log = req.log.child({ user_id: user.id });
      // attach the message handler synchronously, before any await (messages would be lost otherwise)
      socket.on('message', (raw: RawData, isBinary: boolean) => onClientMessage(conn, raw, isBinary));
      socket.on('error', (err) => log.debug({ err }, 'WebSocket error'));
      const since = req.query.since;
      if (since) conn.beginReplay();
      gateway.send(conn, JSON.stringify({ type: 'hello', heartbeat_ms: gateway.heartbeatInterval }));
      if (!since) return;
      replaySince(db, clock, user.id, since, replayLimit, replayMaxAgeMs).then(
        (result) => {
          if ('resync' in result) {
            conn.endReplay([]);
            gateway.send(conn, JSON.stringify({ type: 'resync', reason: result.resync }));
            return;
          }
          conn.endReplay(result.events);
          gateway.send(conn, JSON.stringify({ type: 'replay.completed', count: result.events.length }));
        },
        (err: unknown) => {
          log.error({ err }, 'replay failed');
          conn.endReplay([]);
          gateway.send(conn, JSON.stringify({ type: 'resync', reason: 'replay_failed' }));
        },
      );
    },
  );

  function onClientMessage(conn: StreamConnection, raw: RawData, isBinary: boolean): void {
    let value: unknown;
    try {
      value = isBinary ? undefined : JSON.parse(raw.toString());
    } catch {
      value = undefined;
    }
    // the same guard as HTTP requests: a message is answered, never stored, but it must not crash anything
    const problems = findInputProblems(value, 'message');
    const parsed = clientMessage.safeParse(value);
    if (problems.length > 0 || !parsed.success) {
      gateway.send(
        conn,
        JSON.stringify({
          type: 'error',
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Expected a JSON message such as {"type":"ping"}',
            ...(problems.length > 0 ? { details: problems } : {}),
          },
        }),
      );
      return;
    }
    gateway.send(conn, JSON.stringify({ type: 'pong', time: clock.now().toISOString() }));
  }
}
