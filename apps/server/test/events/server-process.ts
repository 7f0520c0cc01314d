import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/taskstream.js', import.meta.url));

/** A port nobody listens on right now (the server does not support PORT=0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** stderr and stdout so far, for failure messages */
  output(): string;
  exited: Promise<number | null>;
}

/** Spawns the real CLI (`taskstream serve`) and resolves once `/healthz` answers. */
export async function startServerProcess(
  env: Record<string, string>,
  port: number,
  /** more arguments to `serve`, e.g. `['--role', 'audit']` */
  args: string[] = [],
  /** the CLI's entry point: the TypeScript one through tsx, or the compiled apps/server/dist/cli.js */
  entry: string = bin,
): Promise<ServerProcess> {
  const clean = { ...process.env };
  // the parent's test settings must not leak into the server under test (vitest sets BASE_URL=/, for one)
  for (const k of [
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'EVENT_BUS',
    'SCHEDULER',
    'ROLE',
    'DAPR_API_TOKEN',
    'APP_API_TOKEN',
  ]) {
    delete clean[k];
  }
  const child = spawn(process.execPath, [entry, 'serve', ...args], {
    env: {
      ...clean,
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, output: () => out, exited };
}

/** `kill -9` the server if it still runs, and wait until it has exited. */
export async function killServer(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}
