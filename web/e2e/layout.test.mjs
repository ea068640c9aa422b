// layout.test.mjs: the shared layout of every page, in a real Chromium.
// Run by TestLayout (layout_test.go); the screenshots land in web/test-results.
import assert from 'node:assert/strict';
import { baseURL, pageTest, screenshot } from './browser.mjs';

const pages = [
  { path: '/', title: 'Karta – gigakoll', shot: 'layout-karta' },
  { path: '/mal', title: 'Mål – gigakoll', shot: 'layout-mal' },
  { path: '/matning', title: 'Mätning – gigakoll', shot: 'layout-matning' },
  { path: '/logga-in', title: 'Logga in – gigakoll', shot: 'layout-logga-in' },
];

const menu = [
  { name: 'Karta', href: '/' },
  { name: 'Mål', href: '/mal' },
  { name: 'Mätning', href: '/matning' },
];

for (const p of pages) {
  pageTest(`${p.path} answers 200 in Swedish with the shared layout`, async (t, page, seen) => {
    const resp = await page.goto(p.path);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'], /^text\/html; charset=utf-8/);
    const csp = resp.headers()['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self';/);
    assert.equal(resp.headers()['x-content-type-options'], 'nosniff');
    assert.equal(resp.headers()['referrer-policy'], 'same-origin');

    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    assert.equal(await page.title(), p.title);
    assert.equal(await page.locator('h1').count(), 1, 'one heading per page');

    const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
    for (const m of menu) {
      const link = nav.getByRole('link', { name: m.name, exact: true });
      assert.equal(await link.getAttribute('href'), m.href);
      assert.equal(await link.getAttribute('aria-current'), m.href === p.path ? 'page' : null);
    }
    const login = page.getByRole('banner').getByRole('link', { name: 'Logga in' });
    assert.equal(await login.getAttribute('href'), '/logga-in');

    assert.equal(await page.locator('main#innehall').count(), 1);
    assert.equal(
      (await page.getByRole('contentinfo').innerText()).trim(),
      'Gränser: Lantmäteriet (CC0). Tätorter: SCB (CC0).',
    );

    // The shared stylesheet and the page's module script were loaded.
    const headerBg = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(headerBg, 'rgb(11, 58, 83)', 'the shared stylesheet styles the header');
    assert.ok(seen.requests.some((u) => /\/assets\/layout-[\w-]+\.css$/.test(u)), 'layout CSS requested');
    assert.ok(seen.requests.some((u) => /\/assets\/[\w-]+\.js$/.test(u)), 'page script requested');
    assert.ok(seen.requests.every((u) => u.startsWith(baseURL)), 'every request went to the server');

    t.diagnostic(`screenshot: ${await screenshot(page, p.shot)}`);
  });
}

pageTest(
  'the header wraps on a phone without hiding the menu',
  async (t, page) => {
    await page.goto('/mal');
    for (const m of menu) {
      assert.ok(await page.getByRole('link', { name: m.name, exact: true }).isVisible(), `${m.name} visible`);
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling: the page is ${width}px wide`);
    t.diagnostic(`screenshot: ${await screenshot(page, 'layout-mal-mobil')}`);
  },
  { viewport: { width: 390, height: 844 } },
);

pageTest('Tab reaches the skip link first, and Enter moves focus to the main content', async (t, page) => {
  await page.goto('/mal');
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => ({
    text: document.activeElement.textContent,
    href: document.activeElement.getAttribute('href'),
    top: document.activeElement.getBoundingClientRect().top,
  }));
  assert.deepEqual({ text: skip.text, href: skip.href }, { text: 'Hoppa till innehållet', href: '#innehall' });
  assert.ok(skip.top >= 0, `the focused skip link is on screen (top ${skip.top})`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'layout-hoppa-till-innehallet')}`);

  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'innehall');
  // The next Tab continues inside main, not back at the header.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => !!document.activeElement.closest('header')), false);
});

pageTest('the menu works by keyboard, with a visible focus ring', async (t, page) => {
  await page.goto('/');
  const order = [];
  for (let i = 0; i < 10 && !order.includes('Mätning'); i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.textContent.trim()));
  }
  assert.deepEqual(order, ['Hoppa till innehållet', 'gigakoll', 'Karta', 'Mål', 'Utbyggnad', 'Mätning']);
  const focused = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { background: s.backgroundColor, color: s.color };
  });
  assert.deepEqual(focused, { background: 'rgb(255, 212, 59)', color: 'rgb(11, 12, 12)' }, 'focus ring colours');
  t.diagnostic(`screenshot: ${await screenshot(page, 'layout-fokus-matning')}`);

  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseURL}/matning`);
  assert.equal(await page.title(), 'Mätning – gigakoll');

  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // gigakoll
  await page.keyboard.press('Tab'); // Karta
  await page.keyboard.press('Tab'); // Mål
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseURL}/mal`);
  assert.equal(await page.title(), 'Mål – gigakoll');
});

pageTest(
  'an unknown address gives a Swedish 404 page, and the API a JSON 404',
  async (t, page) => {
    const resp = await page.goto('/finns-inte');
    assert.equal(resp.status(), 404);
    assert.match(resp.headers()['content-type'], /^text\/html/);
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    assert.equal(await page.title(), 'Sidan finns inte – gigakoll');
    assert.equal(await page.locator('h1').innerText(), 'Sidan finns inte');
    assert.equal(await page.getByRole('link', { name: 'kartan' }).getAttribute('href'), '/');
    t.diagnostic(`screenshot: ${await screenshot(page, 'layout-404')}`);

    const api = await page.request.get('/api/v1/finns-inte');
    assert.equal(api.status(), 404);
    assert.match(api.headers()['content-type'], /^application\/json/);
    assert.ok(Array.isArray((await api.json()).errors));
  },
  { allowConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] },
);

pageTest('WebGL2 renders in this Chromium, through SwiftShader', async (t, page) => {
  await page.goto('/');
  const gl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 4;
    const gl = canvas.getContext('webgl2');
    if (!gl) return null;
    gl.clearColor(0, 0.5, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const px = new Uint8Array(4);
    gl.readPixels(1, 1, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return {
      version: gl.getParameter(gl.VERSION),
      renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
      maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE),
      pixel: [...px],
    };
  });
  assert.ok(gl, 'canvas.getContext("webgl2") gave a context');
  t.diagnostic(`WebGL: ${gl.version}; renderer: ${gl.renderer}; max texture ${gl.maxTextureSize}`);
  assert.match(gl.version, /^WebGL 2\.0/);
  assert.match(gl.renderer, /SwiftShader/i);
  assert.ok(Math.abs(gl.pixel[1] - 128) <= 1 && gl.pixel[2] === 255 && gl.pixel[3] === 255, `cleared pixel ${gl.pixel}`);
});

pageTest("ndt7's workers start from their stable URL under the pages' CSP", async (t, page) => {
  await page.goto('/matning');
  const results = await page.evaluate(async () => {
    const start = (url) =>
      new Promise((resolve) => {
        const w = new Worker(url);
        w.onerror = (e) => resolve(`error: ${e.message || 'failed to load'}`);
        // The worker waits for the server's URL; no error by then means it loaded.
        setTimeout(() => {
          w.terminate();
          resolve('ok');
        }, 500);
      });
    return [await start('/ndt7/ndt7-download-worker.js'), await start('/ndt7/ndt7-upload-worker.js')];
  });
  assert.deepEqual(results, ['ok', 'ok']);
});
