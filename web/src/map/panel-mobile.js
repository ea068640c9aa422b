// The municipality panel's mobile figures (GET /api/v1/mobile): outdoors and
// indoors per class, the share of the municipality's squares covered, 5G,
// the mobile targets, the operators, and how much only one operator covers;
// from the mobile snapshot in force on the map's date, beside the fixed
// figures above. Households per area only, never per square.
import { integer, longDate, percent, threshold } from './format.js';
import { fill, texts } from './texts.js';

const t = texts('karta-texter');

async function getJSON(path) {
  const resp = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
  return resp.json();
}

function share(n, total) {
  return total > 0 ? n / total : null;
}

function row(body, cells) {
  const tr = document.createElement('tr');
  cells.forEach(([text, num], i) => {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.scope = 'row';
    if (num) cell.className = 'tal';
    cell.textContent = text;
    tr.append(cell);
  });
  body.append(tr);
}

function gapText(r) {
  if (r.gap_workplaces != null || r.gap_holiday_homes != null) {
    return t('mobileGapGroups', {
      hushall: integer(r.gap_households),
      arbetsstallen: integer(r.gap_workplaces ?? 0),
      fritidshus: integer(r.gap_holiday_homes ?? 0),
    });
  }
  return t('mobileGapHouseholds', { hushall: integer(r.gap_households) });
}

/**
 * appendMunicipalityMobile adds the mobile section to the municipality's
 * panel; current() tells whether the panel still shows that municipality
 * when the answers arrive.
 */
export async function appendMunicipalityMobile(panel, code, asOf, current) {
  const q = asOf ? `?on=${encodeURIComponent(asOf)}` : '';
  const snaps = await getJSON(`/api/v1/mobile/snapshots${q}`);
  if (!current()) return;
  if (!snaps.in_force) {
    const p = document.createElement('p');
    p.className = 'fotnot';
    p.textContent = t('mobileNone');
    panel.append(p);
    return;
  }
  const rep = await getJSON(`/api/v1/mobile?as_of=${snaps.in_force}&county=${code.slice(0, 2)}`);
  if (!current()) return;
  const m = rep.areas.find((a) => a.kind === 'municipality' && a.code === code);
  const county = rep.areas.find((a) => a.kind === 'county');
  if (!m) return;
  const info = new Map(rep.targets.map((x) => [x.id, x]));
  const frag = fill('t-mobil', {
    ingress: rep.coverage_as_of
      ? t('mobileIngress', { datum: longDate(rep.as_of), tackning: longDate(rep.coverage_as_of) })
      : t('mobileIngressNoPeople', { datum: longDate(rep.as_of) }),
    lanet: county ? county.name : t('county'),
    ruta: String(rep.square_size),
        redundans: '',
  });
  const classes = frag.querySelector('[data-list="mobilklasser"]');
  for (const c of [10, 30, 100]) {
    const key = `ge_${c}`;
    row(classes, [
      [t('mobileClass', { klass: c })],
      [percent(share(m.outdoor[key].households, m.households_total)), true],
      [percent(share(m.indoor[key].households, m.households_total)), true],
      [percent(share(m.outdoor[key].squares, m.squares_total)), true],
      [county ? percent(share(county.outdoor[key].households, county.households_total)) : '–', true],
    ]);
  }
  row(classes, [
    [t('mobileFiveG')],
    [percent(share(m.fiveg.households, m.households_total)), true],
    ['–', true],
    [percent(share(m.fiveg.squares, m.squares_total)), true],
    [county ? percent(share(county.fiveg.households, county.households_total)) : '–', true],
  ]);

  const cards = frag.querySelector('[data-list="mobilmal"]');
  for (const r of m.targets) {
    const x = info.get(r.id);
    const card = fill('t-mobilmal', {
      titel: t('mobileTargetTitle', { titel: x ? x.title_sv : r.id, ar: r.year }),
      andel: percent(r.share),
      troskel: t('threshold', { troskel: threshold(r.threshold) }),
      uppfyllt: r.met ? t('metYes') : r.share == null ? t('metNobody') : t('metNo'),
      gap: gapText(r),
      tolkning: x && x.reading_sv ? t('mobileReading', { tolkning: x.reading_sv }) : '',
    });
    const section = card.querySelector('section');
    section.dataset.target = r.id;
    section.dataset.state = r.met ? 'met' : 'unmet';
    cards.append(card);
  }

  const ops = frag.querySelector('[data-list="mobiloperatorer"]');
  for (const o of m.operators) {
    row(ops, [
      [o.operator],
      [percent(share(o.outdoor.ge_10.households, m.households_total)), true],
      [percent(share(o.outdoor.ge_30.households, m.households_total)), true],
      [percent(share(o.fiveg.households, m.households_total)), true],
    ]);
  }
  const one = m.operators_per_square.find((x) => x.operators === 1);
  frag.querySelector('[data-text="redundans"]').textContent = t('mobileRedundancy', {
    andel: percent(share(one ? one.households : 0, m.households_total)),
  });
  // before the chart, after the fixed figures
  const before = panel.querySelector('h3[data-text="diagramrubrik"]');
  if (before) panel.insertBefore(frag, before);
  else panel.append(frag);
}
