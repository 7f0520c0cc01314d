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

/** JSON over fetch with the session cookie; errors become ApiError with the server's message. */
export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const authMessage = (json as { message?: string } | undefined)?.message;
    throw new ApiError(
      res.status,
      e?.code ?? String(res.status),
      e?.message ?? authMessage ?? `The server answered ${res.status}`,
      e?.details,
    );
  }
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
