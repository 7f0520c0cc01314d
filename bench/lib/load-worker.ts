/**
 * HTTP load loop, run as its own process (see load.ts): receives its options over IPC, sends the result back.
 */
import { Agent, request } from 'node:http';
import type { HttpLoadOptions, HttpLoadResult, HttpRequestSpec } from './load.ts';
import { runLoop } from './loop.ts';

function send(agent: Agent, url: URL, spec: HttpRequestSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(spec.body));
    }
    const req = request(
      { agent, host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers },
      (res) => {
        // the body must be drained for the socket to go back to the pool
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}

async function run(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(opts.baseUrl);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: opts.concurrency,
    maxFreeSockets: opts.concurrency,
  });
  let firstError: string | undefined;
  const errorKinds: Record<string, number> = {};
  const fail = (kind: string, detail: string) => {
    firstError ??= detail;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    throw new Error(detail);
  };
  const result = await runLoop(async (i) => {
    const spec = opts.requests[i % opts.requests.length]!;
    let status: number;
    try {
      status = await send(agent, url, spec);
    } catch (err) {
      return fail(`${spec.method} network`, `${spec.method} ${spec.path}: ${(err as Error).message}`);
    }
    if (status !== spec.expect)
      fail(`${spec.method} → ${status}`, `${spec.method} ${spec.path} → ${status} (expected ${spec.expect})`);
  }, opts);
  agent.destroy();
  return { ...result, firstError, errorKinds };
}

process.once('message', (opts: HttpLoadOptions) => {
  run(opts).then(
    (r) => process.send!(r),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
