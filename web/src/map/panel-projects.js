// The map panel's parts about build-out projects (spec/projects.md): a
// project's own panel, and the section of a municipality's panel with the
// forecast with projects, the white spots and the cost of closing the gap.
// Their Swedish text is the map template's #karta-projekt-texter.
import { integer, percent, threshold } from './format.js';
import { texts } from './texts.js';

let t = null;
const text = (key, values) => {
  t = t || texts('karta-projekt-texter');
  return t(key, values);
};

async function getJSON(url) {
  const resp = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!resp.ok) throw Object.assign(new Error(`HTTP ${resp.status}`), { status: resp.status });
  return resp.json();
}

function withAsOf(url, asOf) {
  if (!asOf) return url;
  return `${url}${url.includes('?') ? '&' : '?'}as_of=${encodeURIComponent(asOf)}`;
}

const sek = (n) => (n == null ? '–' : text('sek', { belopp: integer(Math.round(n)) }));
const msek = (n) => (n == null ? '–' : text('msek', { belopp: (n / 1e6).toLocaleString('sv-SE', { maximumFractionDigits: 1 }) }));

function el(tag, textContent, className) {
  const e = document.createElement(tag);
  if (textContent != null) e.textContent = textContent;
  if (className) e.className = className;
  return e;
}

function list(pairs) {
  const dl = el('dl', null, 'projekt-fakta');
  for (const [dt, dd] of pairs) {
    const div = el('div');
    div.append(el('dt', dt), el('dd', dd));
    dl.append(div);
  }
  return dl;
}

/** renderProject fills the panel with one project (GET /api/v1/projects/{id}). */
export async function renderProject(panel, id, asOf) {
  const rep = await getJSON(withAsOf(`/api/v1/projects/${encodeURIComponent(id)}`, asOf));
  const p = rep.project;
  const head = el('div', null, 'panel-huvud');
  const h2 = el('h2', p.name);
  h2.id = 'panel-rubrik';
  const close = el('button', null, 'stang');
  close.type = 'button';
  close.append(Object.assign(el('span', '×'), { ariaHidden: 'true' }), el('span', text('close'), 'visually-hidden'));
  close.addEventListener('click', () => {
    const k = window.gigakollKarta;
    if (k && k.showRanking) k.showRanking();
  });
  head.append(h2, close);
  const status = text(`status_${p.status}`);
  const funding = p.funding.map((f) => text('fundingItem', { kalla: text(`source_${f.source}`), program: f.programme || '', belopp: msek(f.amount_sek) }));
  const delivered =
    p.delivered == null ? text('deliveredNone') : p.flagged ? text('deliveredFlagged', { andel: percent(p.delivered) }) : percent(p.delivered);
  const section = [
    head,
    el('p', text('ingress', { status, ar: p.completion_year == null ? '–' : p.completion_year, agare: p.owner || '–' }), 'panel-ingress'),
    list([
      [text('municipalities'), p.municipalities.map((m) => m.name || m.code).join(', ') || '–'],
      [text('speed'), text('mbps', { mbps: integer(p.down_mbps) })],
      [text('reach'), p.households == null ? text('withheld') : text('reachValue', { punkter: integer(p.points), hushall: integer(p.households), arbetsstallen: integer(p.workplaces) })],
      [text('gap'), p.gap_households == null ? text('withheld') : text('gapValue', { hushall: integer(p.gap_households), arbetsstallen: integer(p.gap_workplaces) })],
      [text('cost'), msek(p.cost_sek)],
      [text('perConnection'), sek(p.cost_per_connection_sek)],
      [text('publicShare'), percent(p.public_share)],
      [text('delivered'), delivered],
    ]),
  ];
  if (funding.length) {
    section.push(el('h3', text('funding')));
    const ul = el('ul');
    funding.forEach((f) => ul.append(el('li', f)));
    section.push(ul);
  }
  section.push(el('p', text('footnote', { datum: rep.as_of }), 'fotnot'));
  panel.replaceChildren(...section);
  panel.dataset.view = 'project';
  panel.dataset.project = p.id;
  panel.scrollTop = 0;
  panel.focus({ preventScroll: true });
}

/**
 * appendMunicipalityProjects adds to a municipality's panel the forecast
 * with projects beside every target, the white spots and the cost
 * (GET /api/v1/projects?municipality=). still() says whether the panel still
 * shows that municipality.
 */
export async function appendMunicipalityProjects(panel, code, asOf, still) {
  let rep;
  try {
    rep = await getJSON(withAsOf(`/api/v1/projects?municipality=${encodeURIComponent(code)}`, asOf));
  } catch {
    return; // no register, or its figures are being built: the panel goes without
  }
  if (!still()) return;
  const area = rep.areas.find((a) => a.kind === 'municipality' && a.code === code);
  if (!area) return;
  const box = el('section', null, 'kommun-projekt');
  box.dataset.section = 'projekt';
  box.append(el('h3', text('sectionTitle')));
  const table = el('table', null, 'tatort');
  const thead = el('thead');
  const hr = el('tr');
  for (const h of [text('target'), text('shareToday'), text('forecast')]) hr.append(Object.assign(el('th', h), { scope: 'col' }));
  thead.append(hr);
  const tbody = el('tbody');
  for (const x of area.targets) {
    const tr = el('tr');
    const klass = x.class_mbps >= 1000 ? `${x.class_mbps / 1000} Gbit/s` : `${x.class_mbps} Mbit/s`;
    tr.append(Object.assign(el('th', `${klass}: ${threshold(x.threshold)} ${x.year}`), { scope: 'row' }));
    tr.append(el('td', percent(x.share), 'tal'), el('td', percent(x.forecast_with_projects), 'tal'));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const mark = (bp) => {
    const m = area.cost_curve.marks.find((y) => y.basis_points === bp);
    return !m ? '–' : m.address_points === 0 ? text('reached') : msek(m.cost_sek);
  };
  box.append(
    table,
    list([
      [text('projects'), text('projectsValue', { antal: integer(area.projects), lista: rep.projects.length })],
      [text('whiteSpots'), text('whiteSpotsValue', { hushall: integer(area.white_spot_households), arbetsstallen: integer(area.white_spot_workplaces) })],
      [text('estimatedCost'), msek(area.estimated_cost_sek)],
      [text('cost98'), mark(9800)],
      [text('cost100'), mark(10000)],
    ]),
  );
  const link = el('a', text('pageLink'));
  link.href = `/utbyggnad?kommun=${encodeURIComponent(code)}${asOf ? `&as_of=${asOf}` : ''}`;
  box.append(el('p', text('sectionNote'), 'fotnot'), link);
  panel.append(box);
}
