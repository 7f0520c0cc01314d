import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { freePort, type ServerProcess, startServerProcess } from '../../server/test/events/server-process.ts';
import { pgliteServerDatabase, postgresServerDatabase } from '../../server/test/helpers/server-database.ts';

const web = fileURLToPath(new URL('..', import.meta.url));
export const screenshotDir = join(web, 'test', 'screenshots');

/** Debian's chromium (apt-get install chromium), never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the static export if it is missing or stale (CI builds it before the tests). */
export function ensureWebBuild(): void {
  execFileSync(process.execPath, [join(web, 'scripts', 'ensure-build.mjs'), '--strict'], {
    stdio: 'inherit',
  });
}

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

/** Chromium; Playwright gives every launch a fresh, temporary user-data-dir of its own. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(chromiumPath))
    throw new Error(`chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  return { browser, close: () => browser.close() };
}

export interface WebServer {
  url: string;
  server: ServerProcess;
  stop(): Promise<void>;
}

/**
 * The real server (`taskstream serve`, every role in one process) serving the built web app: on PGlite in a
 * temp directory, or on a fresh database of TEST_DATABASE_URL's server when that is set.
 */
export async function startWebServer(): Promise<WebServer> {
  const database = process.env.TEST_DATABASE_URL ? await postgresServerDatabase() : pgliteServerDatabase();
  const server = await startServerProcess(database.env, await freePort());
  return {
    url: server.url,
    server,
    async stop() {
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
      await server.exited;
      clearTimeout(timer);
      await database.remove();
    },
  };
}

export interface Account {
  email: string;
  password: string;
  name: string;
}

export function newAccount(): Account {
  return {
    name: 'Ada Lovelace',
    email: `ada-${randomBytes(4).toString('hex')}@example.com`,
    password: 'correct horse battery',
  };
}

/** Calls the API with the context's session cookie (the page's own origin, so better-auth's checks pass). */
export async function apiAs<T>(
  ctx: BrowserContext,
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await ctx.request.fetch(`${base}${path}`, {
    method,
    headers: { origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()}: ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}
