// results.test.mjs: the residents' figures page, /matningar. Run by
// TestMeasurementResults (results_test.go), whose fixture says what must and
// must not be shown.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pageTest, screenshot, screenshotDir } from './browser.mjs';

const cells = async (row) => (await row.locator('th, td').allInnerTexts()).map((s) => s.replace(/[\u00a0\u202f]/g, ' ').trim());

pageTest('only figures with at least five measurements behind them, by area, connection and square', async (t, page) => {
  await page.goto('/matningar');
  assert.equal(await page.title(), 'Mätresultat – gigakoll');
  assert.equal(await page.getByRole('link', { name: 'Mätresultat' }).getAttribute('aria-current'), 'page');
  const areas = page.locator('table[aria-labelledby="omraden"] tbody tr');
  // Kalmar (10) is not shown: the county's 13 less it would tell Nybro's 3.
  assert.deepEqual((await areas.allInnerTexts()).map((s) => s.split('\t')[0]), ['Län Kalmar län']);
  assert.deepEqual((await cells(areas.first())).slice(0, 2), ['Län Kalmar län', '13']);
  const byConn = page.locator('table[aria-labelledby="anslutning"] tbody tr');
  const fibre = await cells(byConn.filter({ hasText: 'Län Kalmar län' }));
  assert.deepEqual(fibre.slice(0, 4), ['Län Kalmar län', 'fiber', '6', '55,0']);
  assert.equal(await byConn.filter({ hasText: 'DSL' }).count(), 0, 'four DSL measurements are too few');
  // Kalmar's fibre (6) is not shown either: Kalmar's 10 less 6 would tell
  // the 4 by DSL. The county's rest (4 DSL and Nybro's 3) is 7.
  assert.deepEqual((await byConn.allInnerTexts()).map((s) => s.split('\t')[0]), ['Län Kalmar län']);
  const squares = page.locator('table[aria-labelledby="rutor"] tbody tr');
  assert.equal(await squares.count(), 1);
  assert.equal((await cells(squares.first()))[0], '250m-E583000-N6280250');
  assert.ok(!(await page.locator('main').innerText()).includes('Nybro'), 'three measurements in Nybro are too few');
  t.diagnostic(`screenshot: ${await screenshot(page, 'matresultat-1400')}`);

  // The period picker by keyboard, and the downloads follow it.
  await page.getByLabel('Period').selectOption(String(new Date().getFullYear() - 1));
  await page.getByRole('button', { name: 'Visa' }).press('Enter');
  await page.waitForURL((u) => u.searchParams.get('period') === String(new Date().getFullYear() - 1));
  assert.match(await areas.first().innerText(), /Inget område har minst 5 mätningar/);
  assert.match(await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href'), /period=\d{4}$/);
}, { viewport: { width: 1400, height: 900 } });

pageTest('the figures download as XLSX with a sheet per connection type', async (t, page) => {
  await page.goto('/matningar');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
  assert.equal(file.suggestedFilename(), 'matningar-all.xlsx');
  const path = join(screenshotDir, 'matningar-all.xlsx');
  await file.saveAs(path);
  const bytes = await readFile(path);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  t.diagnostic(`screenshot: ${await screenshot(page, 'matresultat-390')}`);
}, { viewport: { width: 390, height: 844 } });
