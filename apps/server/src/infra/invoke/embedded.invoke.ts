import type { FastifyInstance } from 'fastify';
import type { Role } from '../../config.ts';
import type { InternalCallGuard } from './internal-guard.ts';
import { inProcessHeader } from './internal-guard.ts';
import {
  type InvokeRequest,
  type InvokeResponse,
  type Invoker,
  type InvokeTransport,
  InvokeUnavailableError,
} from './invoke.ts';

/**
 * The invoker every process has: roles running here are called with `inject()` (no socket, no serialisation
 * beyond JSON), others through `remote` (Dapr), or fail as unavailable when there is none.
 */
export class RoleInvoker implements Invoker {
  private app: FastifyInstance | undefined;

  constructor(
    private readonly localRoles: ReadonlySet<Role>,
    private readonly guard: InternalCallGuard,
    private readonly remote: InvokeTransport | undefined,
  ) {}

  /** Binds the app that serves the local roles (buildApp calls it). */
  attach(app: FastifyInstance): void {
    this.app = app;
  }

  async invoke(target: Role, request: InvokeRequest): Promise<InvokeResponse> {
    if (this.localRoles.has(target)) {
      if (!this.app) throw new InvokeUnavailableError('in-process invoker used before the app was attached');
      const res = await this.app.inject({
        method: request.method,
        url: request.path,
        headers: { ...request.headers, [inProcessHeader]: this.guard.inProcessToken },
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    }
    if (this.remote) return this.remote.invoke(target, request);
    throw new InvokeUnavailableError(`role ${target} does not run in this process and there is no sidecar`);
  }
}
