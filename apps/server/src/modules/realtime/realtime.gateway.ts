import type { WebSocket } from 'ws';
import type { Clock } from '../../infra/clock/clock.ts';
import type { CloudEvent } from '../../infra/events/cloud-event.ts';
import type { EventLogger, Subscription } from '../../infra/events/event-bus.ts';

export interface GatewayOptions {
  clock: Clock;
  /** a heartbeat (JSON message + ws ping) goes out this often; a socket that missed a pong is dropped */
  heartbeatMs?: number;
  /** bytes queued for one socket beyond which it counts as slow and is dropped (backpressure) */
  maxBufferedBytes?: number;
  /** after asking a dropped socket to close, terminate it if the close handshake has not finished */
  closeGraceMs?: number;
}

/** Close code for a client dropped for not keeping up (RFC 6455 1013 "try again later"). */
export const slowClientCloseCode = 1013;

/** The message a client receives for one `task-updates` event. */
export interface StreamEventMessage {
  type: string;
  /** the event id; pass the last one seen as `?since=` when reconnecting */
  id: string;
  time: string;
  data: unknown;
}

/** One open socket of one user. */
export class StreamConnection {
  alive = true;
  /** while replaying `?since=`, live events wait here so the client gets them after the replay, in order */
  private pending: CloudEvent[] | null = null;
  private readonly sent = new Set<string>();

  constructor(
    readonly userId: string,
    readonly socket: WebSocket,
    private readonly gateway: RealtimeGateway,
  ) {}

  beginReplay(): void {
    this.pending = [];
  }

  /** Sends the replayed events, then whatever arrived live meanwhile that the replay did not cover. */
  endReplay(replayed: CloudEvent[]): void {
    for (const e of replayed) {
      this.sent.add(e.id);
      this.gateway.sendEvent(this, e);
    }
    const live = this.pending ?? [];
    this.pending = null;
    for (const e of live) if (!this.sent.has(e.id)) this.gateway.sendEvent(this, e);
    this.sent.clear();
  }

  deliver(event: CloudEvent): void {
    if (this.pending) this.pending.push(event);
    else this.gateway.sendEvent(this, event);
  }
}

/**
 * WebSocket fan-out of `task-updates` (issue 3 item 5). Sockets are indexed by user, so an event only ever
 * reaches its owner's sockets. The gateway keeps no history: reconnects replay from the outbox (routes).
 */
export class RealtimeGateway {
  private readonly byUser = new Map<string, Set<StreamConnection>>();
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly closeGraceMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  /** counters for diagnostics and tests */
  readonly stats = { delivered: 0, droppedSlow: 0, droppedDead: 0 };

  constructor(
    private readonly opts: GatewayOptions,
    private readonly log: EventLogger,
  ) {
    this.heartbeatMs = opts.heartbeatMs ?? 25_000;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 1024 * 1024;
    this.closeGraceMs = opts.closeGraceMs ?? 2_000;
  }

  get heartbeatInterval(): number {
    return this.heartbeatMs;
  }

  connectionCount(userId?: string): number {
    if (userId) return this.byUser.get(userId)?.size ?? 0;
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  add(userId: string, socket: WebSocket): StreamConnection {
    const conn = new StreamConnection(userId, socket, this);
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(conn);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => this.remove(conn));
    this.ensureHeartbeat();
    return conn;
  }

  private remove(conn: StreamConnection): void {
    const set = this.byUser.get(conn.userId);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byUser.delete(conn.userId);
  }

  /** Pushes one event to its owner's sockets; returns how many got it. */
  publish(event: CloudEvent): number {
    const set = this.byUser.get(event.data.user_id);
    if (!set) return 0;
    let n = 0;
    for (const conn of [...set]) {
      conn.deliver(event);
      n++;
    }
    return n;
  }

  sendEvent(conn: StreamConnection, event: CloudEvent): void {
    const message: StreamEventMessage = {
      type: event.type,
      id: event.id,
      time: event.time,
      data: event.data.payload,
    };
    if (this.send(conn, JSON.stringify(message))) this.stats.delivered++;
  }

  /**
   * Writes to a socket unless it is too far behind: a client that does not read would otherwise make the
   * process buffer without bound. Such a client is closed with 1013 and terminated if it does not answer;
   * it reconnects with `?since=` and catches up from the outbox.
   */
  send(conn: StreamConnection, text: string): boolean {
    const socket = conn.socket;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount + Buffer.byteLength(text) > this.maxBufferedBytes) {
      this.dropSlow(conn);
      return false;
    }
    socket.send(text);
    return true;
  }

  private dropSlow(conn: StreamConnection): void {
    this.stats.droppedSlow++;
    this.remove(conn);
    this.log.warn(
      { user_id: conn.userId, buffered: conn.socket.bufferedAmount },
      'dropping slow WebSocket client',
    );
    conn.socket.close(slowClientCloseCode, 'slow consumer: reconnect with ?since=');
    const timer = setTimeout(() => conn.socket.terminate(), this.closeGraceMs);
    timer.unref();
    conn.socket.once('close', () => clearTimeout(timer));
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Pings every socket; one that did not pong since the previous beat is dead (half-open TCP) and goes. */
  beat(): void {
    const time = this.opts.clock.now().toISOString();
    for (const set of [...this.byUser.values()]) {
      for (const conn of [...set]) {
        if (!conn.alive) {
          this.stats.droppedDead++;
          this.remove(conn);
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
        // browsers cannot see ws pings: the JSON heartbeat lets a client detect a dead connection itself
        this.send(conn, JSON.stringify({ type: 'heartbeat', time }));
      }
    }
    if (this.byUser.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const set of this.byUser.values())
      for (const conn of set) conn.socket.close(1001, 'server shutting down');
    this.byUser.clear();
  }

  /**
   * The realtime role's subscription: live (ephemeral), so each replica follows every `task-updates` event
   * from its own start (with Dapr: one consumer group per pod, docs/events.md).
   */
  subscription(): Subscription {
    return {
      consumer: 'realtime',
      topic: 'task-updates',
      ephemeral: true,
      handle: async (event, { log }) => {
        const sockets = this.publish(event);
        if (sockets > 0) log.debug({ sockets }, 'pushed to WebSocket clients');
      },
    };
  }
}
