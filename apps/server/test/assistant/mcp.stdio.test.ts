import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { call } from './mcp-client.ts';

const bin = fileURLToPath(new URL('../../bin/taskstream.js', import.meta.url));

/** `taskstream mcp` as Claude Desktop or Cursor start it, with the SDK's own stdio client. */
async function stdioClient(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'desktop-client', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], env, stderr: 'pipe' }),
  );
  return client;
}

describe('taskstream mcp (stdio) against a running server', () => {
  let t: TestApp;
  let url: string;
  let a: TestUser;
  let b: TestUser;
  let pat: string;

  beforeAll(async () => {
    t = await createTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    a = await t.signUp();
    b = await t.signUp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: a.headers,
      payload: { name: 'desktop' },
    });
    pat = res.json().token;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists the tools and calls add_tasks and find_tasks as the token’s user', async () => {
    const client = await stdioClient({
      TASKSTREAM_URL: url,
      TASKSTREAM_TOKEN: pat,
      PATH: process.env.PATH ?? '',
    });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name)).toContain('add_tasks');
      expect(tools).toHaveLength(14);
      const added = await call(client, 'add_tasks', {
        tasks: [{ text: 'renew passport next month #admin' }],
      });
      expect(added.data.tasks[0]).toMatchObject({ title: 'renew passport', tags: ['admin'] });
      const found = await call(client, 'find_tasks', { filter: '#admin' });
      expect(found.data.tasks.map((x: { title: string }) => x.title)).toEqual(['renew passport']);
    } finally {
      await client.close();
    }
    // the task belongs to the token's user, and only to them
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tasks?filter=%23admin',
      headers: a.headers,
    });
    expect(mine.json().items).toHaveLength(1);
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tasks?filter=%23admin',
      headers: b.headers,
    });
    expect(theirs.json().items).toHaveLength(0);
  }, 60_000);

  it('a bad token gives tool errors that say what to fix', async () => {
    const client = await stdioClient({
      TASKSTREAM_URL: url,
      TASKSTREAM_TOKEN: 'tsk_wrong',
      PATH: process.env.PATH ?? '',
    });
    try {
      const res = await call(client, 'find_tasks', {});
      expect(res.isError).toBe(true);
      expect(res.text).toMatch(/UNAUTHENTICATED[\s\S]*TASKSTREAM_TOKEN/);
    } finally {
      await client.close();
    }
  }, 60_000);
});
