/**
 * A fake Dapr sidecar that reproduces the HTTP wire behaviour of reference/dapr-http-contract.md §12
 * (pub/sub publish + delivery, `/dapr/subscribe`, health, service invocation). Small on purpose: a plain
 * node:http server with a route table, so other APIs (Jobs, state, bindings) can be added with `addRoute`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** named groups of the route pattern */
  params: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

export type FakeHandler = (req: FakeRequest) => Promise<FakeResponse> | FakeResponse;

export interface FakeSidecarOptions {
  /** the app this sidecar fronts (deliveries, `/dapr/subscribe`, health) */
  appUrl?: string;
  appId?: string;
  /** DAPR_API_TOKEN: required as `dapr-api-token` on every API call when set */
  apiToken?: string;
  /** APP_API_TOKEN: sent to the app as `dapr-api-token` when set */
  appApiToken?: string;
  /** pub/sub component names that exist */
  pubsubs?: string[];
  /**
   * Inbound resiliency retry policy for subscriptions (contract §1.7). With a dead-letter topic and no
   * policy (null), the first failure goes straight to the DLQ, as in the real runtime.
   */
  inboundRetry?: { maxRetries: number; intervalMs: number } | null;
  /** component-level retry interval when no DLQ is configured (real default: 5 s, forever) */
  componentRetryMs?: number;
  /** `/v1.0/healthz/outbound` answers 204 only when true */
  componentsReady?: boolean;
  /** app-id → base URL, for service invocation */
  apps?: Record<string, string>;
  partitions?: number;
}

export interface PublishedMessage {
  pubsub: string;
  topic: string;
  /** what subscribers receive: the CloudEvent (or the raw body with rawPayload=true) */
  envelope: Record<string, unknown> | string;
  rawPayload: boolean;
  metadata: Record<string, string>;
  key: string | undefined;
  partition: number;
  offset: number;
  traceparent: string;
  publishedAt: Date;
}

export interface DeliveryRecord {
  topic: string;
  route: string;
  eventId: string | undefined;
  httpStatus: number | 'network-error';
  outcome: 'SUCCESS' | 'RETRY' | 'DROP';
}

interface SubscriptionEntry {
  pubsubname: string;
  topic: string;
  routes: { rules: { match: string; path: string }[]; default: string | undefined };
  deadLetterTopic: string | undefined;
}

interface RouteEntry {
  method: string;
  pattern: RegExp;
  handler: FakeHandler;
}

/** `event.type == "x"` — the only CEL form the fake understands (enough for our subscriptions). */
function matches(rule: string, envelope: Record<string, unknown> | string): boolean {
  const m = /^\s*event\.(\w+)\s*==\s*"([^"]*)"\s*$/.exec(rule);
  if (!m || typeof envelope === 'string') return false;
  return envelope[m[1]!] === m[2];
}

/** The error body every Dapr HTTP API answers with (contract §1.1). */
export function daprError(status: number, errorCode: string, message: string): FakeResponse {
  return {
    status,
    body: {
      errorCode,
      message,
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', domain: 'dapr.io', reason: errorCode },
      ],
    },
  };
}

function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** FNV-1a, so a key always maps to the same partition (ordering per key, like Sarama's hash partitioner). */
function partitionFor(key: string | undefined, partitions: number): number {
  if (key === undefined) return Math.floor(Math.random() * partitions);
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(key)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h % partitions;
}

export class FakeDaprSidecar {
  private server: Server | undefined;
  private readonly routes: RouteEntry[] = [];
  private subs: SubscriptionEntry[] = [];
  private readonly queues = new Map<string, PublishedMessage[]>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly offsets = new Map<string, number>();
  private stopped = false;
  readonly opts: Required<Omit<FakeSidecarOptions, 'apiToken' | 'appApiToken' | 'appUrl' | 'inboundRetry'>> &
    Pick<FakeSidecarOptions, 'apiToken' | 'appApiToken' | 'appUrl' | 'inboundRetry'>;
  readonly published: PublishedMessage[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  /**
   * fault injection: a response here replaces the publish (e.g. a 500 from the broker); a promise that
   * settles late is a publish that hangs (daprd waiting on an unreachable broker)
   */
  publishFault: ((req: FakeRequest) => FakeResponse | Promise<FakeResponse> | undefined) | undefined;
  /**
   * The mesh this sidecar belongs to (fake-dapr-mesh.ts): a publish then reaches every app of the mesh that
   * subscribes to the topic, each app id being its own consumer group, as on a shared Kafka cluster.
   */
  mesh: { publish(msg: PublishedMessage): void } | undefined;
  /** every request the fake received, for assertions on what the app sent */
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];

  constructor(options: FakeSidecarOptions = {}) {
    this.opts = {
      appId: 'taskstream-api',
      pubsubs: ['kafka-pubsub'],
      inboundRetry: { maxRetries: 10, intervalMs: 10 },
      componentRetryMs: 20,
      componentsReady: true,
      apps: {},
      partitions: 4,
      ...options,
    };
    this.addRoute('GET', /^\/v1\.0\/healthz\/outbound$/, () => ({
      status: this.opts.componentsReady ? 204 : 500,
    }));
    this.addRoute('GET', /^\/v1\.0\/healthz$/, async () => ({
      status: (await this.appReachable()) ? 204 : 500,
    }));
    this.addRoute('GET', /^\/v1\.0\/metadata$/, () => ({
      status: 200,
      body: { id: this.opts.appId, subscriptions: this.subs },
    }));
    this.addRoute('POST', /^\/v1\.0\/publish\/(?<pubsub>[^/]+)\/(?<topic>[^/]+)$/, (req) =>
      this.publishRoute(req),
    );
    this.addRoute('PUT', /^\/v1\.0\/publish\/(?<pubsub>[^/]+)\/(?<topic>[^/]+)$/, (req) =>
      this.publishRoute(req),
    );
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      this.addRoute(method, /^\/v1\.0\/invoke\/(?<appId>[^/]+)\/method(?<rest>\/.*)$/, (req) =>
        this.invokeRoute(req),
      );
    }
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('fake sidecar not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  get port(): number {
    return new URL(this.url).port ? Number(new URL(this.url).port) : 80;
  }

  /** Extension point: later routes win, so an extension can also override a built-in. */
  addRoute(method: string, pattern: RegExp, handler: FakeHandler): void {
    this.routes.unshift({ method, pattern, handler });
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.draining.values()]);
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  /** Like daprd at startup: `GET /dapr/subscribe` once (200 array, or 404 = none). Re-callable in tests. */
  async loadSubscriptions(): Promise<SubscriptionEntry[]> {
    const res = await this.appFetch('/dapr/subscribe', { method: 'GET' });
    if (res.status === 404) {
      this.subs = [];
      return this.subs;
    }
    if (res.status !== 200) throw new Error(`GET /dapr/subscribe answered ${res.status}`);
    const list = (await res.json()) as {
      pubsubname: string;
      topic: string;
      route?: string;
      routes?: { rules?: { match: string; path: string }[]; default?: string };
      deadLetterTopic?: string;
    }[];
    this.subs = list
      .map((s) => ({
        pubsubname: s.pubsubname,
        topic: s.topic,
        // routes.default wins over route (contract §1.3)
        routes: { rules: s.routes?.rules ?? [], default: s.routes?.default ?? s.route },
        deadLetterTopic: s.deadLetterTopic,
      }))
      // a subscription with no route at all is dropped with a warning by daprd
      .filter((s) => s.routes.default !== undefined || s.routes.rules.length > 0);
    return this.subs;
  }

  /** Calls the app the way daprd does (app token included). Public for extensions (e.g. job triggers). */
  appFetch(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    if (!this.opts.appUrl) throw new Error('fake sidecar has no appUrl');
    return fetch(`${this.opts.appUrl}${path}`, {
      ...init,
      headers: {
        ...init.headers,
        ...(this.opts.appApiToken ? { 'dapr-api-token': this.opts.appApiToken } : {}),
      },
    });
  }

  messages(topic: string): PublishedMessage[] {
    return this.published.filter((m) => m.topic === topic);
  }

  /** Delivers an already-published message again, `times` times (a Kafka redelivery after a rebalance). */
  redeliver(eventId: string, times = 1): void {
    const msg = this.published.find((m) => typeof m.envelope === 'object' && m.envelope.id === eventId);
    if (!msg) throw new Error(`no published message ${eventId}`);
    for (let i = 0; i < times; i++) this.enqueue(msg);
  }

  /** A message published through another sidecar of the mesh: delivered here if this app subscribes. */
  receive(msg: PublishedMessage): void {
    this.enqueue(msg);
  }

  /** Resolves when every partition queue is empty and nothing is in flight. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.draining.size > 0) {
      if (Date.now() > until) throw new Error('fake sidecar: deliveries still in flight');
      await Promise.allSettled([...this.draining.values()]);
    }
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://sidecar');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers: req.headers,
    });
    let out: FakeResponse;
    const isApi = url.pathname.startsWith('/v1.0');
    const publicHealth = url.pathname.startsWith('/v1.0/healthz');
    if (
      isApi &&
      !publicHealth &&
      this.opts.apiToken &&
      req.headers['dapr-api-token'] !== this.opts.apiToken
    ) {
      out = daprError(401, 'ERR_API_TOKEN', 'invalid api token');
    } else {
      const route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) {
        out = daprError(404, 'ERR_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      } else {
        const params = { ...(route.pattern.exec(url.pathname)?.groups ?? {}) };
        try {
          out = await route.handler({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.concat(chunks),
            params,
          });
        } catch (err) {
          out = daprError(500, 'ERR_INTERNAL', (err as Error).message);
        }
      }
    }
    const headers: Record<string, string> = { ...out.headers };
    let body: string | Buffer | undefined;
    if (out.body === undefined) body = undefined;
    else if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) body = out.body;
    else {
      body = JSON.stringify(out.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(out.status, headers);
    res.end(body);
  }

  private async appReachable(): Promise<boolean> {
    if (!this.opts.appUrl) return false;
    try {
      const res = await fetch(`${this.opts.appUrl}/healthz`, { signal: AbortSignal.timeout(500) });
      await res.arrayBuffer();
      return true;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- pub/sub

  private async publishRoute(req: FakeRequest): Promise<FakeResponse> {
    const pubsub = req.params.pubsub!;
    const topic = req.params.topic!;
    if (!this.opts.pubsubs.includes(pubsub)) {
      return daprError(404, 'ERR_PUBSUB_NOT_FOUND', `pubsub ${pubsub} not found`);
    }
    const fault = await this.publishFault?.(req);
    if (fault) return fault;
    // metadata only from `metadata.`-prefixed query parameters, prefix stripped (contract §1.1)
    const metadata: Record<string, string> = {};
    for (const [k, v] of req.query) if (k.startsWith('metadata.')) metadata[k.slice('metadata.'.length)] = v;
    const raw = metadata.rawPayload;
    if (raw !== undefined && !['true', 'false', '1', '0', 'True', 'False', 'TRUE', 'FALSE'].includes(raw)) {
      return daprError(400, 'ERR_PUBSUB_REQUEST_METADATA', `rawPayload=${raw} is not a boolean`);
    }
    const rawPayload = raw === 'true' || raw === '1' || raw === 'True' || raw === 'TRUE';
    const headerTrace = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
    let envelope: Record<string, unknown> | string;
    let traceparent = headerTrace ?? newTraceparent();
    if (rawPayload) {
      envelope = req.body.toString('utf8');
    } else {
      const built = this.buildEnvelope(req, topic, pubsub, metadata, traceparent);
      if ('status' in built) return built;
      envelope = built.envelope;
      traceparent = String(envelope.traceparent);
    }
    const key = metadata.partitionKey ?? metadata.__key;
    const partition = partitionFor(key, this.opts.partitions);
    const offsetKey = `${topic}/${partition}`;
    const offset = this.offsets.get(offsetKey) ?? 0;
    this.offsets.set(offsetKey, offset + 1);
    const msg: PublishedMessage = {
      pubsub,
      topic,
      envelope,
      rawPayload,
      metadata,
      key,
      partition,
      offset,
      traceparent,
      publishedAt: new Date(),
    };
    this.published.push(msg);
    if (this.mesh) this.mesh.publish(msg);
    else this.enqueue(msg);
    return { status: 204 };
  }

  /** The CloudEvent daprd builds, by request Content-Type (contract §1.1 table; K1). */
  private buildEnvelope(
    req: FakeRequest,
    topic: string,
    pubsub: string,
    metadata: Record<string, string>,
    traceparent: string,
  ): { envelope: Record<string, unknown> } | FakeResponse {
    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const base = {
      id: randomUUID(),
      source: this.opts.appId,
      type: 'com.dapr.event.sent',
      specversion: '1.0',
    };
    let envelope: Record<string, unknown>;
    if (mediaType === 'application/cloudevents+json') {
      let own: unknown;
      try {
        own = JSON.parse(req.body.toString('utf8'));
      } catch {
        return daprError(500, 'ERR_PUBSUB_CLOUD_EVENTS_SER', 'invalid CloudEvent JSON');
      }
      if (typeof own !== 'object' || own === null || Array.isArray(own)) {
        return daprError(500, 'ERR_PUBSUB_CLOUD_EVENTS_SER', 'a CloudEvent must be a JSON object');
      }
      // the app's own CloudEvent is kept; missing fields get Dapr's defaults
      envelope = { ...base, ...(own as Record<string, unknown>) };
      envelope.traceparent ??= traceparent;
    } else if (mediaType === 'application/json') {
      let data: unknown;
      try {
        data = JSON.parse(req.body.toString('utf8'));
      } catch {
        return daprError(500, 'ERR_PUBSUB_CLOUD_EVENTS_SER', 'invalid JSON');
      }
      envelope = { ...base, datacontenttype: 'application/json', data, traceparent };
    } else if (mediaType === 'application/octet-stream') {
      envelope = {
        ...base,
        datacontenttype: 'application/octet-stream',
        data_base64: req.body.toString('base64'),
      };
      envelope.traceparent = traceparent;
    } else {
      // no Content-Type → text/plain; any other type (text/plain;charset=UTF-8, vnd+json…) → data as a string
      envelope = {
        ...base,
        datacontenttype: contentType ?? 'text/plain',
        data: req.body.toString('utf8'),
        traceparent,
      };
    }
    for (const field of ['id', 'source', 'type', 'subject', 'traceparent', 'tracestate'] as const) {
      const v = metadata[`cloudevent.${field}`];
      if (v !== undefined) envelope[field] = v;
    }
    envelope.traceid = envelope.traceparent;
    envelope.tracestate ??= '';
    envelope.topic = topic;
    envelope.pubsubname = pubsub;
    envelope.time ??= new Date().toISOString();
    return { envelope };
  }

  private subscriptionFor(pubsub: string, topic: string): SubscriptionEntry | undefined {
    return this.subs.find((s) => s.pubsubname === pubsub && s.topic === topic);
  }

  private enqueue(msg: PublishedMessage): void {
    if (this.stopped || !this.subscriptionFor(msg.pubsub, msg.topic)) return;
    const q = `${msg.pubsub}/${msg.topic}/${msg.partition}`;
    const queue = this.queues.get(q);
    if (queue) queue.push(msg);
    else this.queues.set(q, [msg]);
    if (!this.draining.has(q)) {
      const p = this.drain(q).finally(() => this.draining.delete(q));
      this.draining.set(q, p);
    }
  }

  /** One partition: messages strictly one after another, each until acked, dropped or dead-lettered. */
  private async drain(q: string): Promise<void> {
    const queue = this.queues.get(q)!;
    while (queue.length > 0 && !this.stopped) {
      const msg = queue[0]!;
      await this.deliverUntilDone(msg);
      queue.shift();
    }
    this.queues.delete(q);
  }

  private async deliverUntilDone(msg: PublishedMessage): Promise<void> {
    const sub = this.subscriptionFor(msg.pubsub, msg.topic);
    if (!sub) return;
    const rule = sub.routes.rules.find((r) => matches(r.match, msg.envelope));
    const route = rule?.path ?? sub.routes.default;
    if (!route) {
      // no rule matched and no default: silently acked, and sent to the DLQ if there is one (§1.3)
      if (sub.deadLetterTopic) this.deadLetter(msg, sub.deadLetterTopic);
      return;
    }
    const policy = this.opts.inboundRetry;
    for (let attempt = 0; !this.stopped; attempt++) {
      const outcome = await this.deliverOnce(msg, route);
      if (outcome === 'SUCCESS') return;
      if (outcome === 'DROP') {
        if (sub.deadLetterTopic) this.deadLetter(msg, sub.deadLetterTopic);
        return;
      }
      if (sub.deadLetterTopic) {
        // with a DLQ: the resiliency policy's retries, then the DLQ (none at all without a policy, §1.7)
        if (!policy || attempt >= policy.maxRetries) {
          this.deadLetter(msg, sub.deadLetterTopic);
          return;
        }
        await sleep(policy.intervalMs);
      } else {
        // without a DLQ: the component retries the same message in place, forever
        await sleep(this.opts.componentRetryMs);
      }
    }
  }

  private deadLetter(msg: PublishedMessage, dlq: string): void {
    const copy: PublishedMessage = {
      ...msg,
      topic: dlq,
      offset: this.published.length,
      publishedAt: new Date(),
    };
    this.published.push(copy);
    this.enqueue(copy);
  }

  /** One POST to the app, its answer interpreted exactly as contract §1.6 says. */
  private async deliverOnce(msg: PublishedMessage, route: string): Promise<DeliveryRecord['outcome']> {
    const eventId = typeof msg.envelope === 'object' ? String(msg.envelope.id) : undefined;
    const record = (httpStatus: DeliveryRecord['httpStatus'], outcome: DeliveryRecord['outcome']) => {
      this.deliveries.push({ topic: msg.topic, route, eventId, httpStatus, outcome });
      return outcome;
    };
    let res: Response;
    try {
      res = await this.appFetch(route, {
        method: 'POST',
        headers: {
          'content-type': msg.rawPayload ? 'application/octet-stream' : 'application/cloudevents+json',
          traceparent: msg.traceparent,
          tracestate: '',
          pubsubName: msg.pubsub,
          __key: msg.key ?? '',
          __topic: msg.topic,
          __partition: String(msg.partition),
          __offset: String(msg.offset),
          __timestamp: String(msg.publishedAt.getTime()),
          // every message-metadata key arrives as a plain header (R10)
          ...Object.fromEntries(
            Object.entries(msg.metadata).filter(
              ([k]) => /^[A-Za-z0-9_.-]+$/.test(k) && !k.startsWith('cloudevent.'),
            ),
          ),
        },
        body: typeof msg.envelope === 'string' ? msg.envelope : JSON.stringify(msg.envelope),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      return record('network-error', 'RETRY');
    }
    const text = await res.text();
    if (res.status === 404) return record(404, 'DROP');
    if (res.status < 200 || res.status >= 300) return record(res.status, 'RETRY');
    let status: unknown;
    try {
      status = (JSON.parse(text) as { status?: unknown }).status;
    } catch {
      return record(res.status, 'SUCCESS');
    }
    if (status === undefined || status === '' || status === 'SUCCESS') return record(res.status, 'SUCCESS');
    if (status === 'DROP') return record(res.status, 'DROP');
    // "RETRY", and any other string (matching is case-sensitive): retried
    return record(res.status, 'RETRY');
  }

  // ---------------------------------------------------------------- service invocation

  private async invokeRoute(req: FakeRequest): Promise<FakeResponse> {
    const target = this.opts.apps[req.params.appId!];
    if (!target) return daprError(500, 'ERR_DIRECT_INVOKE', `app ${req.params.appId} not found`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length', 'dapr-api-token'].includes(k))
        headers[k] = v;
    }
    if (this.opts.appApiToken) headers['dapr-api-token'] = this.opts.appApiToken;
    const qs = req.query.toString();
    try {
      const res = await fetch(`${target}${req.params.rest}${qs ? `?${qs}` : ''}`, {
        method: req.method,
        headers,
        ...(req.method === 'GET' || req.method === 'DELETE' || req.body.length === 0
          ? {}
          : { body: new Uint8Array(req.body) }),
      });
      const body = Buffer.from(await res.arrayBuffer());
      const ct = res.headers.get('content-type');
      return { status: res.status, body, headers: ct ? { 'content-type': ct } : {} };
    } catch (err) {
      return daprError(500, 'ERR_DIRECT_INVOKE', (err as Error).message);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
