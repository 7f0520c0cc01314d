/**
 * `npm run bench -- web [--tasks 5000] [--runs 5] [--completions 20]`
 *
 * Issue 9: the web app in Debian's chromium against the real server (`taskstream serve` on PGlite).
 * - first-load JavaScript of /inbox, gzipped (target ≤ 250 KB): every script the page loads before the list
 *   is interactive, each gzipped as served bytes (level 9);
 * - with N tasks in the Inbox, navigation → list interactive (the first row's checkbox rendered and enabled),
 *   median of the runs;
 * - `x` → the selected row shows completed (its checkbox checked, seen in the next animation frame), median
 *   of 20 completions.
 */
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ensureWebBuild, launchChromium, newAccount, startWebServer } from '../apps/web/test/browser.mts';
import { type BenchOptions, numberOption } from './lib/options.ts';
import { ms, percentile } from './lib/stats.ts';
import { printTable } from './lib/table.ts';

const median = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);

async function post(base: string, cookie: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: JSON.stringify(body),
  });
}

/** Creates `count` Inbox tasks through the API, a few requests at a time. */
async function seed(base: string, cookie: string, count: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await post(base, cookie, '/api/v1/tasks', {
        title: `Seeded task ${String(i).padStart(5, '0')}`,
        ...(i % 3 === 0 ? { priority: 'medium' } : {}),
        ...(i % 5 === 0 ? { tags: ['bench'] } : {}),
      });
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return performance.now() - started;
}

async function timeToInteractive(page: Page, url: string): Promise<{ ms: number; html: string }> {
  const started = performance.now();
  const res = await page.goto(url);
  await page.locator('[data-task-id] input[type=checkbox]:not([disabled])').first().waitFor();
  return { ms: performance.now() - started, html: (await res?.text()) ?? '' };
}

/**
 * In the page: on the next keydown, polls each animation frame until the task's checkbox is checked and
 * resolves with the time since the key event. A string, so the bench's TypeScript transform (which adds
 * helpers such as __name to functions) never reaches the page.
 */
const armLatencyProbe = (taskId: string) => `
  window.__lat = new Promise((resolve) => {
    document.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      const check = () => {
        const box = document.querySelector('[data-task-id="${taskId}"] input[type=checkbox]');
        if (box && box.checked) resolve(performance.now() - t0);
        else if (performance.now() - t0 > 10000) resolve(box ? 'never checked' : 'row gone');
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, { capture: true, once: true });
  });
  undefined`;

/** Presses `x` on the selected row; resolves with the ms until a frame shows its checkbox checked. */
async function completeLatency(page: Page): Promise<number> {
  const id = await page.locator('[data-selected]').getAttribute('data-task-id');
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('no task selected');
  await page.evaluate(armLatencyProbe(id));
  await page.keyboard.press('x');
  const result = await page.evaluate('window.__lat');
  if (typeof result !== 'number') throw new Error(`x on ${id}: ${String(result)}`);
  return result;
}

export async function benchWeb(opts: BenchOptions): Promise<void> {
  const count = numberOption(opts, 'tasks', 5000);
  const runs = numberOption(opts, 'runs', 5);
  const completions = numberOption(opts, 'completions', 20);
  ensureWebBuild();
  const [server, chromium] = await Promise.all([startWebServer(), launchChromium()]);
  try {
    const account = newAccount();
    const signUp = await post(server.url, '', '/api/auth/sign-up/email', account);
    if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status}`);
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const seedMs = await seed(server.url, cookie, count);
    console.log(`seeded ${count} Inbox tasks in ${ms(seedMs)}`);

    const ctx = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const url = new URL(server.url);
    await ctx.addCookies(
      cookie.split('; ').map((c) => {
        const [name, ...v] = c.split('=');
        return { name: name!, value: v.join('='), domain: url.hostname, path: '/' };
      }),
    );
    const page = await ctx.newPage();

    // first load (as Next counts it): the scripts the HTML itself references; the chunks imported lazily
    // afterwards (the domain core, the task panel's markdown…) are reported apart
    const scripts: { url: string; size: Promise<number> }[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      scripts.push({ url: res.url(), size: res.body().then((b) => gzipSync(b, { level: 9 }).length) });
    });
    const first = await timeToInteractive(page, `${server.url}/inbox`);
    const firstLoad = first.ms;
    const referenced = new Set([...first.html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!));
    const sizes = await Promise.all(scripts.map(async (x) => ({ ...x, gz: await x.size })));
    page.removeAllListeners('response');
    const initial = sizes.filter((x) => referenced.has(new URL(x.url).pathname));
    const lazy = sizes.filter((x) => !referenced.has(new URL(x.url).pathname));
    const kb = (xs: { gz: number }[]) => xs.reduce((a, b) => a + b.gz, 0) / 1024;

    const loads: number[] = [firstLoad];
    for (let i = 1; i < runs; i++) loads.push((await timeToInteractive(page, `${server.url}/inbox`)).ms);

    const latencies: number[] = [];
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < completions; i++) {
      await page.keyboard.press('j');
      await page.locator('[data-selected]').waitFor();
      latencies.push(await completeLatency(page));
    }
    await ctx.close();

    printTable(
      `web app, ${count} tasks in the Inbox (chromium ${chromium.browser.version()}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
      ['measure', 'value', 'target'],
      [
        ['first-load JS, gzipped', `${kb(initial).toFixed(1)} KB (${initial.length} scripts)`, '≤ 250 KB'],
        ['lazy JS loaded by then, gzipped', `${kb(lazy).toFixed(1)} KB (${lazy.length} scripts)`, ''],
        [
          'navigation → list interactive, median',
          `${ms(median(loads))} (runs: ${loads.map(ms).join(', ')})`,
          '',
        ],
        ['x → row completed, median of ' + completions, ms(median(latencies)), ''],
        ['x → row completed, max', ms(Math.max(...latencies)), ''],
      ],
    );
  } finally {
    await chromium.close();
    await server.stop();
  }
}
