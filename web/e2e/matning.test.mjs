// matning.test.mjs: the residents' speed test at /matning. Run by
// TestMeasurementPage (matning_test.go), which prepares the database and
// checks it afterwards.
import assert from 'node:assert/strict';
import { baseURL, pageTest, screenshot } from './browser.mjs';

const ownWS = new URL(baseURL).host;

pageTest(
  'the official ndt7 client measures against this server, and the resident submits by address',
  async (t, page, seen) => {
    await page.goto('/matning');
    assert.equal(await page.title(), 'Mätning – gigakoll');
    await page.getByRole('button', { name: 'Starta mätningen' }).click();
    const status = page.locator('#test-status');
    await status.getByText(/^Klart:/).waitFor({ timeout: 90_000 });
    const down = await page.locator('#resultat-ned').innerText();
    const up = await page.locator('#resultat-upp').innerText();
    const latency = await page.locator('#resultat-latens').innerText();
    assert.match(down, /^([\d\s\u00a0\u202f]+(,\d)? Mbit\/s|\d+ Gbit\/s)$/, `download shown as ${down}`);
    assert.match(up, /^([\d\s\u00a0\u202f]+(,\d)? Mbit\/s|\d+ Gbit\/s)$/, `upload shown as ${up}`);
    assert.match(latency, /^(\d+(,\d)? ms|under 1 ms|inte uppmätt)$/, `latency shown as ${latency}`);
    assert.notEqual(latency, '0 ms');
    const sockets = seen.requests.filter((u) => u.startsWith('ws'));
    assert.deepEqual(
      sockets.map((u) => new URL(u).pathname).sort(),
      ['/ndt/v7/download', '/ndt/v7/upload'],
      `the test's WebSockets: ${sockets}`,
    );
    assert.ok(sockets.every((u) => new URL(u).host === ownWS), 'the WebSockets went to this server');
    t.diagnostic(`measured ${down} down, ${up} up, ${latency}`);
    t.diagnostic(`screenshot: ${await screenshot(page, 'matning-test-klart')}`);

    // The address by keyboard only: type, arrow down, Enter.
    const address = page.getByRole('combobox', { name: 'Adress' });
    await address.fill('Storgatan 3');
    const options = page.getByRole('option');
    await options.first().waitFor();
    t.diagnostic(`screenshot: ${await screenshot(page, 'matning-adressforslag')}`);
    await address.press('ArrowDown');
    assert.equal(await address.getAttribute('aria-activedescendant'), 'adress-forslag-0');
    await address.press('Enter');
    assert.equal(await address.inputValue(), 'Storgatan 3, 392 31 Kalmar');
    assert.equal(await address.getAttribute('aria-expanded'), 'false');

    await page.getByLabel('Hur är du uppkopplad?').selectOption('fiber');
    await page.getByLabel('Hastighet du betalar för, nedladdning (Mbit/s)').fill('1000');
    await page.getByRole('button', { name: 'Skicka mätningen' }).click();
    const answer = page.locator('#svar');
    await answer.getByRole('heading', { name: 'Tack för din mätning' }).waitFor();
    const text = await answer.innerText();
    assert.match(
      text,
      /Vi sparade din mätning i rutan 250m-E583000-N6280250 i Kalmar kommun \(inte din adress eller din position\)\./,
    );
    assert.match(text, /I rutan finns 6 mätningar: median [\d\s\u00a0\u202f]+,\d Mbit\/s ned/);
    assert.match(text, /Här erbjuds minst 1 Gbit\/s, men medianen är under 100 Mbit\/s/);
    assert.match(text, /Du betalar för 1 Gbit\/s: du fick \d+ % av det/);
    assert.ok(!text.includes('Storgatan'), 'the answer does not repeat the address');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'svar', 'the answer takes the focus');
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookies');
    t.diagnostic(`screenshot: ${await screenshot(page, 'matning-svar')}`);
  },
  { timeout: 150_000 },
);

pageTest('a result typed in from another test, where there are too few measurements yet', async (t, page) => {
  await page.goto('/matning');
  await page.getByRole('button', { name: 'Skicka mätningen' }).click();
  assert.equal(await page.locator('#skicka-fel').innerText(), 'Mät först, eller skriv in ett resultat från ett annat test.');
  assert.equal(await page.locator('#plats-fel').innerText(), 'Välj en adress i listan eller använd din position.');
  t.diagnostic(`screenshot: ${await screenshot(page, 'matning-fel')}`);

  await page.getByText('Har du mätt med ett annat test? Skriv in resultatet').click();
  await page.getByLabel('Nedladdning (Mbit/s)', { exact: true }).fill('18,5');
  await page.getByLabel('Uppladdning (Mbit/s)', { exact: true }).fill('1,2');
  await page.getByLabel(/Svarstid, ping/).fill('31');
  await page.getByLabel(/Vilket test\?/).fill('Bredbandskollen');
  const address = page.getByRole('combobox', { name: 'Adress' });
  await address.fill('Lilgatan 6'); // a typo: the suggestions still find it
  await page.getByRole('option', { name: 'Lillgatan 6, 392 32 Kalmar' }).click();
  await page.getByLabel('Hur är du uppkopplad?').selectOption('dsl');
  await page.getByRole('button', { name: 'Skicka mätningen' }).click();
  const answer = page.locator('#svar');
  await answer.getByRole('heading', { name: 'Tack för din mätning' }).waitFor();
  const text = await answer.innerText();
  assert.match(text, /Vi sparade din mätning i rutan 250m-E583250-N6280250 i Kalmar kommun/);
  assert.match(text, /Du mätte 18,5 Mbit\/s ned och 1,2 Mbit\/s upp, med en svarstid på 31 ms\./);
  assert.match(text, /I rutan finns för få mätningar för att visa något ännu \(minst fem behövs\)\./);
  t.diagnostic(`screenshot: ${await screenshot(page, 'matning-for-fa')}`);
});

pageTest('the position comes from the browser only when asked', async (t, page) => {
  const context = page.context();
  await context.grantPermissions(['geolocation'], { origin: baseURL });
  await context.setGeolocation({ latitude: Number(process.env.GK_POSITION_LAT), longitude: Number(process.env.GK_POSITION_LON), accuracy: 30 });
  await page.addInitScript(() => {
    window.positionAsked = 0;
    const get = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
    navigator.geolocation.getCurrentPosition = (...args) => {
      window.positionAsked++;
      return get(...args);
    };
  });
  await page.goto('/matning');
  assert.equal(await page.evaluate(() => window.positionAsked), 0, 'the page asks for no position by itself');
  await page.getByText('Har du mätt med ett annat test? Skriv in resultatet').click();
  await page.getByLabel('Nedladdning (Mbit/s)', { exact: true }).fill('250');
  await page.getByLabel('Uppladdning (Mbit/s)', { exact: true }).fill('25');
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.locator('#plats-status').getByText(/Positionen är hämtad/).waitFor();
  assert.equal(await page.evaluate(() => window.positionAsked), 1);
  await page.getByRole('button', { name: 'Skicka mätningen' }).click();
  const answer = page.locator('#svar');
  await answer.getByRole('heading', { name: 'Tack för din mätning' }).waitFor();
  const text = await answer.innerText();
  assert.ok(
    text.includes(`Vi sparade din mätning i rutan ${process.env.GK_POSITION_SQUARE} i Kalmar kommun`),
    `the answer: ${text}`,
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'matning-position')}`);
});

pageTest(
  'the page fits a phone',
  async (t, page) => {
    await page.goto('/matning');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);
    t.diagnostic(`screenshot: ${await screenshot(page, 'matning-mobil')}`);
  },
  { viewport: { width: 390, height: 844 } },
);

pageTest('the map shows the squares with at least 5 measurements, and flags the one offered gigabit', async (t, page) => {
  await page.goto('/');
  await page.waitForFunction(() => window.gigakollKarta && window.gigakollKarta.map && window.gigakollKarta.map.loaded(), null, {
    timeout: 30_000,
  });
  const toggle = page.getByLabel('Invånarnas mätningar', { exact: true });
  assert.equal(await toggle.isChecked(), false, 'the layer is off until asked for');
  await toggle.check();
  const centre = [Number(process.env.GK_SQUARE_LON), Number(process.env.GK_SQUARE_LAT)];
  await page.evaluate((c) => window.gigakollKarta.map.jumpTo({ center: c, zoom: 14 }), centre);
  await page.waitForFunction(
    () => {
      const map = window.gigakollKarta.map;
      return map.loaded() && map.areTilesLoaded() && map.queryRenderedFeatures({ layers: ['matningar-fyllning'] }).length > 0;
    },
    null,
    { timeout: 30_000 },
  );
  const squares = await page.evaluate(() =>
    window.gigakollKarta.map.queryRenderedFeatures({ layers: ['matningar-fyllning'] }).map((f) => f.properties),
  );
  const storgatan = squares.find((s) => s.square === '250m-E583000-N6280250');
  assert.ok(storgatan, `Storgatan's square is drawn: ${JSON.stringify(squares)}`);
  assert.ok(storgatan.measurements >= 5 && storgatan.flagged === true && storgatan.offered_gigabit === true, JSON.stringify(storgatan));
  for (const s of squares) assert.ok(s.measurements >= 5, `square ${s.square} shows ${s.measurements} measurements`);
  assert.equal(await page.locator('#teckenforklaring-matningar').isVisible(), true, 'the legend explains the layer');
  t.diagnostic(`screenshot: ${await screenshot(page, 'matning-karta')}`);

  // At county scale (zoom 7): squares of 2 km, each the measurements of its
  // 250 m squares with at least 5 pooled. Storgatan's is the only one with 5
  // in its 2 km square, so that square holds exactly its measurements.
  await page.evaluate((c) => window.gigakollKarta.map.jumpTo({ center: c, zoom: 7 }), centre);
  await page.waitForFunction(
    () => {
      const map = window.gigakollKarta.map;
      return (
        map.loaded() &&
        map.areTilesLoaded() &&
        map.queryRenderedFeatures({ layers: ['matningar-fyllning'] }).some((f) => f.properties.size === 2000)
      );
    },
    null,
    { timeout: 30_000 },
  );
  const coarse = await page.evaluate(() =>
    window.gigakollKarta.map.queryRenderedFeatures({ layers: ['matningar-fyllning'] }).map((f) => f.properties),
  );
  const around = coarse.find((s) => s.square === '2000m-E582000-N6280000');
  assert.ok(around, `the 2 km square around Storgatan is drawn: ${JSON.stringify(coarse)}`);
  assert.equal(around.measurements, storgatan.measurements, JSON.stringify(around));
  assert.equal(around.median_down, storgatan.median_down, JSON.stringify(around));
  for (const s of coarse) {
    assert.ok(s.size === 2000 && s.measurements >= 5 && s.flagged === undefined, `county scale: ${JSON.stringify(s)}`);
  }
  assert.equal(await page.locator('#teckenforklaring-matningar').isVisible(), true, 'the legend explains the layer at county scale');
  t.diagnostic(`screenshot: ${await screenshot(page, 'matning-karta-lan')}`);
});
