/**
 * HTTP load loop, run in a worker thread (see load.ts) so that the client's own work never queues behind the
 * server's on the same event loop.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoadOptions, HttpLoadResult, HttpRequestSpec } from './load.ts';
import { runLoop } from './loop.ts';

const opts = workerData as HttpLoadOptions;
const url = new URL(opts.baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency, maxFreeSockets: opts.concurrency });

function send(spec: HttpRequestSpec): Promise<number> {
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

let firstError: string | undefined;
const result = await runLoop(async (i) => {
  const spec = opts.requests[i % opts.requests.length]!;
  const status = await send(spec);
  if (status !== spec.expect) {
    firstError ??= `${spec.method} ${spec.path} → ${status} (expected ${spec.expect})`;
    throw new Error('unexpected status');
  }
}, opts);
agent.destroy();
const out: HttpLoadResult = { ...result, firstError };
// transfer, not copy: a long run holds up to a million latencies
parentPort!.postMessage(out, [out.latencies.buffer as ArrayBuffer]);
