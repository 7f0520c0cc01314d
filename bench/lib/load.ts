/** Drives real HTTP against a listening server from a worker thread. */
import { Worker } from 'node:worker_threads';
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
}

const workerUrl = new URL('./load-worker.ts', import.meta.url).href;

/**
 * The worker is booted through tsx's API because worker threads don't inherit tsx's loader under `tsx <file>`.
 */
export function runHttpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(import.meta.url)}))`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: opts });
    let done = false;
    worker.once('message', (r: HttpLoadResult) => {
      done = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`load worker exited with code ${code} before reporting`));
    });
  });
}
