// operator.test.mjs: the operator on /matning and the table "Per operatör"
// on /matningar. Run by TestOperatorFigures (operator_test.go): Kalmar holds
// 4 measurements by Telia customers, too few to show; the resident's one
// makes 5, and the table shows them.
import assert from 'node:assert/strict';
import { baseURL, pageTest, screenshot } from './browser.mjs';

const cells = async (row) => (await row.locator('th, td').allInnerTexts()).map((s) => s.replace(/[\u00a0\u202f]/g, ' ').trim());

pageTest('a resident names their operator on /matning, and the measurements page shows it once five stand behind it', async (t, page) => {
  const table = page.locator('table[aria-labelledby="operator"] tbody tr');
  await page.goto('/matningar');
  assert.equal(await page.getByRole('heading', { name: 'Per operatör' }).count(), 1);
  assert.deepEqual(
    await table.allInnerTexts(),
    ['Ingen operatör har minst 5 mätningar i något område under perioden.'],
    'four Telia measurements are too few',
  );

  const context = page.context();
  await context.grantPermissions(['geolocation'], { origin: baseURL });
  await context.setGeolocation({ latitude: Number(process.env.GK_POSITION_LAT), longitude: Number(process.env.GK_POSITION_LON), accuracy: 30 });
  await page.goto('/matning');
  await page.getByText('Har du mätt med ett annat test? Skriv in resultatet').click();
  await page.getByLabel('Nedladdning (Mbit/s)', { exact: true }).fill('212');
  await page.getByLabel('Uppladdning (Mbit/s)', { exact: true }).fill('31');
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.locator('#plats-status').getByText(/Positionen är hämtad/).waitFor();

  // The field by keyboard: Tab from the connection type reaches it.
  await page.getByLabel('Hur är du uppkopplad?').focus();
  await page.keyboard.press('Tab');
  const operator = page.getByLabel('Operatör / internetleverantör');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'operator', 'Tab from the connection type reaches the operator');
  const listed = await page.locator('#operatorer option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(listed.includes('Telia') && listed.includes('Tele2 / Com Hem') && listed.includes('Bahnhof'), `the list: ${listed}`);
  assert.equal(await operator.getAttribute('list'), 'operatorer');

  // A name without a letter is refused in Swedish, beside the field.
  await page.keyboard.type('–––');
  await page.getByRole('button', { name: 'Skicka mätningen' }).click();
  assert.equal(await page.locator('#operator-fel').innerText(), 'Skriv operatörens namn, till exempel Telia, eller lämna fältet tomt.');
  assert.equal(await operator.getAttribute('aria-invalid'), 'true');
  t.diagnostic(`screenshot: ${await screenshot(page, 'operator-fel-1400')}`);

  // Typed as many would: the server folds it to Telia.
  await operator.fill('TELIA Sverige AB');
  await page.getByRole('button', { name: 'Skicka mätningen' }).click();
  await page.locator('#svar').getByRole('heading', { name: 'Tack för din mätning' }).waitFor();

  await page.goto('/matningar');
  const rows = await Promise.all((await table.all()).map(cells));
  assert.deepEqual(
    rows.map((r) => r.slice(0, 4)),
    [
      ['Län Kalmar län', 'Telia', '5', '150,0'],
      ['Kommun Kalmar', 'Telia', '5', '150,0'],
    ],
    'the median of 100, 120, 150, 180 and the resident\'s 212 is 150',
  );
  await page.getByRole('heading', { name: 'Per operatör' }).scrollIntoViewIfNeeded();
  t.diagnostic(`screenshot: ${await screenshot(page, 'matresultat-operator-1400')}`);
  const csv = await page.getByRole('link', { name: 'Ladda ner tabellen som CSV' }).getAttribute('href');
  assert.equal(csv, '/api/v1/measurements/report?format=csv&table=operators&period=all');
}, { viewport: { width: 1400, height: 900 } });

pageTest('the operator field and the table fit a phone', async (t, page) => {
  await page.goto('/matning');
  await page.getByLabel('Operatör / internetleverantör').fill('Bah');
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `/matning is ${width} px wide on a 390 px screen`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'operator-matning-390')}`);
  await page.goto('/matningar');
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `/matningar is ${width} px wide on a 390 px screen`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'operator-matresultat-390')}`);
}, { viewport: { width: 390, height: 844 } });
