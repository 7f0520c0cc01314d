import WebSocket from 'ws';

export interface StreamMessage {
  type: string;
  id?: string;
  data?: Record<string, unknown>;
  [k: string]: unknown;
}

/** A WebSocket test client that records every JSON message it receives. */
export class StreamClient {
  readonly messages: StreamMessage[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.messages.push(JSON.parse(raw.toString()) as StreamMessage));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  /** Connects; rejects with the HTTP status when the upgrade is refused. */
  static connect(
    url: string,
    opts: { headers?: Record<string, string>; autoPong?: boolean } = {},
  ): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers: opts.headers, autoPong: opts.autoPong ?? true });
      const client = new StreamClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  events(type?: string): StreamMessage[] {
    return this.messages.filter((m) => typeof m.id === 'string' && (!type || m.type === type));
  }

  async waitFor(pred: (c: StreamClient) => boolean, timeoutMs = 5_000, label = 'messages'): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pred(this)) {
      if (Date.now() > until) {
        throw new Error(
          `timed out waiting for ${label}; got ${JSON.stringify(this.messages.map((m) => m.type))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  close(): void {
    this.socket.close();
  }
}
