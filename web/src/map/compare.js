// The "what changed" view: two years side by side. The figures come from the
// API (/api/v1/changes, computed by package coverage from the area figures
// and the public squares); the panel lists them per municipality, and the
// map colours each municipality by its change in percentage points
// (MapLibre feature state on the municipalities' source).
import { integer, percent, points, yearOf } from './format.js';
import { fill } from './texts.js';

/** steps of the change in percentage points, and their colours (ColorBrewer PRGn: purple a fall, green a rise). */
export const changeBreaks = [0, 2, 5, 10];
export const changeColours = ['#af8dc3', '#d9f0d3', '#a6dba0', '#5aae61', '#1b7837'];

/** changeFill is the fill expression of the municipalities while comparing. */
export function changeFill(otherwise) {
  const pp = ['feature-state', 'change'];
  const steps = ['step', pp, changeColours[0]];
  changeBreaks.forEach((b, i) => steps.push(b, changeColours[i + 1]));
  return ['case', ['!=', pp, null], steps, otherwise];
}

/** fetchChanges asks the API what changed from one snapshot to another. */
export async function fetchChanges(from, to, classMbps) {
  const q = new URLSearchParams({ from, class: String(classMbps) });
  if (to) q.set('to', to);
  const resp = await fetch(`/api/v1/changes?${q}`, { headers: { Accept: 'application/json' } });
  if (!resp.ok) throw new Error(`changes: ${resp.status}`);
  return resp.json();
}

const pp = (c) => (c.share_from == null || c.share_to == null ? null : (c.share_to - c.share_from) * 100);

/** paint sets each municipality's change on the map's source. */
export function paint(map, rep) {
  map.removeFeatureState({ source: 'kommuner', sourceLayer: 'municipalities' });
  for (const c of rep.areas) {
    if (c.kind !== 'municipality' || pp(c) == null) continue;
    map.setFeatureState({ source: 'kommuner', sourceLayer: 'municipalities', id: c.code }, { change: pp(c) });
  }
}

/** unpaint takes the changes off the map. */
export function unpaint(map) {
  map.removeFeatureState({ source: 'kommuner', sourceLayer: 'municipalities' });
}

/** renderChanges fills the panel with the comparison; close() ends it. */
export function renderChanges(panel, t, rep, close) {
  const fran = yearOf(rep.from);
  const till = yearOf(rep.to);
  const county = rep.areas.find((c) => c.kind === 'county');
  const frag = fill('t-forandring', {
    rubrik: t('compareTitle', { fran, till }),
    svar: county
      ? t('compareAnswer', {
          klass: t(`class${rep.class_mbps}`),
          da: percent(county.share_from),
          nu: percent(county.share_to),
          andring: points(county.share_to - county.share_from),
          fick: t.n('both', county.gained_in_squares, { n: integer(county.gained_in_squares) }),
          forlorade: integer(county.lost_in_squares),
        })
      : '',
    tabelltext: t('compareCaption', { fran, till }),
    da: `Andel ${fran}`,
    nu: `Andel ${till}`,
  });
  frag.querySelector('[data-action="stang"]').addEventListener('click', close);
  const body = frag.querySelector('tbody');
  const rows = rep.areas.filter((c) => c.kind === 'municipality').sort((a, b) => (pp(b) ?? -1e9) - (pp(a) ?? -1e9));
  for (const c of rows) {
    const tr = document.createElement('tr');
    tr.dataset.code = c.code;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = c.name;
    tr.append(th);
    for (const text of [
      percent(c.share_from),
      percent(c.share_to),
      pp(c) == null ? '–' : points((c.share_to - c.share_from)),
      integer(c.gained_in_squares),
      integer(c.lost_in_squares),
      integer(c.new_households),
    ]) {
      const td = document.createElement('td');
      td.className = 'tal';
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  panel.replaceChildren(frag);
  panel.dataset.view = 'changes';
  panel.dataset.code = '';
}
