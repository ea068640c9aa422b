// mobile.test.mjs: mobile coverage on the pages, in a real Chromium. Run by
// TestMobile (mobile_test.go) over the map's fixture with the demo's mobile
// coverage of Kalmar and Nybro (2023, 2024) and its mobile measurements;
// every figure checked is read from the API in the same test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { baseURL, pageTest, screenshot, screenshotDir } from './browser.mjs';

const pct = new Intl.NumberFormat('sv-SE', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

async function api(path) {
  const resp = await fetch(baseURL + path);
  assert.equal(resp.status, 200, `GET ${path}`);
  return resp.json();
}

async function mapReady(page) {
  await page.waitForFunction(
    () => {
      const k = window.gigakollKarta;
      return k && k.map.getLayer('kommuner-fyllning') && k.map.loaded() && k.map.areTilesLoaded();
    },
    null,
    { timeout: 30_000 },
  );
}

// centreOf is the middle of a GeoJSON polygon's ring.
function centreOf(geometry) {
  const ring = geometry.type === 'MultiPolygon' ? geometry.coordinates[0][0] : geometry.coordinates[0];
  const pts = ring.slice(0, -1);
  return [pts.reduce((a, c) => a + c[0], 0) / pts.length, pts.reduce((a, c) => a + c[1], 0) / pts.length];
}

// drawnAt waits until the layer draws features and returns their properties.
async function drawnAt(page, layer, centre, zoom) {
  await page.evaluate(([c, z]) => window.gigakollKarta.map.jumpTo({ center: c, zoom: z }), [centre, zoom]);
  await page.waitForFunction(
    (l) => {
      const map = window.gigakollKarta.map;
      return map.loaded() && map.areTilesLoaded() && map.queryRenderedFeatures({ layers: [l] }).length > 0;
    },
    layer,
    { timeout: 30_000 },
  );
  return page.evaluate((l) => window.gigakollKarta.map.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties), layer);
}

for (const viewport of [
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
]) {
  pageTest(
    `the mobile layer colours the squares by the best class outdoors, with its legend (${viewport.width} px)`,
    async (t, page) => {
      // a square of Kalmar's town, where the operators claim at least 30 Mbit/s
      const items = await api('/ogc/collections/mobile/items?f=json&limit=200&bbox=16.33,56.65,16.38,56.68');
      const square = items.features.find((f) => f.properties.outdoor_mbps >= 30);
      assert.ok(square, 'the fixture covers Kalmar');
      await page.goto('/');
      await mapReady(page);
      await page.getByLabel('Rutor 250 m (från zoomnivå 10)').uncheck(); // only the mobile squares
      const box = page.getByLabel('Mobiltäckning utomhus');
      assert.equal(await box.isChecked(), false, 'off until asked for');
      await box.check();
      // on a phone the legend starts folded: the reader opens it from its heading
      if ((await page.locator('#teckenforklaring').getAttribute('open')) === null) await page.locator('#teckenforklaring summary').click();
      const legend = page.locator('#teckenforklaring-mobil');
      assert.equal(await legend.isVisible(), true, 'the legend explains the colours');
      assert.equal(await legend.locator('li').count(), 4);
      assert.match(await legend.innerText(), /minst 100 Mbit\/s[\s\S]*under 10 Mbit\/s/);
      // the swatches have the map's colours
      const swatch = await legend.locator('[data-klass="100"]').evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.equal(swatch, 'rgb(44, 123, 182)');

      const drawn = await drawnAt(page, 'mobil', centreOf(square.geometry), 13);
      const same = drawn.find((p) => p.square === square.properties.square);
      assert.ok(same, `square ${square.properties.square} is drawn`);
      assert.equal(same.outdoor_mbps, square.properties.outdoor_mbps, 'the map shows what OGC says');
      for (const p of drawn) {
        assert.ok([0, 10, 30, 100].includes(p.outdoor_mbps), `class ${p.outdoor_mbps}`);
        assert.ok(!Object.keys(p).some((k) => /household|workplace|holiday/.test(k)), `a square carries no people: ${Object.keys(p)}`);
      }
      t.diagnostic(`screenshot: ${await screenshot(page, `mobil-karta-${viewport.width}`)}`);

      // zoomed out: cells of 1 km and more, still drawn
      await drawnAt(page, 'mobil', centreOf(square.geometry), 8.5);
      t.diagnostic(`screenshot: ${await screenshot(page, `mobil-karta-lan-${viewport.width}`)}`);
    },
    { viewport },
  );
}

pageTest('the operators layer counts the operators with at least 10 Mbit/s in each square', async (t, page) => {
  const items = await api('/ogc/collections/mobile/items?f=json&limit=50&bbox=16.33,56.65,16.38,56.68');
  const square = items.features[0];
  await page.goto('/');
  await mapReady(page);
  await page.getByLabel('Rutor 250 m (från zoomnivå 10)').uncheck();
  await page.getByLabel('Mobiloperatörer per ruta').check();
  assert.equal(await page.locator('#teckenforklaring-mobil-operatorer').isVisible(), true);
  assert.equal(await page.locator('#teckenforklaring-mobil').isVisible(), false, 'only the legend of what is on');
  const drawn = await drawnAt(page, 'mobil-operatorer', centreOf(square.geometry), 13);
  const same = drawn.find((p) => p.square === square.properties.square);
  assert.ok(same);
  assert.equal(same.operators, square.properties.operators);
  assert.equal(
    square.properties.operators,
    square.properties.operator_offers.filter((o) => o.outdoor_mbps >= 10).length,
    'an operator counts with at least 10 Mbit/s outdoors',
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'mobil-operatorer')}`);
});

for (const viewport of [
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
]) {
  pageTest(
    `Kalmar's panel shows its mobile figures and targets beside the fixed ones (${viewport.width} px)`,
    async (t, page) => {
      const snaps = await api('/api/v1/mobile/snapshots');
      const rep = await api(`/api/v1/mobile?as_of=${snaps.in_force}&county=08`);
      const kalmar = rep.areas.find((a) => a.code === '0880');
      const county = rep.areas.find((a) => a.kind === 'county');
      await page.goto('/?kommun=0880');
      await mapReady(page);
      const section = page.locator('#panel .mobil-sektion');
      await section.waitFor();
      assert.match(await section.locator('.panel-ingress').innerText(), new RegExp(`täckning per 1 oktober ${snaps.in_force.slice(0, 4)}`));
      const rows = section.locator('table.mobiltabell').first().locator('tbody tr');
      assert.equal(await rows.count(), 4, '10, 30 and 100 Mbit/s and 5G');
      for (const [i, key] of ['ge_10', 'ge_30', 'ge_100'].entries()) {
        const cells = rows.nth(i).locator('td');
        assert.equal(await cells.nth(0).innerText(), pct.format(kalmar.outdoor[key].households / kalmar.households_total));
        assert.equal(await cells.nth(1).innerText(), pct.format(kalmar.indoor[key].households / kalmar.households_total));
        assert.equal(await cells.nth(2).innerText(), pct.format(kalmar.outdoor[key].squares / kalmar.squares_total));
        assert.equal(await cells.nth(3).innerText(), pct.format(county.outdoor[key].households / county.households_total));
      }
      // the agenda's picture: outdoors at 10 near everyone, fewer at 30 and indoors
      assert.ok(kalmar.outdoor.ge_10.households > kalmar.outdoor.ge_30.households);
      assert.ok(kalmar.outdoor.ge_10.households > kalmar.indoor.ge_10.households);
      for (const r of kalmar.targets) {
        const card = section.locator(`section.mal[data-target="${r.id}"]`);
        assert.equal(await card.locator('[data-text="andel"]').innerText(), pct.format(r.share));
        assert.equal(await card.getAttribute('data-state'), r.met ? 'met' : 'unmet');
      }
      assert.deepEqual(
        kalmar.targets.map((r) => r.id),
        ['se-2023-mobile', 'eu-2030-5g'],
      );
      assert.equal(await section.locator('table.mobiltabell').nth(1).locator('tbody tr').count(), rep.operators.length);
      // the section at the top of the panel, which scrolls apart from the page
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const shot = join(screenshotDir, `mobil-panel-sektion-${viewport.width}.png`);
      if (viewport.width > 600) await page.screenshot({ path: shot });
      else await section.screenshot({ path: shot });
      t.diagnostic(`screenshot: ${shot}`);
      t.diagnostic(`screenshot: ${await screenshot(page, `mobil-panel-${viewport.width}`)}`);
    },
    { viewport },
  );
}

pageTest('the flagged squares: claimed at least 30 Mbit/s, measured a median below 10', async (t, page) => {
  const flags = await api('/api/v1/mobile/flags');
  assert.ok(flags.features.length > 0, 'the demo measurements are flagged');
  for (const f of flags.features) {
    assert.ok(f.properties.measurements >= 5 && f.properties.median_down < 10 && f.properties.claimed_mbps >= 30);
  }
  await page.goto('/');
  await mapReady(page);
  await page.getByLabel('Mobilt: uppmätt långt under utlovat').check();
  assert.equal(await page.locator('#teckenforklaring-mobil-flaggor').isVisible(), true);
  const drawn = await drawnAt(page, 'mobil-flaggor-yta', centreOf(flags.features[0].geometry), 12.5);
  assert.ok(drawn.some((p) => p.square === flags.features[0].properties.square));
  t.diagnostic(`screenshot: ${await screenshot(page, 'mobil-flaggor')}`);
});

pageTest('/mal lists the mobile targets with the others', async (t, page) => {
  const snaps = await api('/api/v1/mobile/snapshots');
  const rep = await api(`/api/v1/mobile?as_of=${snaps.in_force}`);
  const kalmar = rep.areas.find((a) => a.code === '0880').targets.find((r) => r.id === 'eu-2030-5g');
  await page.goto('/mal');
  const row = page.locator('#maltabell tbody tr[data-code="0880"][data-target="eu-2030-5g"]');
  await row.waitFor();
  assert.equal(await row.locator('td').nth(1).innerText(), pct.format(kalmar.share));
  assert.match(await row.locator('td').nth(0).innerText(), /5G: 100\s%\still 2030/);
  // the 2023 target has passed: not among those in force, but under Alla mål
  assert.equal(await page.locator('#maltabell tbody tr[data-target="se-2023-mobile"]').count(), 0);
  await page.getByLabel('Mål', { exact: true }).selectOption('');
  assert.ok((await page.locator('#maltabell tbody tr[data-target="se-2023-mobile"]').count()) > 0);
  t.diagnostic(`screenshot: ${await screenshot(page, 'mobil-mal')}`);
});

pageTest('a coordinator imports a mobile file on the upload page', async (t, page) => {
  await page.goto('/logga-in?next=/uppladdning');
  await page.getByLabel('Token', { exact: true }).fill(process.env.GK_TOKEN_COORDINATOR);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL((u) => u.pathname === '/uppladdning');
  await page.getByLabel('Vad importeras').selectOption('mobile');
  assert.match(await page.locator('#kind-hint').innerText(), /operatör och teknik/);
  await page.getByLabel('Datum för ögonblicksbilden').fill('2025-10-01');
  await page.getByLabel('Fil', { exact: true }).setInputFiles(process.env.GK_MOBILE_FILE);
  await page.getByRole('button', { name: 'Importera' }).click();
  const result = page.locator('#result');
  await result.getByRole('heading', { name: 'Importen är klar' }).waitFor({ timeout: 60_000 });
  assert.match(
    await result.innerText(),
    /Importerade mobiltäckningen per 2025-10-01 från mobile250\.csv: 9 rutor om 250 m, 17 rader, operatörerna Telia, Tele2, Tre, Telenor, 1 varning\./,
  );
  assert.match(await result.innerText(), /Rad 16, kolumn down_mbps_indoor, värdet ”25”: Snabbare inomhus än utomhus \(20 Mbit\/s\): importeras som det står\./);
  t.diagnostic(`screenshot: ${await screenshot(page, 'mobil-uppladdning')}`);
});
