import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess } from '../events/server-process.ts';
import { ChatClient } from './chat-client.ts';
import { call, connectHttpClient } from './mcp-client.ts';

describe('the real server process at LOG_LEVEL=info', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('never logs tokens or prompts, and limits chat turns and MCP requests per user', async () => {
    const port = await freePort();
    server = await startServerProcess(
      {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'ts-chat-')),
        LOG_LEVEL: 'info',
        CHAT_RATE_LIMIT: '3',
        MCP_RATE_LIMIT: '8',
      },
      port,
    );
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'logs@example.com', password: 'correct-horse-battery', name: 'Logs' }),
    });
    const { token } = (await signUp.json()) as { token: string };
    const prompt = 'add xyzzy-secret-plan tomorrow';

    const chat = new ChatClient(server.url, token);
    expect((await chat.send(prompt)).text).toContain('xyzzy-secret-plan');
    const mcp = await connectHttpClient(server.url, token);
    expect((await call(mcp, 'find_tasks', { query: 'xyzzy' })).data.tasks).toHaveLength(1);
    await mcp.close();
    await chat.send('anything overdue?');
    await chat.send('show my tasks');
    const limited = await fetch(`${server.url}/api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id: chat.id,
        messages: [{ id: 'm4', role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');

    // MCP is limited per user too: a few more requests spend the minute's 8
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list' }),
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toContain(429);
    expect(statuses[0]).toBe(200);

    const logs = server.output();
    expect(logs).toContain('"url":"/api/v1/chat"');
    expect(logs).toContain('"url":"/mcp"');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[0]);
    expect(logs).not.toContain('xyzzy');
  }, 90_000);
});
