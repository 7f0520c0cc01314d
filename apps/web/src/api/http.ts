import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** A failed API call: the server's error code and message, ready to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Called when the session is gone (401), so the app can send the user to sign in. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

const networkError = () =>
  new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');

function toApiError(status: number, body: unknown, path: string): ApiError {
  if (status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
  const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  // better-auth answers {code, message} without the envelope
  const auth = body as { code?: string; message?: string } | undefined;
  return new ApiError(
    status,
    e?.code ?? auth?.code ?? String(status),
    e?.message ?? auth?.message ?? `The server answered ${status}`,
    e?.details,
  );
}

/** The API, typed from the server's OpenAPI document (`npm run gen:api` writes schema.d.ts). */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** Unwraps an openapi-fetch call: the data, or an ApiError carrying the server's message. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw networkError();
  }
  if (!result.response.ok) {
    throw toApiError(
      result.response.status,
      result.error,
      new URL(result.response.url, location.href).pathname,
    );
  }
  return result.data as NonNullable<T>;
}

/** JSON over fetch for the routes outside the OpenAPI document (better-auth under /api/auth). */
export async function authRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw toApiError(res.status, json, path);
  return json as T;
}

/** The message to show for any error, with the first field detail when there is one. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = Array.isArray(err.details)
      ? (err.details[0] as { message?: string } | undefined)
      : undefined;
    return detail?.message ? `${err.message}: ${detail.message}` : err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong';
}
