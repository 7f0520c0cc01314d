import type { Role } from '../../config.ts';
import {
  daprAppId,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeTransport,
  InvokeUnavailableError,
} from './invoke.ts';

/**
 * Dapr service invocation (reference/dapr-http-contract.md §7): `/v1.0/invoke/<app-id>/method/<path>`.
 * The callee's status and body come back unchanged; a transport failure (the sidecar answers 500 with a
 * Dapr errorCode, or cannot be reached) becomes `InvokeUnavailableError`.
 */
export class DaprInvokeTransport implements InvokeTransport {
  constructor(
    private readonly opts: {
      sidecarUrl: string;
      apiToken: string | undefined;
      timeoutMs?: number;
      fetch?: typeof fetch;
    },
  ) {}

  async invoke(target: Role, request: InvokeRequest): Promise<InvokeResponse> {
    const doFetch = this.opts.fetch ?? globalThis.fetch;
    const url = `${this.opts.sidecarUrl}/v1.0/invoke/${daprAppId(target)}/method${request.path}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.opts.apiToken ? { 'dapr-api-token': this.opts.apiToken } : {}),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new InvokeUnavailableError(`invoking ${daprAppId(target)} failed: ${(err as Error).message}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    // Dapr's own transport errors carry an errorCode (ERR_DIRECT_INVOKE…); the callee's errors use our shape
    if (res.status >= 500 && typeof body === 'object' && body !== null && 'errorCode' in body) {
      throw new InvokeUnavailableError(
        `invoking ${daprAppId(target)} failed: ${res.status} ${text.slice(0, 200)}`,
      );
    }
    return { status: res.status, body };
  }
}
