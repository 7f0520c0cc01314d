import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { RealtimeGateway, slowClientCloseCode } from '../../src/modules/realtime/realtime.gateway.ts';
import { StreamClient } from './ws-client.ts';

function event(userId: string, n: number, payload: unknown = { n }): CloudEvent {
  const id = crypto.randomUUID();
  return {
    specversion: '1.0',
    id,
    type: 'task.state_changed',
    source: 'test',
    time: new Date(0).toISOString(),
    datacontenttype: 'application/json',
    traceparent: '',
    data: {
      event_id: id,
      event_type: 'task.state_changed',
      version: 1,
      user_id: userId,
      timestamp: '',
      payload,
    },
  };
}

/** A plain ws server whose connections join the gateway as the user named in the path (`/alice`). */
async function serve(gateway: RealtimeGateway) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const serverSockets: WebSocket[] = [];
  server.on('connection', (socket, req) => {
    serverSockets.push(socket);
    gateway.add(req.url!.slice(1), socket);
  });
  await new Promise((r) => server.once('listening', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, serverSockets };
}

describe('realtime gateway', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const log = pino({ level: 'silent' });

  async function setup(opts: { maxBufferedBytes?: number } = {}) {
    const gateway = new RealtimeGateway(
      { clock: fixedClock('2030-01-01T00:00:00Z'), heartbeatMs: 3_600_000, closeGraceMs: 50, ...opts },
      log,
    );
    const s = await serve(gateway);
    cleanup.push(
      () => new Promise((r) => s.server.close(r)),
      () => gateway.close(),
    );
    return { gateway, ...s };
  }
  async function connect(url: string, opts: { autoPong?: boolean } = {}) {
    const c = await StreamClient.connect(url, opts);
    cleanup.push(() => c.socket.terminate());
    return c;
  }

  it("fans an event out to every socket of its user and to no one else's", async () => {
    const { gateway, url } = await setup();
    const a1 = await connect(`${url}/alice`);
    const a2 = await connect(`${url}/alice`);
    const b = await connect(`${url}/bob`);
    await new Promise((r) => setTimeout(r, 20));
    expect(gateway.publish(event('alice', 1))).toBe(2);
    await a1.waitFor((c) => c.events().length === 1);
    await a2.waitFor((c) => c.events().length === 1);
    expect(gateway.publish(event('carol', 1))).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(b.messages).toEqual([]);
  });

  it('sends heartbeats with pings and drops a socket that stopped answering them', async () => {
    const { gateway, url } = await setup();
    const live = await connect(`${url}/alice`);
    const dead = await connect(`${url}/alice`, { autoPong: false });
    await new Promise((r) => setTimeout(r, 20));
    gateway.beat();
    await live.waitFor((c) => c.messages.some((m) => m.type === 'heartbeat'), 2_000, 'heartbeat');
    expect(live.messages.find((m) => m.type === 'heartbeat')).toMatchObject({
      time: '2030-01-01T00:00:00.000Z',
    });
    await new Promise((r) => setTimeout(r, 50)); // the live client's pong arrives
    gateway.beat();
    await dead.waitFor((c) => c.closed !== undefined, 2_000, 'dead socket terminated');
    expect(gateway.connectionCount('alice')).toBe(1);
    expect(gateway.stats.droppedDead).toBe(1);
    expect(live.closed).toBeUndefined();
  });

  it('drops a client that does not read (backpressure) while a reading client gets everything', async () => {
    const { gateway, url, serverSockets } = await setup({ maxBufferedBytes: 256 * 1024 });
    const fast = await connect(`${url}/alice`);
    const slow = await connect(`${url}/alice`);
    await new Promise((r) => setTimeout(r, 20));
    // the slow client stops reading from its TCP socket: the server's send buffer fills up
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(16 * 1024);
    let sent = 0;
    for (let i = 0; i < 400 && gateway.connectionCount('alice') === 2; i++) {
      gateway.publish(event('alice', i, { big }));
      sent++;
      await new Promise((r) => setImmediate(r));
    }
    expect(gateway.connectionCount('alice')).toBe(1);
    expect(gateway.stats.droppedSlow).toBe(1);
    await fast.waitFor((c) => c.events().length === sent, 10_000, 'fast client keeps up');
    const slowServerSide = serverSockets[1]!;
    await new Promise((r) => setTimeout(r, 120));
    expect(slowServerSide.readyState).toBe(slowServerSide.CLOSED);
    expect(slowClientCloseCode).toBe(1013);
  });
});
