// mal.test.mjs: the targets page (/mal), in a real Chromium. Run by TestMal
// (mal_test.go) over three years of the demo data; figures come from the API
// in the same test. Downloads are saved in DOWNLOAD_DIR for the Go test.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseURL, pageTest, screenshot } from './browser.mjs';

const pct = new Intl.NumberFormat('sv-SE', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const downloads = process.env.DOWNLOAD_DIR;

async function api(path) {
  const resp = await fetch(baseURL + path);
  assert.equal(resp.status, 200, `GET ${path}`);
  return resp.json();
}

// rows flattens the API's municipalities into (name, target, share) rows.
function rows(list) {
  return list.municipalities.flatMap((m) => m.targets.map((r) => ({ name: m.name, id: r.id, share: r.share, threshold: r.threshold })));
}

async function firstRow(page) {
  const row = page.locator('#maltabell tbody tr').first();
  return { name: await row.locator('th').innerText(), target: await row.getAttribute('data-target'), share: await row.locator('td').nth(1).innerText() };
}

function header(page, name) {
  return page.locator('#maltabell thead th').filter({ has: page.getByRole('button', { name, exact: true }) });
}

pageTest('/mal leads with the targets in force, then lists every municipality against every target, furthest first', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  // the targets in force: the API says which (the nearest year not yet passed)
  const inForce = new Set(list.targets.filter((x) => x.in_force).map((x) => x.id));
  assert.ok(inForce.has('eu-2030-1g') && !inForce.has('se-2025-1g'), `in force: ${[...inForce]}`);
  await page.goto('/mal');
  await page.locator('#maltabell tbody tr').first().waitFor();
  const current = rows(list).filter((r) => inForce.has(r.id));
  assert.equal(await page.locator('#maltabell tbody tr').count(), current.length);
  assert.equal(await page.getByLabel('Mål', { exact: true }).inputValue(), 'i-kraft');
  assert.match(await page.locator('#maltabell caption').innerText(), /målen som gäller nu/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'mal')}`);

  await page.getByLabel('Mål', { exact: true }).selectOption('');
  const all = rows(list).filter((r) => r.share != null);
  const furthest = all.reduce((a, b) => (b.threshold - b.share > a.threshold - a.share ? b : a));
  assert.equal(await page.locator('#maltabell tbody tr').count(), rows(list).length);
  assert.equal(await page.locator('#maltabell tfoot tr').count(), list.counties.length * list.targets.length, 'the county last');
  assert.equal(await header(page, 'Kvar till målet').getAttribute('aria-sort'), 'descending');
  assert.deepEqual(await firstRow(page), { name: furthest.name, target: furthest.id, share: pct.format(furthest.share) });
  assert.match(new URL(page.url()).search, /mal=alla/);
});

pageTest('the table sorts by keyboard, and says how', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  const all = rows(list).filter((r) => r.share != null);
  const lowest = all.reduce((a, b) => (b.share < a.share ? b : a));
  const highest = all.reduce((a, b) => (b.share > a.share ? b : a));
  await page.goto('/mal?mal=alla');
  await page.locator('#maltabell tbody tr').first().waitFor();

  const andel = page.getByRole('button', { name: 'Andel', exact: true });
  await andel.focus();
  await page.keyboard.press('Enter');
  assert.equal(await header(page, 'Andel').getAttribute('aria-sort'), 'ascending');
  assert.equal(await header(page, 'Kvar till målet').getAttribute('aria-sort'), null);
  assert.equal((await firstRow(page)).share, pct.format(lowest.share));
  assert.equal(await page.locator('#mal-status').innerText(), 'Sorterat efter Andel, stigande.');

  await page.keyboard.press('Space');
  assert.equal(await header(page, 'Andel').getAttribute('aria-sort'), 'descending');
  assert.equal((await firstRow(page)).share, pct.format(highest.share));

  // Tab moves on to the next column's button, which sorts by its own column.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await header(page, 'Uppfyllt').getAttribute('aria-sort'), 'ascending');
  t.diagnostic(`screenshot: ${await screenshot(page, 'mal-sorterad')}`);

  // Filter to one target: one row per municipality.
  await page.getByLabel('Mål', { exact: true }).selectOption('se-2025-1g');
  assert.equal(await page.locator('#maltabell tbody tr').count(), list.municipalities.length);
});

pageTest('the year picker reloads the table and its downloads', async (t, page) => {
  const snaps = await api('/api/v1/snapshots');
  const first = snaps.snapshots[0].as_of;
  const then = await api(`/api/v1/municipalities?as_of=${first}`);
  const kalmar = then.municipalities.find((m) => m.code === '0880').targets.find((r) => r.id === 'se-2025-1g');
  await page.goto('/mal?mal=alla');
  await page.locator('#maltabell tbody tr').first().waitFor();
  await page.getByLabel('Läge', { exact: true }).selectOption(first);
  const cell = page.locator('#maltabell tbody tr[data-code="0880"][data-target="se-2025-1g"] td').nth(1);
  await page.waitForFunction(
    ([el, want]) => document.querySelector(el)?.textContent === want,
    ['#maltabell tbody tr[data-code="0880"][data-target="se-2025-1g"] td:nth-of-type(2)', pct.format(kalmar.share)],
  );
  assert.equal(await cell.innerText(), pct.format(kalmar.share));
  assert.match(await page.locator('#maltabell caption').innerText(), new RegExp(`läge 1 oktober ${first.slice(0, 4)}`));
  assert.equal(await page.locator('#ladda-csv').getAttribute('href'), `/api/v1/targets?format=csv&as_of=${first}`);
});

pageTest('CSV and XLSX download with Swedish file names', async (t, page) => {
  assert.ok(downloads, 'DOWNLOAD_DIR is set by TestMal');
  const latest = (await api('/api/v1/snapshots')).latest;
  await page.goto('/mal');
  await page.locator('#maltabell tbody tr').first().waitFor();

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  assert.equal(csv.suggestedFilename(), `mal-${latest}.csv`);
  const csvPath = join(downloads, 'mal.csv');
  await csv.saveAs(csvPath);
  const text = await readFile(csvPath, 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'UTF-8 with a BOM, for Swedish spreadsheets');
  const [head, ...lines] = text.slice(1).trim().split(/\r?\n/);
  assert.ok(head.startsWith('Typ;Kod;Namn;Mål;'), `header: ${head}`);
  assert.ok(lines.some((l) => l.startsWith('kommun;0880;Kalmar;se-2025-1g;')), 'Kalmar against the gigabit target');

  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Excel (XLSX)' }).click(),
  ]);
  assert.equal(xlsx.suggestedFilename(), `mal-${latest}.xlsx`);
  const xlsxPath = join(downloads, 'mal.xlsx');
  await xlsx.saveAs(xlsxPath);
  const bytes = await readFile(xlsxPath);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip file');
});

pageTest('the downloads follow the chosen target', async (t, page) => {
  const latest = (await api('/api/v1/snapshots')).latest;
  await page.goto('/mal');
  await page.locator('#maltabell tbody tr').first().waitFor();
  await page.getByLabel('Mål', { exact: true }).selectOption('se-2025-1g');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  assert.equal(csv.suggestedFilename(), `mal-${latest}-se-2025-1g.csv`);
  const path = join(downloads, 'mal-ett-mal.csv');
  await csv.saveAs(path);
  const lines = (await readFile(path, 'utf8')).slice(1).trim().split(/\r?\n/).slice(1);
  const targets = new Set(lines.map((l) => l.split(';')[3]));
  assert.deepEqual([...targets], ['se-2025-1g'], 'only the chosen target is in the file');
  await page.setViewportSize({ width: 1400, height: 900 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'mal-1400')}`);
  await page.setViewportSize({ width: 390, height: 844 });
  t.diagnostic(`screenshot: ${await screenshot(page, 'mal-390')}`);
});
