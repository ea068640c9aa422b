// ogc.test.mjs: the OGC API's HTML views (package ogc) as a person sees them
// in a browser, at desktop and phone width. Run by TestOGCViews
// (ogc_test.go); the screenshots land in web/test-results.
import assert from 'node:assert/strict';
import { pageTest, screenshot } from './browser.mjs';

const views = [
  { path: '/ogc/?f=html', heading: /gigakoll/, shot: 'ogc-landing' },
  { path: '/ogc/collections?f=html', heading: /Samlingar|samlingar/i, shot: 'ogc-collections' },
  { path: '/ogc/collections/squares?f=html', heading: /Rutor 250 m/, shot: 'ogc-collection-squares', text: /SWEREF 99 TM \(EPSG:3006/ },
  { path: '/ogc/collections/squares/schema?f=html', heading: /Rutor 250 m/, shot: 'ogc-schema-squares', text: /households_ge_1000/ },
  { path: '/ogc/collections/squares/queryables?f=html', heading: /Frågebara egenskaper: Rutor 250 m/, shot: 'ogc-queryables-squares', text: /municipality_code/ },
  { path: '/ogc/collections/squares/items?f=html&limit=10&municipality_code=0880', heading: /Rutor 250 m/, shot: 'ogc-items-squares', text: /objekt matchar/ },
];

for (const width of [1400, 390]) {
  for (const v of views) {
    pageTest(`${v.path} reads as a Swedish page at ${width} px`, async (t, page) => {
      const resp = await page.goto(v.path);
      assert.equal(resp.status(), 200);
      assert.match(resp.headers()['content-type'], /^text\/html/);
      assert.equal(await page.getAttribute('html', 'lang'), 'sv');
      assert.match(await page.locator('h1').innerText(), v.heading);
      if (v.text) assert.match(await page.locator('main').innerText(), v.text);
      // Nothing wider than the screen: a phone scrolls down, never sideways,
      // except inside a wide table.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1 || (await page.locator('table').count()) > 0, `the page is ${overflow} px too wide`);
      await screenshot(page, `${v.shot}-${width}`);
    }, { viewport: { width, height: 900 } });
  }
}
