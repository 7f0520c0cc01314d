import type { Role } from '../../config.ts';

export type InvokeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface InvokeRequest {
  method: InvokeMethod;
  /** path on the target app, starting with `/`, query string included */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InvokeResponse {
  status: number;
  /** parsed JSON, or undefined for an empty body */
  body: unknown;
}

/** Raised when the target cannot be reached at all (not for an HTTP error status, which is passed through). */
export class InvokeUnavailableError extends Error {
  override name = 'InvokeUnavailableError';
}

/**
 * Service invocation port (DESIGN §1): one role calls another's internal route. In process (`inject`) when
 * the target role runs in this process, else through the Dapr sidecar (`/v1.0/invoke/<app-id>/method/...`).
 * The callee's status and body are passed through; an unreachable target throws `InvokeUnavailableError`.
 */
export interface Invoker {
  invoke(target: Role, request: InvokeRequest): Promise<InvokeResponse>;
}

/** A way to reach a role that is not in this process. */
export interface InvokeTransport {
  invoke(target: Role, request: InvokeRequest): Promise<InvokeResponse>;
}

/** Dapr app-id of a role's Deployment (deploy/ uses the same names). */
export function daprAppId(role: Role): string {
  return `taskstream-${role}`;
}
