// auth.test.mjs: a municipality user signs in with a token, downloads the
// gap reports and signs out. Run by TestSignInAndDownload (auth_test.go),
// which opens the downloads afterwards.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pageTest, screenshot, screenshotDir } from './browser.mjs';

const token = process.env.GK_TOKEN_0880;
const downloads = join(screenshotDir, 'downloads');

pageTest('the sign-in page asks for a token in Swedish', async (t, page) => {
  await page.goto('/logga-in');
  assert.equal(await page.title(), 'Logga in – gigakoll');
  const field = page.getByLabel('Token', { exact: true });
  assert.equal(await field.getAttribute('type'), 'password');
  await page.getByLabel('Visa token').check();
  assert.equal(await field.getAttribute('type'), 'text');
  t.diagnostic(`screenshot: ${await screenshot(page, 'auth-logga-in')}`);
});

pageTest(
  'a wrong token is refused with a Swedish message',
  async (t, page) => {
    await page.goto('/logga-in');
    await page.getByLabel('Token', { exact: true }).fill('gk_fel');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Token är okänd, har gått ut eller har återkallats/);
    assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Logga in' }).count(), 1);
  },
  { allowConsoleErrors: [/status of 401/] },
);

pageTest('a municipality user signs in, downloads XLSX and CSV, and signs out', async (t, page) => {
  await page.goto('/uppladdning'); // a coordinators' page: sign in first, then come back
  await page.waitForURL(/\/logga-in\?next=/);
  await page.getByLabel('Token', { exact: true }).fill(`  ${token}  `); // pasted with spaces
  await page.getByRole('button', { name: 'Logga in' }).click();
  // Back at the coordinators' page, which a municipality may not use.
  await page.getByRole('heading', { name: 'Du har inte behörighet' }).waitFor();

  await page.goto('/logga-in');
  assert.equal(await page.title(), 'Ditt konto – gigakoll');
  assert.equal(await page.locator('.account-name').innerText(), 'Kalmar kommun');
  const rows = page.locator('table.downloads tbody tr');
  assert.equal(await rows.count(), 1, 'only its own municipality');
  assert.match(await rows.first().innerText(), /0880 Kalmar/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'auth-konto')}`);

  await mkdir(downloads, { recursive: true });
  for (const [name, file] of [
    ['Gaprapport Kalmar som Excel', 'gap-0880-2024-10-01.xlsx'],
    ['Gaprapport Kalmar som CSV', 'gap-0880-se-2025-1g-2024-10-01.csv'],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    assert.equal(download.suggestedFilename(), file);
    await download.saveAs(join(downloads, file));
    t.diagnostic(`downloaded ${file}`);
  }

  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Logga in' }).count(), 1);
  const cookies = await page.context().cookies();
  assert.equal(cookies.filter((c) => c.name === 'gigakoll_session').length, 0, 'the session cookie is gone');
}, { allowConsoleErrors: [/status of 403/] });

// The map offers address points to a signed-in user only, and draws only the
// user's own municipality's: G8 lies in Nybro's area on the map but is
// imported as 0880, so every drawn point must say 0880.
pageTest('a signed-in user sees address points on the map; the public does not', async (t, page) => {
  const layer = 'Adresspunkter (inloggad, från zoomnivå 13)';
  await page.goto('/');
  await page.waitForFunction(() => window.gigakollKarta && window.gigakollKarta.map && window.gigakollKarta.map.loaded());
  assert.equal(await page.getByLabel(layer).count(), 0, 'the public has no address layer');

  await page.goto('/logga-in');
  await page.getByLabel('Token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL((u) => u.pathname === '/logga-in' || u.pathname === '/');
  await page.goto('/');
  await page.waitForFunction(() => window.gigakollKarta && window.gigakollKarta.map && window.gigakollKarta.map.loaded());
  await page.getByLabel(layer).check();
  // G1, Storgatan 1, Kalmar: SWEREF 99 TM (582010, 6282010) in WGS 84
  await page.evaluate(() => window.gigakollKarta.map.jumpTo({ center: [16.33841, 56.67500], zoom: 15.5 }));
  const drawn = await page.waitForFunction(
    () => {
      const map = window.gigakollKarta.map;
      if (!map.areTilesLoaded()) return null;
      const fs = map.queryRenderedFeatures({ layers: ['adresser-punkter'] });
      return fs.length ? fs.map((f) => f.properties) : null;
    },
    null,
    { timeout: 30_000 },
  );
  const points = await drawn.jsonValue();
  assert.ok(points.some((p) => p.address_id === 'G1' && p.street === 'Storgatan' && p.mbps === 1000), 'G1 is drawn with its gigabit');
  assert.ok(points.every((p) => p.municipality_code === '0880'), 'only the user’s own municipality');
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-adresspunkter')}`);
});
