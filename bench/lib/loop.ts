/** A bounded closed-loop load generator: N clients, each starting its next operation when the last ends. */

export interface LoopOptions {
  concurrency: number;
  /** measured window */
  durationMs: number;
  /** unmeasured run before the window (JIT, connection pools, caches) */
  warmupMs: number;
  /** hard cap on measured operations, so a fast target can't run away with memory */
  maxOps: number;
}

export interface LoopResult {
  /** per-operation latency in ms, in completion order */
  latencies: Float64Array;
  errors: number;
  elapsedMs: number;
}

/**
 * Runs `op(i)` from `concurrency` clients; `i` is a global sequence number so callers can cycle through request
 * variants deterministically. Failed operations count as errors and are not in `latencies`.
 */
export async function runLoop(op: (i: number) => Promise<unknown>, opts: LoopOptions): Promise<LoopResult> {
  let seq = 0;
  const phase = async (ms: number, record: boolean, cap: number) => {
    const latencies = new Float64Array(record ? cap : 0);
    let n = 0;
    let errors = 0;
    const start = performance.now();
    const end = start + ms;
    const client = async () => {
      while (performance.now() < end && n + errors < cap) {
        const t0 = performance.now();
        try {
          await op(seq++);
          if (record && n < cap) latencies[n] = performance.now() - t0;
          n++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, client));
    return { latencies: latencies.slice(0, Math.min(n, cap)), errors, elapsedMs: performance.now() - start };
  };
  if (opts.warmupMs > 0) await phase(opts.warmupMs, false, Number.MAX_SAFE_INTEGER);
  return phase(opts.durationMs, true, opts.maxOps);
}
