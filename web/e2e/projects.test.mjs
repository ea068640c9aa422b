// projects.test.mjs: the build-out projects in a real Chromium: the page
// /utbyggnad, the map's projects layer and its panels. Run by TestProjects
// (projects_test.go) over the map's fixture and the demo register; every
// figure checked is read from the API in the same test.
import assert from 'node:assert/strict';
import { baseURL, pageTest, screenshot } from './browser.mjs';

const wide = { viewport: { width: 1400, height: 900 } };

async function api(path) {
  const resp = await fetch(baseURL + path);
  assert.equal(resp.status, 200, `GET ${path}`);
  return resp.json();
}

const rowsShown = (page) => page.locator('#utb-tabell tbody tr').count();

pageTest('the projects page lists every project of the register, sorts and filters them', async (t, page) => {
  const rep = await api('/api/v1/projects');
  assert.ok(rep.projects.length >= 12, 'the demo register has a project per town at least');
  await page.goto('/utbyggnad');
  await page.locator('#utb-tabell tbody tr').first().waitFor();
  assert.equal(await rowsShown(page), rep.projects.length);
  assert.equal(await page.title(), 'Utbyggnad – gigakoll');
  // the county's figures above the table are the API's
  const county = rep.areas.find((a) => a.kind === 'county');
  const tal = await page.locator('#utb-tal').textContent();
  assert.match(tal, new RegExp(new Intl.NumberFormat('sv-SE').format(county.white_spot_households)));
  await page.locator('#utb-kurva').waitFor();
  assert.ok(await page.evaluate(() => document.getElementById('utb-kurva').width > 0), 'the cost curve is drawn');
  t.diagnostic(`screenshot: ${await screenshot(page, 'utbyggnad-1400')}`);

  // sorting by the completion year, then the other way
  const year = page.locator('th[data-key="year"] button');
  await year.click();
  assert.equal(await page.locator('th[data-key="year"]').getAttribute('aria-sort'), 'descending');
  const years = await page.locator('#utb-tabell tbody tr td:nth-child(4)').allTextContents();
  const numbers = years.filter((y) => y !== '–').map(Number);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a));

  // one municipality: only its projects, and the downloads follow
  const code = rep.projects[0].municipalities[0].code;
  const one = await api(`/api/v1/projects?municipality=${code}`);
  await page.selectOption('#utb-kommun', code);
  await page.waitForFunction((n) => document.querySelectorAll('#utb-tabell tbody tr').length === n, one.projects.length);
  assert.match(await page.locator('#utb-csv').getAttribute('href'), new RegExp(`format=csv.*municipality=${code}|municipality=${code}.*format=csv`));
  const csv = await fetch(baseURL + (await page.locator('#utb-csv').getAttribute('href')));
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /Projekt;/);
}, wide);

pageTest(
  'the projects page fits a phone',
  async (t, page) => {
    await page.goto('/utbyggnad');
    await page.locator('#utb-tabell tbody tr').first().waitFor();
    t.diagnostic(`screenshot: ${await screenshot(page, 'utbyggnad-390')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow} px wider than the phone`);
  },
  { viewport: { width: 390, height: 844 } },
);

async function mapReady(page) {
  await page.waitForFunction(
    () => {
      const k = window.gigakollKarta;
      return k && k.map.getSource('projekt') && k.map.loaded() && k.map.querySourceFeatures('projekt').length > 0;
    },
    null,
    { timeout: 30_000 },
  );
}

pageTest('the map shows the project areas and a project panel on a click', async (t, page) => {
  const rep = await api('/api/v1/projects');
  const project = rep.projects.find((p) => p.status === 'completed' && p.households != null) || rep.projects[0];
  await page.goto('/');
  await mapReady(page);
  const statuses = await page.evaluate(() => [...new Set(window.gigakollKarta.map.querySourceFeatures('projekt').map((f) => f.properties.status))]);
  assert.ok(statuses.includes('completed'));
  // bring the project into view and click the middle of its area
  const [w, s, e, n] = project.bbox;
  await page.evaluate((b) => window.gigakollKarta.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, duration: 0 }), [w, s, e, n]);
  await page.waitForFunction(() => window.gigakollKarta.map.loaded());
  const point = await page.evaluate((id) => {
    const map = window.gigakollKarta.map;
    const canvas = map.getCanvas().getBoundingClientRect();
    for (let y = 10; y < canvas.height; y += 8) {
      for (let x = 10; x < canvas.width; x += 8) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['projekt-fyllning'] });
        // a point of the area the reader can click: not under the map's controls
        const onMap = document.elementFromPoint(canvas.left + x, canvas.top + y) === map.getCanvas();
        if (f.length && f[0].properties.id === id && onMap) return { x: canvas.left + x, y: canvas.top + y };
      }
    }
    return null;
  }, project.id);
  assert.ok(point, 'the project is drawn');
  await page.mouse.click(point.x, point.y);
  await page.waitForFunction((id) => document.getElementById('panel').dataset.project === id, project.id);
  assert.equal(await page.locator('#panel-rubrik').textContent(), project.name);
  assert.match(await page.locator('#panel').textContent(), new RegExp(new Intl.NumberFormat('sv-SE').format(project.households)));
  assert.equal(await page.locator('.projekt-etikett').count() > 0, true, 'the areas are labelled');
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-projekt-1400')}`);
}, wide);

pageTest('a municipality panel shows the forecast with projects, white spots and cost', async (t, page) => {
  const rep = await api('/api/v1/projects');
  const area = rep.areas.find((a) => a.kind === 'municipality' && a.projects > 0);
  await page.goto(`/?kommun=${area.code}`);
  await page.locator('[data-section="projekt"]').waitFor({ timeout: 30_000 });
  const text = await page.locator('[data-section="projekt"]').textContent();
  assert.match(text, new RegExp(new Intl.NumberFormat('sv-SE').format(area.white_spot_households)));
  await page.locator('[data-section="projekt"]').scrollIntoViewIfNeeded();
  t.diagnostic(`screenshot: ${await screenshot(page, 'karta-kommun-projekt-1400')}`);
}, wide);

pageTest(
  'a project panel opened by a link fits a phone',
  async (t, page) => {
    const rep = await api('/api/v1/projects');
    await page.goto(`/?projekt=${encodeURIComponent(rep.projects[0].id)}`);
    await page.waitForFunction((id) => document.getElementById('panel').dataset.project === id, rep.projects[0].id, { timeout: 30_000 });
    t.diagnostic(`screenshot: ${await screenshot(page, 'karta-projekt-390')}`);
  },
  { viewport: { width: 390, height: 844 } },
);
