// admin.test.mjs: the coordinator's administration page. Run by
// TestAdministration (admin_test.go), which checks the audit log afterwards.
import assert from 'node:assert/strict';
import { pageTest, screenshot } from './browser.mjs';

async function signIn(page, token, next = '/administration') {
  await page.goto(`/logga-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL((u) => u.pathname === next);
}

pageTest(
  'a municipality user has no administration, and no menu entry for it',
  async (t, page) => {
    await signIn(page, process.env.GK_TOKEN_0881, '/logga-in');
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Importera', exact: true }).count(), 0);
    const resp = await page.goto('/administration');
    assert.equal(resp.status(), 403);
  },
  { allowConsoleErrors: [/status of 403/] },
);

pageTest('the coordinator creates a token, sees it once, and revokes it; every step by keyboard', async (t, page) => {
  await signIn(page, process.env.GK_TOKEN_COORDINATOR);
  assert.equal(await page.title(), 'Administration – gigakoll');
  // The menu has the upload and this page; the name links to the account.
  const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
  assert.equal(await nav.getByRole('link', { name: 'Administration' }).getAttribute('aria-current'), 'page');
  assert.equal(await nav.getByRole('link', { name: 'Importera', exact: true }).getAttribute('href'), '/uppladdning');
  assert.equal(await page.getByRole('link', { name: 'Regionens samordnare' }).getAttribute('href'), '/logga-in');

  await page.getByLabel('Vem ska ha den').fill('Borgholms kommun');
  await page.getByLabel('Kommunkoder').fill('0885');
  await page.getByLabel('Giltig i dagar').focus();
  await page.keyboard.type('90');
  await page.keyboard.press('Enter');
  const secret = await page.locator('#ny-token').innerText();
  assert.match(secret, /^gk_[A-Za-z0-9_-]{43}$/);
  assert.match(await page.locator('.notice-ok').first().innerText(), /Token \d+ för Borgholms kommun är skapad\./);
  const row = page.locator('#tokentabell tbody tr', { hasText: 'Borgholms kommun' });
  assert.match(await row.innerText(), /Kommun\s+0885\s+gk_[\w-]{6}…/);
  assert.match(await row.innerText(), /\tGäller\t/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'admin-ny-token')}`);
  await page.goto('/administration');
  assert.equal(await page.locator('#ny-token').count(), 0, 'the secret is shown once');

  // The new token works, until it is revoked.
  const works = async () => (await page.request.get('/api/v1/municipalities/0885/gaps?level=address&format=csv', {
    headers: { Authorization: `Bearer ${secret}` },
  })).status();
  assert.equal(await works(), 200);
  await row.getByRole('button', { name: /Återkalla token \d+ för Borgholms kommun/ }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.notice-ok', { hasText: 'är återkallad' }).waitFor();
  assert.match(await page.locator('#tokentabell tbody tr', { hasText: 'Borgholms kommun' }).innerText(), /Återkallad/);
  assert.equal(await works(), 401);
});

pageTest('a snapshot is deleted only after the page that asks, and the audit log filters', async (t, page) => {
  await signIn(page, process.env.GK_TOKEN_COORDINATOR);
  const snapshots = page.locator('#lagetabell tbody tr');
  assert.equal(await snapshots.count(), 3);
  await page.getByRole('link', { name: 'Radera läget 2022-10-01' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Radera läget 2022-10-01?');
  assert.match(await page.locator('main').innerText(), /Det går inte att ångra/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'admin-radera-fraga')}`);
  await page.getByRole('link', { name: 'Avbryt' }).click();
  assert.equal(await snapshots.count(), 3, 'cancelling deletes nothing');
  await page.getByRole('link', { name: 'Radera läget 2022-10-01' }).click();
  await page.getByRole('button', { name: 'Radera läget 2022-10-01' }).click();
  await page.locator('.notice-ok', { hasText: 'Läget per 2022-10-01' }).waitFor();
  assert.equal(await snapshots.count(), 2);

  // The log: everything, then only the deletions.
  const log = page.locator('#loggtabell tbody tr');
  assert.ok((await log.count()) >= 2, 'the log holds the imports and the deletion');
  await page.getByLabel('Händelse').selectOption('delete-snapshot');
  await page.getByRole('button', { name: 'Filtrera' }).click();
  await page.waitForURL((u) => u.searchParams.get('handelse') === 'delete-snapshot');
  assert.equal(await log.count(), 1);
  assert.match(await log.first().innerText(), /Regionens samordnare\s+Läge raderat/);
  await page.getByLabel('Vem', { exact: true }).fill('ingen sådan');
  await page.getByRole('button', { name: 'Filtrera' }).click();
  await page.waitForURL((u) => u.searchParams.get('aktor') === 'ingen sådan');
  assert.equal(await log.first().innerText(), 'Inget i loggen med det här filtret.');
  await page.goto('/administration?fran=2000-01-01&till=2000-12-31');
  assert.equal(await log.first().innerText(), 'Inget i loggen med det här filtret.');
  await page.goto('/administration');
  await page.setViewportSize({ width: 1400, height: 900 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'admin-1400')}`);
  await page.setViewportSize({ width: 390, height: 844 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'admin-390')}`);
});
