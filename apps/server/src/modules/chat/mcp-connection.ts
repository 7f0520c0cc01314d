import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { InvokeMethod, Invoker } from '../../infra/invoke/invoke.ts';
import { mcpServerInfo } from '../mcp/mcp.server.ts';

/** Base URL the MCP clients of the chat use; requests never leave the process (see `invokerFetch`). */
export const chatMcpUrl = 'http://taskstream.invalid/mcp';

/**
 * A `fetch` that carries MCP's streamable HTTP requests to our own `/mcp` through the service invocation
 * port, with the chat user's credentials: the chat's tools are exactly the MCP tools, scoped exactly alike.
 */
export function invokerFetch(invoker: Invoker, credentials: Record<string, string>): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init?.body === 'string' && init.body !== '' ? JSON.parse(init.body) : undefined;
    const res = await invoker.invoke('api', {
      method: (init?.method ?? 'GET') as InvokeMethod,
      path: url.pathname + url.search,
      headers: { ...headers, ...credentials, 'x-taskstream-client': 'assistant' },
      ...(body === undefined ? {} : { body }),
    });
    const hasBody = res.body !== undefined && res.status !== 202 && res.status !== 204;
    return new Response(hasBody ? JSON.stringify(res.body) : null, {
      status: res.status,
      headers: hasBody ? { 'content-type': 'application/json' } : {},
    });
  }) as typeof fetch;
}

export interface ToolCallResult {
  isError: boolean;
  text: string;
  data: Record<string, unknown> | undefined;
}

/** Calls the MCP tools by name (the offline assistant and confirmed deletions use it). */
export interface ToolCaller {
  call(name: string, args: Record<string, unknown>): Promise<ToolCallResult>;
  close(): Promise<void>;
}

/** An MCP SDK client connected to our own `/mcp` over the invoker, as the chat's user. */
export async function connectToolCaller(
  invoker: Invoker,
  credentials: Record<string, string>,
): Promise<ToolCaller> {
  const client = new Client({ name: `${mcpServerInfo.name}-chat`, version: mcpServerInfo.version });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(chatMcpUrl), { fetch: invokerFetch(invoker, credentials) }),
  );
  return {
    async call(name, args) {
      const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
      return {
        isError: res.isError === true,
        text: res.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n'),
        data: res.structuredContent,
      };
    },
    close: () => client.close(),
  };
}
