// The side panel: with no municipality chosen, the municipalities ranked by
// how far they are from the target in force of the class shown (the answer
// to "which are furthest from the target, and are they on course?"); with
// one chosen, every target for it, urban and rural, and its chart.
import { drawChart } from './chart.js';
import { integer, longDate, percent, points, threshold } from './format.js';
import { fill } from './texts.js';

/**
 * headlineTarget is the national target of a class the map leads with: of
 * those in force (the API's in_force: their year has not passed), the
 * nearest; when the class has none in force, its latest (eu-2030-1g, and
 * se-2025-100 for 100 Mbit/s, as of 2026).
 */
export function headlineTarget(targets, classMbps) {
  const national = targets.filter((x) => x.class_mbps === classMbps && !x.county_code);
  const inForce = national.filter((x) => x.in_force).sort((a, b) => a.year - b.year || b.threshold - a.threshold);
  if (inForce.length) return inForce[0];
  return national.sort((a, b) => b.year - a.year || b.threshold - a.threshold)[0] || targets[0];
}

/** distance is how far an area's share is below the target (null shares last). */
function distance(result) {
  return result.share == null ? -Infinity : result.threshold - result.share;
}

/** onCourseText says whether the projection reaches the target in time. */
function onCourseText(t, result) {
  const p = result.projection;
  if (!p) return t('onCourseUnknown');
  if (p.on_course) return t('onCourseYes');
  return p.reaches_year ? t('onCourseNo', { ar: p.reaches_year }) : t('onCourseNever');
}

/**
 * renderRanking fills the panel with the municipalities of list (the API's
 * /municipalities) ranked by their distance from the class's 2025 target,
 * furthest first. open(code, button) is called when one is chosen.
 */
export function renderRanking(panel, t, list, classMbps, open) {
  const target = headlineTarget(list.targets, classMbps);
  const rows = list.municipalities
    .map((m) => ({ m, r: m.targets.find((x) => x.id === target.id) }))
    .filter((x) => x.r)
    .sort((a, b) => distance(b.r) - distance(a.r) || a.m.name.localeCompare(b.m.name, 'sv'));
  let goal = t('targetTitle', { klass: t(`class${classMbps}`), troskel: threshold(target.threshold), ar: target.year });
  if (target.population === 'households') goal = t('householdsOnly', { titel: goal });
  const behind = rows.filter((x) => x.r.share != null && !x.r.met);
  const furthest = behind.slice(0, 3).map((x) => t('rankItem', { namn: x.m.name, andel: percent(x.r.share) }));
  const listed =
    furthest.length > 1 ? `${furthest.slice(0, -1).join(', ')}${t('and')}${furthest.at(-1)}` : furthest.join('');
  const withProjection = rows.filter((x) => x.r.projection);
  const frag = fill('t-rangordning', {
    rubrik: t('rankTitle', { ar: target.year }),
    svar: behind.length ? t('rankAnswer', { mal: goal, ar: target.year, lista: listed }) : t('rankAnswerNone', { mal: goal, ar: target.year }),
    takt: withProjection.length
      ? t('rankOnCourse', {
          ar: target.year,
          antal: withProjection.filter((x) => x.r.projection.on_course).length,
          alla: withProjection.length,
        })
      : t('rankNoCourse'),
    tabelltext: t('rankCaption'),
  });
  const body = frag.querySelector('tbody');
  for (const { m, r } of rows) {
    const tr = document.createElement('tr');
    tr.dataset.code = m.code;
    const name = document.createElement('th');
    name.scope = 'row';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'lank';
    button.textContent = m.name;
    button.addEventListener('click', () => open(m.code, button));
    name.append(button);
    const cells = [
      percent(r.share),
      integer(r.gap), // the target's own gap: households and workplaces counted together
      percent(r.forecast && r.forecast.share),
      r.met ? t('yes') : onCourseText(t, r),
    ];
    tr.append(name);
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i < 3) td.className = 'tal';
      if (i === 3) td.dataset.onCourse = String(Boolean(r.met || (r.projection && r.projection.on_course)));
      tr.append(td);
    });
    body.append(tr);
  }
  panel.replaceChildren(frag);
  panel.dataset.view = 'ranking';
  panel.dataset.code = '';
}

/**
 * renderMunicipality fills the panel with one municipality's report (the
 * API's /municipalities/{code}) and returns its chart; close() is called by
 * the close button.
 */
export function renderMunicipality(panel, t, report, classMbps, close) {
  const m = report.municipality;
  const county = report.county;
  const info = new Map(report.targets.map((x) => [x.id, x]));
  const klass = (mbps) => t(`class${mbps}`);
  const frag = fill('t-kommun', {
    namn: m.name,
    ingress: t('ingress', {
      hushall: t.n('households', m.households_total, { n: integer(m.households_total) }),
      arbetsstallen: t.n('workplaces', m.workplaces_total, { n: integer(m.workplaces_total) }),
      datum: longDate(report.as_of),
    }),
    lanet: county ? county.name : t('county'),
    diagramrubrik: t('chartTitle', { klass: klass(classMbps) }),
  });
  frag.querySelector('[data-action="stang"]').addEventListener('click', close);

  // every target, as a card
  const cards = frag.querySelector('[data-list="mal"]');
  for (const r of m.targets) {
    let title = t('targetTitle', { klass: klass(r.class_mbps), troskel: threshold(r.threshold), ar: r.year });
    if (r.population === 'households') title = t('householdsOnly', { titel: title });
    const nobody = m.households_total + m.workplaces_total === 0;
    const p = r.projection;
    let projection = r.year < Number(report.as_of.slice(0, 4)) ? t('projectionPast') : t('projectionNone');
    if (p) {
      const values = { andel: percent(p.share), ar: r.year, nar: p.reaches_year };
      if (p.on_course) projection = t('projection', values);
      else projection = p.reaches_year ? t('projectionShort', values) : t('projectionNever', values);
    }
    const card = fill('t-malkort', {
      titel: info.get(r.id) && info.get(r.id).county_code ? t('regional', { titel: title }) : title,
      andel: percent(r.share),
      troskel: t('threshold', { troskel: threshold(r.threshold) }),
      uppfyllt: r.met ? t('metYes') : nobody ? t('metNobody') : t('metNo'),
      gap: r.gap === 0 ? t('gapNone') : t.n('both', r.gap, { n: integer(r.gap) }),
      gapEach:
        r.gap_households + r.gap_workplaces === 0
          ? t('gapNone')
          : t('gapEach', {
              hushall: t.n('households', r.gap_households, { n: integer(r.gap_households) }),
              arbetsstallen: t.n('workplaces', r.gap_workplaces, { n: integer(r.gap_workplaces) }),
            }),
      prognos: t('forecast', { andel: percent(r.forecast && r.forecast.share), ar: r.year }),
      malar: String(r.year),
      projektion: projection,
    });
    const section = card.querySelector('section');
    section.dataset.target = r.id;
    section.dataset.state = r.met ? 'met' : 'unmet';
    cards.append(card);
  }

  // urban and rural, with the county for comparison
  const rows = frag.querySelector('[data-list="tatort"]');
  m.targets.forEach((r, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = t('targetTitle', { klass: klass(r.class_mbps), troskel: threshold(r.threshold), ar: r.year });
    tr.append(th);
    const countyResult = county && county.targets.find((x) => x.id === r.id);
    for (const share of [
      m.urban && m.urban.targets[i] && m.urban.targets[i].share,
      m.rural && m.rural.targets[i] && m.rural.targets[i].share,
      countyResult && countyResult.share,
    ]) {
      const td = document.createElement('td');
      td.className = 'tal';
      td.textContent = percent(share);
      tr.append(td);
    }
    rows.append(tr);
  });

  // access including mobile and satellite: shown beside the fixed figures,
  // never counted toward the targets (spec/coverage-format.md)
  const mobile = frag.querySelector('[data-list="mobil"]');
  const total = m.households_total + m.workplaces_total;
  for (const mbps of [1000, 100, 30, 10]) {
    const key = `ge_${mbps}`;
    const fixed = m.households[key] + m.workplaces[key];
    const any = m.including_mobile.households[key] + m.including_mobile.workplaces[key];
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = klass(mbps);
    tr.append(th);
    for (const n of [fixed, any]) {
      const td = document.createElement('td');
      td.className = 'tal';
      td.textContent = percent(total > 0 ? n / total : null);
      tr.append(td);
    }
    mobile.append(tr);
  }

  // the history of the class's 2025 target, as a chart and as a table
  const target = headlineTarget(report.targets, classMbps);
  const history = frag.querySelector('[data-list="historik"]');
  for (const h of m.history) {
    const ht = h.targets.find((x) => x.id === target.id);
    if (!ht) continue;
    const tr = document.createElement('tr');
    for (const [text, cls] of [
      [longDate(h.as_of), ''],
      [percent(ht.share), 'tal'],
      [ht.change_per_year == null ? '–' : t('changePerYear', { andel: points(ht.change_per_year) }), 'tal'],
    ]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    history.append(tr);
  }
  const canvas = frag.querySelector('[data-ref="diagram"]');
  const years = m.history.map((h) => h.as_of.slice(0, 4));
  canvas.setAttribute(
    'aria-label',
    t('chartLabel', { klass: klass(classMbps), namn: m.name, fran: years[0], till: years.at(-1), ar: target.year }),
  );

  panel.replaceChildren(frag);
  panel.dataset.view = 'municipality';
  panel.dataset.code = m.code;
  return drawChart(canvas, {
    municipality: m,
    county,
    target,
    labels: {
      measured: m.name,
      projection: t('chartProjection'),
      target: t('chartTarget', { troskel: threshold(target.threshold) }),
      county: county ? county.name : t('chartCounty'),
    },
  });
}
