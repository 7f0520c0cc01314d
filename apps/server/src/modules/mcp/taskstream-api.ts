import type { InvokeMethod, Invoker } from '../../infra/invoke/invoke.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * How the tools reach task data: Taskstream's own REST API, as the calling user. In the server that is the
 * service invocation port (in process, or through Dapr); in `taskstream mcp` (stdio) it is HTTP to a running
 * server. Tools never touch the database, so every rule of the API (scoping, validation) applies to them.
 */
export interface TaskstreamApi {
  call(method: InvokeMethod, path: string, body?: unknown): Promise<ApiResponse>;
}

/** The error shape of the API (`{error: {code, message, details}}`), as thrown by `expectOk`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The body of a 2xx answer, or an `ApiError` carrying the API's code and message. */
export async function expectOk<T>(pending: Promise<ApiResponse>): Promise<T> {
  const res = await pending;
  if (res.status >= 200 && res.status < 300) return res.body as T;
  const err = (res.body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
    ?.error;
  throw new ApiError(
    res.status,
    err?.code ?? `HTTP_${res.status}`,
    err?.message ?? 'request failed',
    err?.details,
  );
}

/** Calls the api role through the invoker with the caller's own credentials (and the assistant client kind). */
export function invokerApi(invoker: Invoker, credentials: Record<string, string>): TaskstreamApi {
  return {
    call: (method, path, body) =>
      invoker.invoke('api', {
        method,
        path: `/api/v1${path}`,
        headers: { ...credentials, 'x-taskstream-client': 'assistant' },
        ...(body === undefined ? {} : { body }),
      }),
  };
}

/** Calls a running server over HTTP with a bearer token (`taskstream mcp`). */
export function httpApi(baseUrl: string, token: string, doFetch: typeof fetch = fetch): TaskstreamApi {
  return {
    async call(method, path, body) {
      const res = await doFetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'x-taskstream-client': 'assistant',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    },
  };
}
