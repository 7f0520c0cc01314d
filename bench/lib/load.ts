/**
 * Drives real HTTP against a listening server from a separate Node process (load-worker.ts), so the load
 * generator's own CPU never shares an event loop, or a process, with the server or with the benchmark's
 * bookkeeping.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoopOptions, LoopResult } from './loop.ts';

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** status that counts as success */
  expect: number;
}

export interface HttpLoadOptions extends LoopOptions {
  baseUrl: string;
  /** cycled in order: request i uses requests[i % length] */
  requests: HttpRequestSpec[];
}

export interface HttpLoadResult extends LoopResult {
  firstError: string | undefined;
  /** errors by kind ("GET → 500", "connection refused"), so a failed run says what failed */
  errorKinds: Record<string, number>;
}

const workerPath = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Runs the load in a child process (tsx loader, advanced IPC so the latency array crosses as a typed array). */
export function runHttpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done = false;
    child.once('message', (r: HttpLoadResult) => {
      done = true;
      resolve(r);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!done) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(opts);
  });
}
