// map-ux.test.mjs: what a coordinator or a resident sees and does on the map
// beyond the figures of map.test.mjs. Run by TestMapUX (map_ux_test.go) over
// three years of the demo data with the address suggestions. Expected
// figures come from the API; the colour scale is written out here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseURL, pageTest, screenshot, screenshotDir } from './browser.mjs';

const pct = new Intl.NumberFormat('sv-SE', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const int = new Intl.NumberFormat('sv-SE');
const phone = { viewport: { width: 390, height: 844 } };
const wide = { viewport: { width: 1400, height: 900 } };

// The scale, as the legend states it: below 20 %, 20–40, 40–60, 60–70,
// 70–80, 80–90, 90–95, 95–98, 98 % or more (viridis).
const breaks = [0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];
const colours = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const colourOf = (share) => colours[breaks.filter((b) => share >= b).length];

async function api(path) {
  const resp = await fetch(baseURL + path);
  assert.equal(resp.status, 200, `GET ${path}`);
  return resp.json();
}

const gigabit = (m) => m.targets.find((x) => x.id === 'se-2025-1g');

async function mapReady(page) {
  await page.waitForFunction(
    () => {
      const k = window.gigakollKarta;
      return k && k.map.getLayer('kommuner-fyllning') && k.map.loaded() && k.map.areTilesLoaded() &&
        k.map.queryRenderedFeatures({ layers: ['kommuner-fyllning'] }).length > 0;
    },
    null,
    { timeout: 30_000 },
  );
}

// interior finds, for each municipality drawn, a pixel well inside it (no
// outline, no edge) and the colour the canvas has there.
async function interiorColours(page) {
  return page.evaluate(() => {
    const map = window.gigakollKarta.map;
    const canvas = map.getCanvas();
    const ratio = canvas.width / canvas.clientWidth;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const g = copy.getContext('2d');
    g.drawImage(canvas, 0, 0);
    const codeAt = (x, y) => map.queryRenderedFeatures([x, y], { layers: ['kommuner-fyllning'] })[0]?.properties.code;
    const out = {};
    for (let y = 30; y < canvas.clientHeight - 30; y += 14) {
      for (let x = 30; x < canvas.clientWidth - 30; x += 14) {
        const c = codeAt(x, y);
        if (!c || out[c]) continue;
        if ([[-6, 0], [6, 0], [0, -6], [0, 6], [-6, -6], [6, 6]].some(([dx, dy]) => codeAt(x + dx, y + dy) !== c)) continue;
        const label = [...document.querySelectorAll('.kommun-etikett')].some((el) => {
          const r = el.getBoundingClientRect();
          const cr = canvas.getBoundingClientRect();
          return Math.abs(r.left + r.width / 2 - cr.left - x) < r.width && Math.abs(r.top + r.height / 2 - cr.top - y) < 20;
        });
        if (label) continue;
        const [r, gr, b] = g.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        out[c] = `#${[r, gr, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      }
    }
    return out;
  });
}

const near = (a, b) => [1, 3, 5].every((i) => Math.abs(parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16)) <= 4);

pageTest('the map colours each municipality by the share the panel and /mal show, on nine steps', async (t, page) => {
  const snaps = await api('/api/v1/snapshots');
  const first = snaps.snapshots[0].as_of;
  for (const asOf of [snaps.latest, first]) {
    const list = await api(`/api/v1/municipalities?as_of=${asOf}`);
    await page.goto(asOf === snaps.latest ? '/' : `/?as_of=${asOf}`);
    await mapReady(page);
    const drawn = await interiorColours(page);
    let checked = 0;
    for (const m of list.municipalities) {
      if (!drawn[m.code]) continue;
      const want = colourOf(gigabit(m).share);
      assert.ok(near(drawn[m.code], want), `${m.name} ${asOf}: drawn ${drawn[m.code]}, its share ${pct.format(gigabit(m).share)} is ${want}`);
      checked++;
    }
    assert.ok(checked >= 8, `${checked} municipalities checked by their colour`);
    const distinct = new Set(list.municipalities.map((m) => colourOf(gigabit(m).share)));
    t.diagnostic(`${asOf}: ${distinct.size} colours among ${list.municipalities.length} municipalities`);
  }
  const legend = await page.locator('#skala li').allInnerTexts();
  assert.deepEqual(legend.map((s) => s.replace(/[\u00a0\u202f]/g, ' ').trim()), [
    '98 % eller mer', '95–98 %', '90–95 %', '80–90 %', '70–80 %', '60–70 %', '40–60 %', '20–40 %', 'under 20 %',
    'Kommun utan data i detta läge',
  ]);
  assert.equal(await page.locator('#teckenforklaring-rubrik').innerText(), 'Andel hushåll och arbetsställen med ≥ 1 Gbit/s');
}, { timeout: 180_000 });

pageTest('names on the map, a share under the pointer, a square\'s figures on a click', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  await page.goto('/');
  await mapReady(page);
  const names = await page.locator('.kommun-etikett:not(.dold)').allInnerTexts();
  assert.deepEqual(names.sort(), list.municipalities.map((m) => m.name).sort(), 'every covered municipality is named');

  // The pointer over Kalmar: its combined share.
  const kalmar = list.municipalities.find((m) => m.code === '0880');
  const p = await page.evaluate(() => {
    const map = window.gigakollKarta.map;
    const r = map.getCanvas().getBoundingClientRect();
    for (let y = 20; y < r.height; y += 10) {
      for (let x = 20; x < r.width; x += 10) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['kommuner-fyllning'] })[0];
        if (f && f.properties.code === '0880') return { x: r.left + x, y: r.top + y };
      }
    }
    return null;
  });
  await page.mouse.move(p.x, p.y);
  const tip = page.locator('.karta-tips');
  await tip.waitFor();
  assert.equal(await tip.innerText(), `Kalmar: ${pct.format(gigabit(kalmar).share)}`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-peka')}`);

  // Zoomed in: a click on a square gives its figures, as the tiles have them.
  const sq = (await api('/ogc/collections/squares/items?f=json&limit=50')).features.find((f) => f.properties.size_m === 250);
  const ring = sq.geometry.type === 'MultiPolygon' ? sq.geometry.coordinates[0][0] : sq.geometry.coordinates[0];
  const centre = [ring.slice(0, 4).reduce((a, c) => a + c[0], 0) / 4, ring.slice(0, 4).reduce((a, c) => a + c[1], 0) / 4];
  await page.evaluate((c) => window.gigakollKarta.map.jumpTo({ center: c, zoom: 14 }), centre);
  await page.waitForFunction(
    () => {
      const map = window.gigakollKarta.map;
      return map.loaded() && map.areTilesLoaded() && map.queryRenderedFeatures({ layers: ['rutor-fyllning'] }).length > 0;
    },
    null,
    { timeout: 30_000 },
  );
  const box = await page.locator('#karta canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const popup = page.locator('.karta-info .karta-popup');
  await popup.waitFor();
  const props = await page.evaluate(() => {
    const map = window.gigakollKarta.map;
    const c = map.getCanvas();
    return map.queryRenderedFeatures([c.clientWidth / 2, c.clientHeight / 2], { layers: ['rutor-fyllning'] })[0].properties;
  });
  const text = await popup.innerText();
  assert.match(text, /Ruta om 250 m|Resten av rutan om 1 km/);
  assert.match(text, new RegExp(`${int.format(props.households)} hushåll`));
  assert.match(text, new RegExp(`≥ 1 Gbit/s: ${pct.format(props.share_1000)}`));
  assert.ok(!/arbetsställen\b/.test(text) || props.workplaces !== 1, 'one workplace is "1 arbetsställe"');
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-ruta-klick')}`);
}, { ...wide, timeout: 180_000 });

pageTest('a municipality outside the data, or no municipality, is named as such', async (t, page) => {
  const list = await api('/api/v1/municipalities');
  await page.goto('/?kommun=0180');
  await mapReady(page);
  const message = page.locator('#karta-meddelande');
  await message.waitFor();
  assert.match(await message.innerText(), /^Stockholm \(0180\) finns inte i täckningsdatan för 1 oktober \d{4}: den omfattar Kalmar län\./);
  assert.equal(await page.locator('#panel').getAttribute('data-view'), 'ranking', 'the panel is not left loading');
  assert.equal(await page.locator('#panel table.rangordning tbody tr').count(), list.municipalities.length);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-kommun-utanfor')}`);

  await page.goto('/?kommun=9999');
  await mapReady(page);
  await message.waitFor();
  assert.equal(await message.innerText(), 'Det finns ingen kommun med koden 9999. Välj en kommun i listan Kommun eller i kartan.');
  assert.notEqual(await page.locator('#panel-rubrik').innerText(), 'Läser in …');
}, { timeout: 120_000 });

pageTest('on a phone the legend starts folded and opens from its heading', async (t, page) => {
  await page.goto('/');
  await mapReady(page);
  const legend = page.locator('#teckenforklaring');
  assert.equal(await legend.getAttribute('open'), null, 'folded on a phone');
  const map = await page.locator('#karta').boundingBox();
  const folded = await legend.boundingBox();
  assert.ok(folded.height * folded.width < 0.1 * map.height * map.width, `the folded legend takes ${folded.width}×${folded.height} of ${map.width}×${map.height}`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-390')}`);
  await page.locator('#teckenforklaring summary').focus();
  await page.keyboard.press('Enter');
  assert.notEqual(await legend.getAttribute('open'), null, 'Enter on the heading opens it');
  const open = await legend.boundingBox();
  assert.ok(open.height < 0.6 * map.height, `the open legend is ${open.height} px of the map's ${map.height}`);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-390-teckenforklaring')}`);
}, phone);

pageTest('the address search brings the address\'s square into view, never the address itself', async (t, page) => {
  const found = await api('/api/v1/addresses?q=gatan');
  assert.ok(found.addresses.length > 0, 'the fixture has street addresses');
  const a = found.addresses[0];
  await page.goto('/');
  await mapReady(page);
  const search = page.getByRole('combobox', { name: 'Sök adress' });
  await search.fill(a.label.slice(0, 12));
  const options = page.locator('#adressok-forslag [role="option"]');
  await options.first().waitFor();
  await search.fill(a.label);
  // The list has settled on the full label's suggestions (the shorter
  // query's may still be shown for a moment), then the keyboard picks it.
  const labels = (await api(`/api/v1/addresses?q=${encodeURIComponent(a.label)}`)).addresses.map((x) => x.label);
  assert.ok(labels.includes(a.label), `${a.label} is among its own suggestions`);
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('#adressok-forslag [role="option"]')].map((li) => li.textContent).join('\n') === want,
    labels.join('\n'),
  );
  for (let i = 0; i <= labels.indexOf(a.label); i++) await search.press('ArrowDown');
  await search.press('Enter');
  const message = page.locator('#karta-meddelande');
  await page.waitForFunction(() => /rutan/.test(document.getElementById('karta-meddelande').textContent), null, { timeout: 30_000 });
  const text = await message.innerText();
  assert.ok(text.startsWith(a.label), text);
  // The message says what the popup shows: the square itself, or the rest
  // of its 1 km square when it has fewer than 5 households.
  const popup = await page.locator('.karta-popup strong').first().innerText();
  if (popup.startsWith('Resten av rutan om 1 km')) assert.match(text, /färre än 5 hushåll: siffrorna gäller resten av rutan om 1 km/);
  else assert.match(text, /Klicka på rutan för dess siffror/);
  t.diagnostic(`the address's square: ${popup}`);
  const view = await page.evaluate(() => {
    const m = window.gigakollKarta.map;
    return { zoom: m.getZoom(), centre: m.getCenter().toArray() };
  });
  const [w, s, e, n] = a.square_bounds;
  assert.ok(view.zoom >= 13, `zoomed to the square (zoom ${view.zoom})`);
  assert.ok(Math.abs(view.centre[0] - (w + e) / 2) < 0.01 && Math.abs(view.centre[1] - (s + n) / 2) < 0.01, 'centred on the square');
  assert.equal(await page.locator('.karta-info [data-address]').count(), 0, 'no address point is shown to the public');
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-adressok')}`);
}, { ...wide, timeout: 120_000 });

pageTest('the map is saved as a picture with its legend, year and source', async (t, page) => {
  const latest = (await api('/api/v1/snapshots')).latest;
  await page.goto('/');
  await mapReady(page);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Spara kartan som bild' }).click()]);
  assert.equal(file.suggestedFilename(), `gigakoll-karta-${latest}-1gbit.png`);
  const path = join(screenshotDir, 'karta-sparad-bild.png');
  await file.saveAs(path);
  const png = await readFile(path);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const canvas = await page.locator('#karta canvas').boundingBox();
  assert.ok(width >= canvas.width && height > canvas.height + 40, `the picture is ${width}×${height}, the map ${canvas.width}×${canvas.height}`);
  t.diagnostic(`the saved picture: ${path} (look at it)`);
}, wide);

pageTest('the map at 1400 px with a municipality open', async (t, page) => {
  await page.goto('/?kommun=0880');
  await mapReady(page);
  await page.locator('#panel[data-code="0880"]').waitFor();
  const card = page.locator('#panel section[data-target="se-2025-1g"]');
  assert.match(await card.innerText(), /Saknas för målet/);
  assert.match(await page.locator('#panel').innerText(), /Målen räknar hushåll och arbetsställen tillsammans/);
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-1400-kalmar')}`);
}, wide);

pageTest('what changed between two years, per municipality and on the map', async (t, page) => {
  const snaps = await api('/api/v1/snapshots');
  const first = snaps.snapshots[0].as_of;
  const rep = await api(`/api/v1/changes?from=${first}&class=1000`);
  await page.goto('/');
  await mapReady(page);
  await page.getByLabel('Jämför med').selectOption(first);
  await page.locator('#panel[data-view="changes"]').waitFor();
  assert.equal(await page.locator('#panel-rubrik').innerText(), `Vad har ändrats ${first.slice(0, 4)}–${snaps.latest.slice(0, 4)}`);
  const rows = page.locator('#panel table.forandring tbody tr');
  const municipalities = rep.areas.filter((a) => a.kind === 'municipality');
  assert.equal(await rows.count(), municipalities.length);
  const kalmar = municipalities.find((a) => a.code === '0880');
  const cells = await rows.filter({ has: page.locator('th', { hasText: /^Kalmar$/ }) }).locator('td').allInnerTexts();
  assert.deepEqual(cells, [pct.format(kalmar.share_from), pct.format(kalmar.share_to),
    new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format((kalmar.share_to - kalmar.share_from) * 100),
    int.format(kalmar.gained_in_squares), int.format(kalmar.lost_in_squares), int.format(kalmar.new_households)]);
  // The map holds each municipality's change in points.
  const state = await page.evaluate(() => window.gigakollKarta.map.getFeatureState({ source: 'kommuner', sourceLayer: 'municipalities', id: '0880' }));
  assert.ok(Math.abs(state.change - (kalmar.share_to - kalmar.share_from) * 100) < 1e-9, `Kalmar's change on the map: ${state.change}`);
  assert.match(await page.locator('#teckenforklaring-rubrik').innerText(), /^Förändring \d{4}–\d{4}, procentenheter, ≥ 1 Gbit\/s$/);
  assert.match(new URL(page.url()).search, new RegExp(`jamfor=${first}`));
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-forandring-1400')}`);
  // Closing goes back to the ranking and the shares' colours.
  await page.locator('#panel [data-action="stang"]').click();
  await page.locator('#panel[data-view="ranking"]').waitFor();
  assert.match(await page.locator('#teckenforklaring-rubrik').innerText(), /^Andel hushåll och arbetsställen/);
}, { ...wide, timeout: 120_000 });
