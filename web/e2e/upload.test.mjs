// upload.test.mjs: the coordinators' import page. Run by TestUploadImport
// (auth_test.go), which checks the database afterwards.
import assert from 'node:assert/strict';
import { pageTest, screenshot } from './browser.mjs';

async function signIn(page, token) {
  await page.goto('/logga-in?next=/uppladdning');
  await page.getByLabel('Token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

pageTest(
  'a municipality user may not import',
  async (t, page) => {
    await signIn(page, process.env.GK_TOKEN_0880);
    const resp = await page.goto('/uppladdning');
    assert.equal(resp.status(), 403);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Du har inte behörighet');
  },
  { allowConsoleErrors: [/status of 403/] },
);

pageTest(
  'a coordinator uploads a file with errors, sees the report, then imports a good one',
  async (t, page) => {
    await signIn(page, process.env.GK_TOKEN_COORDINATOR);
    await page.waitForURL((u) => u.pathname === '/uppladdning');
    assert.equal(await page.title(), 'Importera data – gigakoll');

    await page.getByLabel('Datum för ögonblicksbilden').fill('2025-10-01');
    await page.getByLabel('Fil').setInputFiles(process.env.GK_BAD_FILE);
    await page.getByRole('button', { name: 'Importera' }).click();
    const result = page.locator('#result');
    await result.getByRole('heading', { name: 'Filen importerades inte' }).waitFor();
    const text = await result.innerText();
    assert.match(text, /har 2 fel\. Ingenting i databasen har ändrats/);
    assert.match(text, /fel-2025\.csv:3: column x: value "inte-ett-tal"/);
    assert.match(text, /fel-2025\.csv:4: column municipality_code: value "9999"/);
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-fel')}`);

    // The progress shows while the file goes up and the server works: an
    // observer records every text the status shows.
    await page.evaluate(() => {
      window.statusSeen = [];
      const status = document.getElementById('status');
      new MutationObserver(() => {
        if (!status.hidden) window.statusSeen.push(document.getElementById('status-text').textContent);
      }).observe(status, { attributes: true, childList: true, subtree: true, characterData: true });
    });
    await page.getByLabel('Fil').setInputFiles(process.env.GK_GOOD_FILE);
    await page.getByRole('button', { name: 'Importera' }).click();
    await result.getByRole('heading', { name: 'Importen är klar' }).waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => window.statusSeen);
    assert.ok(seen.some((s) => s.startsWith('Laddar upp')), `the upload's progress showed: ${seen}`);
    assert.ok(seen.includes('Kontrollerar och importerar …'), `the server's work showed: ${seen}`);
    assert.match(
      await result.innerText(),
      /Importerade ögonblicksbilden per 2025-10-01 från gaps\.csv: 12 adresspunkter, 15 rader, 74 hushåll, 6 arbetsställen/,
    );
    assert.equal(await page.locator('#status').isHidden(), true);
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-klar')}`);
  },
  { allowConsoleErrors: [/status of 422/] },
);
