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
    assert.match(text, /Rad 3, kolumn x, värdet ”inte-ett-tal”: Är inget tal/);
    assert.match(text, /Rad 4, kolumn municipality_code, värdet ”9999”: Ingen kommun har den här koden\./);
    assert.ok(!/column|value|not a number|no municipality/.test(text), `no English on the page: ${text}`);
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
      /Importerade ögonblicksbilden per 2025-10-01 från gaps\.csv: 12 adresspunkter, 15 rader, 74 hushåll, 6 arbetsställen, \d+ varning(ar)?\./,
    );
    assert.equal(await page.locator('#status').isHidden(), true);
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-klar')}`);
  },
  { allowConsoleErrors: [/status of 422/] },
);

pageTest(
  'a workbook, a tab-separated file and a date ahead are refused in Swedish, saying what to do',
  async (t, page) => {
    await signIn(page, process.env.GK_TOKEN_COORDINATOR);
    await page.waitForURL((u) => u.pathname === '/uppladdning');
    const result = page.locator('#result');
    const upload = async (date, file) => {
      await page.evaluate(() => document.getElementById('result').replaceChildren());
      await page.getByLabel('Datum för ögonblicksbilden').fill(date);
      await page.getByLabel('Fil').setInputFiles(file);
      await page.getByRole('button', { name: 'Importera' }).click();
      await result.getByRole('heading', { name: 'Filen importerades inte' }).waitFor();
      return result.innerText();
    };
    let text = await upload('2024-10-01', process.env.GK_XLSX_FILE);
    assert.match(text, /har 1 fel\./);
    assert.match(text, /Det här är ingen CSV-fil utan ett zip-arkiv \(en Excel-arbetsbok, \.xlsx\?\)\. Spara den som CSV/);
    assert.ok(!text.includes('PK'), 'the workbook\'s bytes are not echoed as column names');
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-xlsx')}`);

    text = await upload('2024-10-01', process.env.GK_TSV_FILE);
    assert.match(text, /har 1 fel\./);
    assert.match(text, /Rubrikraden: Kolumnerna är åtskilda med tabbar \(8 i rubrikraden\), inte med komma eller semikolon/);
    assert.ok(!/Kolumnen \w+ saknas/.test(text), 'no "missing column" errors for a tab-separated file');

    // A project register and a mobile file say their problems in Swedish too.
    await page.getByLabel('Vad importeras').selectOption('projects');
    await page.getByLabel('Fil').setInputFiles(process.env.GK_PROJECTS_BAD_FILE);
    await page.evaluate(() => document.getElementById('result').replaceChildren());
    await page.getByRole('button', { name: 'Importera' }).click();
    await result.getByRole('heading', { name: 'Filen importerades inte' }).waitFor();
    text = await result.innerText();
    assert.match(text, /Objekt 0 \(id ”P-1”\), egenskapen status, värdet ”planerad”: Okänd status/);
    assert.match(text, /Objekt 0 \(id ”P-1”\), egenskapen geometry: En position \(582100 6282100\) ser ut som meter i SWEREF 99 TM/);
    assert.ok(!/want|unknown|missing/.test(text), `no English left: ${text}`);
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-projekt-fel')}`);
    await page.getByLabel('Vad importeras').selectOption('mobile');
    text = await upload('2024-10-01', process.env.GK_MOBILE_BAD_FILE);
    assert.match(text, /Rad 2, kolumn technology, värdet ”6g”: Okänd teknik \(2g, 3g, 4g eller 5g\)/);
    assert.ok(!/want|unknown|missing/.test(text), `no English left: ${text}`);
    await page.getByLabel('Vad importeras').selectOption('coverage');

    // A date ahead: the picker offers none, and a date typed past it is refused naming it.
    const max = await page.getByLabel('Datum för ögonblicksbilden').getAttribute('max');
    assert.match(max, /^\d{4}-\d{2}-\d{2}$/);
    await page.evaluate(() => document.getElementById('as_of').removeAttribute('max'));
    text = await upload('2999-10-01', process.env.GK_GOOD_FILE);
    assert.match(text, new RegExp(`Datumet 2999-10-01 ligger i framtiden \\(i dag är det ${max}\\)`));
    await page.setViewportSize({ width: 390, height: 844 });
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-390')}`);
    await page.setViewportSize({ width: 1400, height: 900 });
    t.diagnostic(`screenshot: ${await screenshot(page, 'upload-1400')}`);
  },
  { allowConsoleErrors: [/status of 422/] },
);
