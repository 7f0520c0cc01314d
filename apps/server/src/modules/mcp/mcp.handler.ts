import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Invoker } from '../../infra/invoke/invoke.ts';
import { createMcpServer } from './mcp.server.ts';
import { invokerApi } from './taskstream-api.ts';

function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers)) {
    if (k === 'content-length' || k === 'host' || v === undefined) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return new Request(`http://taskstream${request.url}`, {
    method: request.method,
    headers,
    body: JSON.stringify(request.body),
  });
}

/**
 * One request to `/mcp`: a fresh MCP server acting as the caller (`credentials`) answers it, JSON only.
 * Kept apart from the routes so that the MCP SDK is loaded when `/mcp` is first used.
 */
export async function handleMcp(
  request: FastifyRequest,
  reply: FastifyReply,
  credentials: Record<string, string>,
  invoker: Invoker,
) {
  const server = createMcpServer({ api: invokerApi(invoker, credentials) });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const res = await transport.handleRequest(webRequest(request), { parsedBody: request.body });
    const text = await res.text();
    reply.code(res.status);
    res.headers.forEach((value, key) => {
      reply.header(key, value);
    });
    // a string body skips the response serialiser: it is the SDK's JSON-RPC answer as is
    return reply.send(text === '' ? undefined : text);
  } finally {
    await server.close();
  }
}
