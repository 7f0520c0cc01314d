import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './mcp.server.ts';
import { httpApi } from './taskstream-api.ts';

/**
 * `taskstream mcp`: the same MCP tools over stdio for desktop clients (Claude Desktop, Cursor), talking to a
 * running server's REST API with the user's token. Stdout carries MCP messages only; it stops when the
 * client closes stdin.
 */
export async function runMcpStdio(opts: { url: string; token: string }): Promise<void> {
  const server = createMcpServer({ api: httpApi(opts.url, opts.token) });
  await server.connect(new StdioServerTransport());
  await new Promise<void>((resolve) => process.stdin.once('end', resolve));
  await server.close();
}
