import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InternalCallGuard } from '../../infra/invoke/internal-guard.ts';
import type { Invoker } from '../../infra/invoke/invoke.ts';
import { errorBody, sendError } from '../../plugins/error-handler.ts';
import { errors, json, noContent } from '../../plugins/openapi.responses.ts';
import type { UserRateLimiter } from '../../plugins/user-rate-limit.ts';

const jsonRpcMessage = z.looseObject({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().max(200).optional(),
});
const jsonRpcBody = z
  .union([jsonRpcMessage, z.array(jsonRpcMessage).min(1).max(50)])
  .describe('A JSON-RPC 2.0 message (or batch) of the Model Context Protocol');

/** The caller's own credentials, forwarded so every tool call is made as that user. */
export function credentialsOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['authorization', 'cookie'] as const) {
    const v = request.headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/**
 * MCP over streamable HTTP at `/mcp`, stateless (a fresh server per request, JSON responses): any MCP client
 * with a personal access token or session token as `Authorization: Bearer`. Authentication and the per-user
 * rate limit run as preHandlers, so an unauthenticated request gets a 401 before any MCP handling.
 */
export async function mcpRoutes(
  app: FastifyInstance,
  opts: { invoker: Invoker; guard: InternalCallGuard; limiter: UserRateLimiter },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistant'];

  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    // RFC 6750: tell the client which scheme to use; the body is our usual 401
    reply.header('www-authenticate', 'Bearer realm="taskstream"');
    await app.requireUser(request);
    reply.removeHeader('www-authenticate');
  };
  // the chat reaches /mcp in process on behalf of a user already counted by the chat's own limit
  const limit = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!opts.guard.isInProcess(request)) await opts.limiter.preHandler(request, reply);
  };

  // the MCP SDK is loaded by the first request, not at start-up (every request waits for the same import)
  let handler: Promise<typeof import('./mcp.handler.ts')> | undefined;
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    handler ??= import('./mcp.handler.ts');
    return (await handler).handleMcp(request, reply, credentialsOf(request), opts.invoker);
  };

  r.post(
    '/mcp',
    {
      schema: {
        tags,
        operationId: 'mcp',
        summary: 'Model Context Protocol endpoint (streamable HTTP, stateless, JSON responses)',
        body: jsonRpcBody,
        response: {
          200: json(z.looseObject({ jsonrpc: z.literal('2.0') }), 'The JSON-RPC response'),
          202: noContent('A notification or response was accepted'),
          ...errors(400, 401, 429),
        },
      },
      preHandler: [authenticate, limit],
    },
    handle,
  );

  // stateless: no server-initiated stream to open (GET) and no session to end (DELETE)
  for (const method of ['GET', 'DELETE'] as const) {
    r.route({
      method,
      url: '/mcp',
      schema: {
        tags,
        operationId: `mcp${method === 'GET' ? 'Stream' : 'EndSession'}`,
        summary: 'Not supported: the MCP endpoint is stateless',
        response: { 405: json(errorBody, 'Stateless endpoint: POST only') },
      },
      handler: async (_request, reply) => {
        reply.header('allow', 'POST');
        return sendError(reply, 'METHOD_NOT_ALLOWED', 'The MCP endpoint is stateless: POST only');
      },
    });
  }
}
