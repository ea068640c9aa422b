// map.test.mjs: the coordinator's map (/), in a real Chromium. Run by TestMap
// (map_test.go) over three years of the demo data; every figure checked here
// is read from the API in the same test and formatted the Swedish way here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { baseURL, pageTest, screenshot, screenshotDir } from './browser.mjs';

const pct = new Intl.NumberFormat('sv-SE', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

async function api(path) {
  const resp = await fetch(baseURL + path);
  assert.equal(resp.status, 200, `GET ${path}`);
  return resp.json();
}

function result(area, id) {
  return area.targets.find((x) => x.id === id);
}

// ranked orders the municipalities by how far below the target they are.
function ranked(list, id) {
  return list.municipalities
    .filter((m) => result(m, id).share != null)
    .sort((a, b) => result(b, id).threshold - result(b, id).share - (result(a, id).threshold - result(a, id).share));
}

// mapReady waits until the municipalities are drawn and no tile is loading.
async function mapReady(page) {
  await page.waitForFunction(
    () => {
      const k = window.gigakollKarta;
      return (
        k &&
        k.map.getLayer('kommuner-fyllning') &&
        k.map.loaded() &&
        k.map.areTilesLoaded() &&
        k.map.queryRenderedFeatures({ layers: ['kommuner-fyllning'] }).length > 0
      );
    },
    null,
    { timeout: 30_000 },
  );
}

// drawn returns the shares of the municipalities drawn on the map, by code.
async function drawn(page, property = 'share_1000') {
  return page.evaluate((prop) => {
    const out = {};
    for (const f of window.gigakollKarta.map.queryRenderedFeatures({ layers: ['kommuner-fyllning'] })) {
      if (f.properties[prop] != null) out[f.properties.code] = f.properties[prop];
    }
    return out;
  }, property);
}

// pixelOf finds a point of the canvas where the map shows the municipality.
async function pixelOf(page, code) {
  const p = await page.evaluate((c) => {
    const map = window.gigakollKarta.map;
    const canvas = map.getCanvas();
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    for (let y = 20; y < h; y += 12) {
      for (let x = 20; x < w; x += 12) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['kommuner-fyllning'] })[0];
        if (f && f.properties.code === c) {
          const r = canvas.getBoundingClientRect();
          return { x: r.left + x, y: r.top + y };
        }
      }
    }
    return null;
  }, code);
  assert.ok(p, `municipality ${code} is drawn somewhere on the map`);
  return p;
}

function shareCard(page) {
  return page.locator('#panel section[data-target="se-2025-1g"] [data-text="andel"]');
}

pageTest('the map draws every municipality in the API\'s colours and ranks them by their distance from the gigabit target in force', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  await page.goto('/');
  await mapReady(page);

  const shares = await drawn(page);
  for (const m of list.municipalities) {
    const want = result(m, 'se-2025-1g').share;
    assert.ok(Math.abs(shares[m.code] - want) < 1e-9, `${m.name}: drawn share ${shares[m.code]}, API ${want}`);
  }
  // The answer without a manual: the ranking by the gigabit target in force
  // (the nearest year not yet passed: 2030 as of 2026), furthest first, with "in time".
  const head = list.targets.filter((x) => x.class_mbps === 1000 && !x.county_code && x.in_force).sort((a, b) => a.year - b.year)[0];
  assert.equal(head.id, 'eu-2030-1g');
  const order = ranked(list, head.id);
  await page.getByRole('heading', { name: `Längst från målet ${head.year}` }).waitFor();
  const rows = page.locator('#panel table.rangordning tbody tr');
  assert.equal(await rows.count(), list.municipalities.length);
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    assert.equal(await row.locator('th').innerText(), order[i].name);
    assert.equal(await row.locator('td').first().innerText(), pct.format(result(order[i], head.id).share));
  }
  const answer = await page.locator('#panel .svar').innerText();
  assert.match(answer, new RegExp(`Längst från målet är ${order[0].name} \\(${pct.format(result(order[0], head.id).share)}\\)`));
  const onCourse = list.municipalities.filter((m) => result(m, head.id).projection?.on_course).length;
  assert.match(await page.locator('#panel .svar-takt').innerText(), new RegExp(`${onCourse} av ${list.municipalities.length} kommuner`));
  // The legend names the class and the scale.
  assert.equal(
    await page.locator('#teckenforklaring-rubrik').innerText(),
    'Andel hushåll och arbetsställen med ≥ 1 Gbit/s',
  );
  assert.equal(await page.locator('#skala li').count(), 10);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta')}`);
});

pageTest('clicking Kalmar opens its panel with the share the API gives', async (t, page) => {
  const kalmar = (await api('/api/v1/municipalities/0880')).municipality;
  await page.goto('/');
  await mapReady(page);
  const p = await pixelOf(page, '0880');
  await page.mouse.click(p.x, p.y);
  await page.locator('#panel[data-code="0880"]').waitFor();
  assert.equal(await page.locator('#panel-rubrik').innerText(), 'Kalmar');
  assert.equal(await shareCard(page).innerText(), pct.format(result(kalmar, 'se-2025-1g').share));
  // every target has its card, with gap, forecast and projection
  assert.equal(await page.locator('#panel [data-list="mal"] section.mal').count(), kalmar.targets.length);
  const gig = page.locator('#panel section[data-target="se-2025-1g"]');
  const r = result(kalmar, 'se-2025-1g');
  assert.match(await gig.innerText(), new RegExp(`${pct.format(r.forecast.share)} om all planerad utbyggnad`));
  assert.match(
    await gig.innerText(),
    new RegExp(`Var för sig\\s+${new Intl.NumberFormat('sv-SE').format(r.gap_households)} hushåll`),
  );
  assert.equal(await page.locator('#panel table.tatort tbody tr').count(), kalmar.targets.length);
  // access including mobile and satellite, labelled, beside the fixed figures
  const mobile = page.locator('#panel table.mobil tbody tr');
  assert.equal(await mobile.count(), 4);
  const total = kalmar.households_total + kalmar.workplaces_total;
  const withMobile = (kalmar.including_mobile.households.ge_10 + kalmar.including_mobile.workplaces.ge_10) / total;
  assert.equal(await mobile.nth(3).locator('td').nth(1).innerText(), pct.format(withMobile));
  assert.ok(withMobile > 0, 'the demo has access including mobile at ≥ 10 Mbit/s');
  assert.match(await page.locator('#panel').innerText(), /räknas inte mot målen/);
  assert.equal(await page.locator('#panel canvas[data-ref="diagram"]').count(), 1);
  assert.match(new URL(page.url()).search, /kommun=0880/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-kalmar')}`);
  await page.locator('#panel .diagram').scrollIntoViewIfNeeded();
  const chart = join(screenshotDir, 'karta-kalmar-diagram.png');
  await page.locator('#panel .diagram').screenshot({ path: chart });
  t.diagnostic(`screenshot: ${chart}`);
});

pageTest('the year picker changes the figures on the map and in the panel', async (t, page) => {
  const snaps = await api('/api/v1/snapshots');
  const first = snaps.snapshots[0].as_of;
  const then = (await api(`/api/v1/municipalities/0880?as_of=${first}`)).municipality;
  const now = (await api('/api/v1/municipalities/0880')).municipality;
  assert.notEqual(result(then, 'se-2025-1g').share, result(now, 'se-2025-1g').share, 'the fixture changes over the years');

  await page.goto('/?kommun=0880');
  await mapReady(page);
  await page.locator('#panel[data-code="0880"]').waitFor();
  assert.equal(await shareCard(page).innerText(), pct.format(result(now, 'se-2025-1g').share));

  const years = page.getByLabel('Läge', { exact: true });
  assert.equal(await years.locator('option').count(), snaps.snapshots.length);
  await years.selectOption(first);
  await page.waitForFunction(
    (want) => document.querySelector('#panel section[data-target="se-2025-1g"] [data-text="andel"]')?.textContent === want,
    pct.format(result(then, 'se-2025-1g').share),
  );
  assert.match(await page.locator('.panel-ingress').innerText(), new RegExp(`Läge 1 oktober ${first.slice(0, 4)}`));
  await page.waitForFunction(
    ([want]) => {
      const map = window.gigakollKarta.map;
      const f = map.queryRenderedFeatures({ layers: ['kommuner-fyllning'] }).find((x) => x.properties.code === '0880');
      return map.areTilesLoaded() && f && Math.abs(f.properties.share_1000 - want) < 1e-9;
    },
    [result(then, 'se-2025-1g').share],
    { timeout: 30_000 },
  );
  assert.match(new URL(page.url()).search, new RegExp(`as_of=${first}`));
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-tidigare-ar')}`);
});

pageTest('the class toggle colours by 100 Mbit/s and ranks by that target', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  await page.goto('/');
  await mapReady(page);
  await page.getByLabel('≥ 100 Mbit/s').check();
  assert.equal(
    await page.locator('#teckenforklaring-rubrik').innerText(),
    'Andel hushåll och arbetsställen med ≥ 100 Mbit/s',
  );
  const order = ranked(list, 'se-2025-100');
  await page.waitForFunction(
    (name) => document.querySelector('#panel table.rangordning tbody tr th')?.textContent === name,
    order[0].name,
  );
  assert.equal(
    await page.locator('#panel table.rangordning tbody tr td').first().innerText(),
    pct.format(result(order[0], 'se-2025-100').share),
  );
  assert.match(await page.locator('#panel .svar').innerText(), /≥ 100 Mbit\/s: 99,9\s% till 2025/);
});

pageTest('the keyboard reaches every municipality, and Escape closes its panel', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  const nybro = list.municipalities.find((m) => m.code === '0881');
  await page.goto('/');
  await mapReady(page);
  await page.getByLabel('Kommun', { exact: true }).focus();
  await page.getByLabel('Kommun', { exact: true }).selectOption('0881'); // what arrow keys do on a focused select
  await page.locator('#panel[data-code="0881"]').waitFor();
  assert.equal(await shareCard(page).innerText(), pct.format(result(nybro, 'se-2025-1g').share));
  await page.keyboard.press('Escape');
  await page.locator('#panel[data-view="ranking"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'kommun', 'focus returns to the list');

  // Tab from the list into the ranking (past the layers, the address
  // search and the picture button), and open a municipality with Enter.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.closest('table.rangordning') !== null)) break;
  }
  const name = await page.evaluate(() => document.activeElement.textContent);
  const code = list.municipalities.find((m) => m.name === name)?.code;
  assert.ok(code, `Tab reached a municipality of the ranking (${name})`);
  await page.keyboard.press('Enter');
  await page.locator(`#panel[data-code="${code}"]`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel', 'focus moves into the panel');
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-tangentbord')}`);
  await page.keyboard.press('Escape');
  await page.locator('#panel[data-view="ranking"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), name, 'focus returns to the row');
});

pageTest('zoomed in, the map shows the public squares, none with fewer than 5 households', async (t, page) => {
  // Where a public square is, by the public OGC collection of squares (the
  // fixture is sparse: not every part of a municipality has one).
  const first = (await api('/ogc/collections/squares/items?f=json&limit=1')).features[0];
  const ring = first.geometry.type === 'MultiPolygon' ? first.geometry.coordinates[0][0] : first.geometry.coordinates[0];
  const center = [ring.reduce((a, c) => a + c[0], 0) / ring.length, ring.reduce((a, c) => a + c[1], 0) / ring.length];
  await page.goto('/');
  await mapReady(page);
  await page.evaluate((c) => window.gigakollKarta.map.jumpTo({ center: c, zoom: 11 }), center);
  await page.waitForFunction(
    () => {
      const map = window.gigakollKarta.map;
      return map.loaded() && map.areTilesLoaded() && map.queryRenderedFeatures({ layers: ['rutor-fyllning'] }).length > 0;
    },
    null,
    { timeout: 30_000 },
  );
  const squares = await page.evaluate(() =>
    window.gigakollKarta.map.queryRenderedFeatures({ layers: ['rutor-fyllning'] }).map((f) => f.properties),
  );
  for (const s of squares) assert.ok(s.households >= 5, `square ${s.square} shows ${s.households} households`);
  assert.equal(await page.locator('#teckenforklaring-rutor').isVisible(), true, 'the legend explains the squares');
  t.diagnostic(`${squares.length} squares drawn; screenshot: ${await screenshot(page, 'karta-rutor')}`);
});
