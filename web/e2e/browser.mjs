// browser.mjs: what every browser test of gigakoll shares. The Go test of a
// *.test.mjs file (web/e2e/*_test.go) starts the server and runs the file
// with `node --test`, passing
//   BASE_URL        the server, http://127.0.0.1:<port>
//   CHROMIUM        Debian's Chromium, /usr/bin/chromium (scripts/browser.sh)
//   SCREENSHOT_DIR  web/test-results, where screenshots go for a person to look at
//
// pageTest() gives each test a fresh browser context and page, and fails the
// test on any request to another host (the pages load nothing from a third
// party), on any console error and on any uncaught page error.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';

export const baseURL = requireEnv('BASE_URL');
export const screenshotDir = requireEnv('SCREENSHOT_DIR');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// The Chromium flags, all of them: no sandbox (the tests run as root), no GPU
// but SwiftShader's software WebGL (MapLibre needs WebGL2), and nothing that
// talks to Google in the background. Never --disable-software-rasterizer: it
// would take SwiftShader, and so WebGL, away. Playwright adds its own
// automation flags, among them a fresh temporary --user-data-dir in $TMPDIR,
// which the Go harness points at the test's own temporary folder.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

let launched;

/** browser returns this test file's Chromium, launched on first use. */
export function browser() {
  launched ??= chromium.launch({ executablePath, headless: true, args: chromiumArgs, timeout: 60_000 });
  return launched;
}

after(async () => {
  if (launched) await (await launched).close();
});

/**
 * pageTest is node:test's test() with a fresh context and page at desktop
 * size (or options.viewport), watched for what no page of ours may do.
 *
 * @param {string} name what the test shows, as a sentence
 * @param {(t: import('node:test').TestContext, page: import('playwright-core').Page,
 *          seen: {requests: string[]}) => Promise<void>} fn
 * @param {{viewport?: {width: number, height: number},
 *          allowConsoleErrors?: RegExp[], timeout?: number}} [options]
 *   allowConsoleErrors: console errors the test expects, such as Chromium's
 *   "Failed to load resource: … 404" on a test of the 404 page.
 */
export function pageTest(name, fn, options = {}) {
  test(name, { timeout: options.timeout ?? 60_000 }, async (t) => {
    const context = await (await browser()).newContext({
      baseURL,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    const problems = [];
    const seen = { requests: [] };
    const own = new URL(baseURL).host;
    const isOwn = (url) => {
      const u = new URL(url);
      return u.protocol === 'data:' || u.protocol === 'blob:' || u.host === own;
    };
    // Every HTTP request passes here: our own go through, any other is
    // recorded and refused (so a test never waits on a third party).
    await context.route('**/*', (route) => {
      const url = route.request().url();
      seen.requests.push(url);
      if (isOwn(url)) return route.continue();
      problems.push(`request to another host: ${url}`);
      return route.abort('blockedbyclient');
    });
    context.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = `${msg.text()} (${msg.location().url || 'no location'})`;
      if (!(options.allowConsoleErrors ?? []).some((re) => re.test(text))) {
        problems.push(`console error: ${text}`);
      }
    });
    context.on('weberror', (e) => problems.push(`page error: ${e.error().stack || e.error().message}`));
    context.on('page', (page) =>
      page.on('websocket', (ws) => {
        seen.requests.push(ws.url());
        if (!isOwn(ws.url())) problems.push(`WebSocket to another host: ${ws.url()}`);
      }),
    );
    const page = await context.newPage();
    try {
      await fn(t, page, seen);
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, [], 'the page did what no page of ours may do');
  });
}

/**
 * screenshot saves the whole page as SCREENSHOT_DIR/<name>.png and returns
 * the path. Look at it: a test cannot see that a layout is wrong.
 */
export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with go test ./web/e2e (make test does)`);
  return v;
}
