// The entry of the page templates/utbyggnad.html (Utbyggnad): the projects
// of the register in force from /api/v1/projects, sortable by each column,
// for the county or one municipality; the area's white spots, estimated cost
// and the cost curve drawn with Chart.js; CSV and XLSX of the same report.
import './utbyggnad.css';
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';
import * as api from './map/api.js';
import { integer, longDate, percent, threshold, yearOf } from './map/format.js';
import { texts } from './map/texts.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend);

const t = texts('utb-texter');
const yearSelect = document.getElementById('utb-ar');
const muniSelect = document.getElementById('utb-kommun');
const status = document.getElementById('utb-status');
const table = document.getElementById('utb-tabell');
const body = table.querySelector('tbody');
const caption = document.getElementById('utb-tabell-text');
const csv = document.getElementById('utb-csv');
const xlsx = document.getElementById('utb-xlsx');

const params = new URLSearchParams(location.search);
const state = { asOf: params.get('as_of') || null, code: params.get('kommun') || '', key: 'year', dir: 'ascending', rep: null };
let chart = null;

const statusText = {
  planned: t('statusPlanned'),
  in_progress: t('statusInProgress'),
  completed: t('statusCompleted'),
  cancelled: t('statusCancelled'),
};
const firstDirection = { name: 'ascending', municipalities: 'ascending', status: 'ascending', year: 'ascending',
  households: 'descending', gap: 'descending', cost: 'descending', perConnection: 'descending',
  publicShare: 'descending', delivered: 'ascending' };

const sek = (n) => (n == null ? '–' : t('sek', { belopp: integer(Math.round(n)) }));
const msek = (n) => (n == null ? '–' : t('msek', { belopp: (n / 1e6).toLocaleString('sv-SE', { maximumFractionDigits: 1 }) }));

function projectsURL(format) {
  const q = new URLSearchParams();
  if (format) q.set('format', format);
  if (state.asOf) q.set('as_of', state.asOf);
  if (state.code) q.set('municipality', state.code);
  return `/api/v1/projects?${q}`;
}

function rows() {
  return state.rep.projects.map((p) => ({
    p,
    name: p.name,
    municipalities: p.municipalities.map((m) => m.name || m.code).join(', '),
    status: statusText[p.status],
    year: p.completion_year,
    households: p.households,
    gap: p.gap_households == null ? null : p.gap_households + p.gap_workplaces,
    cost: p.cost_sek,
    perConnection: p.cost_per_connection_sek,
    publicShare: p.public_share,
    delivered: p.delivered,
  }));
}

function compare(a, b) {
  const x = a[state.key];
  const y = b[state.key];
  const sign = state.dir === 'ascending' ? 1 : -1;
  if (x == null || y == null) {
    if (x == null && y != null) return 1;
    if (y == null && x != null) return -1;
  } else if (x !== y) {
    return typeof x === 'string' ? sign * x.localeCompare(y, 'sv') : sign * (x < y ? -1 : 1);
  }
  return a.name.localeCompare(b.name, 'sv');
}

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function columnName(key) {
  return table.querySelector(`th[data-key="${key}"] button`).textContent;
}

function renderTable() {
  const list = rows().sort(compare);
  body.replaceChildren(
    ...list.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.id = r.p.id;
      tr.dataset.status = r.p.status;
      const th = document.createElement('th');
      th.scope = 'row';
      const a = document.createElement('a');
      a.href = `/?projekt=${encodeURIComponent(r.p.id)}${state.asOf ? `&as_of=${state.asOf}` : ''}`;
      a.textContent = r.name;
      th.append(a);
      tr.append(th);
      cell(tr, r.municipalities);
      cell(tr, r.status);
      cell(tr, r.year == null ? '–' : String(r.year), 'tal');
      cell(tr, integer(r.households), 'tal');
      cell(tr, integer(r.gap), 'tal');
      cell(tr, msek(r.cost), 'tal');
      cell(tr, sek(r.perConnection), 'tal');
      cell(tr, percent(r.publicShare), 'tal');
      const d = cell(tr, r.p.flagged ? t('flagged', { andel: percent(r.delivered) }) : percent(r.delivered), 'tal');
      d.dataset.flagged = String(r.p.flagged);
      return tr;
    }),
  );
  for (const th of table.querySelectorAll('thead th')) {
    if (th.dataset.key === state.key) th.setAttribute('aria-sort', state.dir);
    else th.removeAttribute('aria-sort');
  }
  caption.textContent = t('caption', {
    antal: list.length,
    datum: longDate(state.rep.as_of),
    kolumn: columnName(state.key),
    riktning: t(state.dir),
  });
}

function markText(curve, bp) {
  const m = (curve.marks || []).find((x) => x.basis_points === bp);
  if (!m) return '–';
  return m.address_points === 0 ? t('reached') : msek(m.cost_sek);
}

function renderArea() {
  const area = state.rep.areas.find((a) => (state.code ? a.code === state.code : a.kind === 'county')) || state.rep.areas[0];
  if (!area) return;
  document.getElementById('utb-omrade-rubrik').textContent = t('areaTitle', { namn: area.name });
  const dl = document.getElementById('utb-tal');
  dl.replaceChildren();
  for (const [dt, dd] of [
    [t('projects'), integer(area.projects)],
    [t('whiteSpots'), t('whiteSpotsValue', { hushall: integer(area.white_spot_households), arbetsstallen: integer(area.white_spot_workplaces) })],
    [t('estimatedCost'), msek(area.estimated_cost_sek)],
    [t('cost98'), markText(area.cost_curve, 9800)],
    [t('cost999'), markText(area.cost_curve, 9990)],
    [t('cost100'), markText(area.cost_curve, 10000)],
  ]) {
    const div = document.createElement('div');
    div.append(Object.assign(document.createElement('dt'), { textContent: dt }), Object.assign(document.createElement('dd'), { textContent: dd }));
    dl.append(div);
  }
  const tbody = document.querySelector('#utb-mal tbody');
  tbody.replaceChildren(
    ...area.targets.map((x) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = `${x.class_mbps >= 1000 ? `${x.class_mbps / 1000} Gbit/s` : `${x.class_mbps} Mbit/s`}: ${threshold(x.threshold)} ${x.year}`;
      tr.append(th);
      cell(tr, percent(x.share), 'tal');
      cell(tr, percent(x.forecast_with_projects), 'tal');
      return tr;
    }),
  );
  drawCurve(area);
}

function drawCurve(area) {
  const canvas = document.getElementById('utb-kurva');
  canvas.setAttribute('aria-label', t('chartLabel', { namn: area.name }));
  if (chart) chart.destroy();
  const c = area.cost_curve;
  const style = getComputedStyle(document.body);
  Chart.defaults.font.family = style.fontFamily;
  const brand = style.getPropertyValue('--brand').trim() || '#1d4e89';
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: t('chartY'),
          data: (c.points || []).map(([share, cost]) => ({ x: share * 100, y: cost / 1e6 })),
          borderColor: brand,
          backgroundColor: brand,
          pointRadius: 0,
          borderWidth: 2,
        },
        {
          type: 'scatter',
          label: '98 %, 99,9 %, 100 %',
          data: (c.marks || []).filter((m) => m.address_points > 0).map((m) => ({ x: m.threshold * 100, y: m.cost_sek / 1e6 })),
          borderColor: '#111111',
          backgroundColor: '#f4b400',
          pointRadius: 6,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      parsing: true,
      scales: {
        x: { type: 'linear', title: { display: true, text: t('chartX') }, ticks: { callback: (v) => `${v} %` } },
        y: { type: 'linear', beginAtZero: true, title: { display: true, text: t('chartY') } },
      },
      plugins: { legend: { display: false } },
    },
  });
}

function renderAssumptions() {
  const ul = document.getElementById('utb-antaganden');
  ul.replaceChildren(
    ...state.rep.cost_model.map((e) =>
      Object.assign(document.createElement('li'), {
        textContent: t('assumption', { text: e.assumption_sv, varde: integer(e.value), enhet: e.unit === 'SEK' ? 'kr' : e.unit === 'SEK/m' ? 'kr per meter' : 'meter' }),
      }),
    ),
  );
}

function syncURL() {
  csv.href = projectsURL('csv');
  xlsx.href = projectsURL('xlsx');
  const q = new URLSearchParams();
  if (state.asOf) q.set('as_of', state.asOf);
  if (state.code) q.set('kommun', state.code);
  const s = q.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

async function load() {
  const resp = await fetch(projectsURL(''), { headers: { Accept: 'application/json' } });
  if (resp.status === 404) {
    status.textContent = t('noRegister');
    return;
  }
  if (resp.status === 503) {
    status.textContent = t('building');
    setTimeout(() => load().catch(failed), 5000);
    return;
  }
  if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
  state.rep = await resp.json();
  status.textContent = '';
  syncURL();
  renderArea();
  renderTable();
  renderAssumptions();
}

async function start() {
  for (const th of table.querySelectorAll('thead th')) {
    th.querySelector('button').addEventListener('click', () => {
      if (state.key === th.dataset.key) state.dir = state.dir === 'ascending' ? 'descending' : 'ascending';
      else {
        state.key = th.dataset.key;
        state.dir = firstDirection[state.key];
      }
      renderTable();
      status.textContent = t('sorted', { kolumn: columnName(state.key), riktning: t(state.dir) });
    });
  }
  const snaps = await api.snapshots();
  if (!snaps.latest) {
    status.textContent = t('noSnapshots');
    return;
  }
  if (state.asOf && !snaps.snapshots.some((s) => s.as_of === state.asOf)) state.asOf = null;
  yearSelect.replaceChildren(...[...snaps.snapshots].reverse().map((s) => new Option(`${yearOf(s.as_of)} (${longDate(s.as_of)})`, s.as_of)));
  yearSelect.value = state.asOf || snaps.latest;
  yearSelect.disabled = false;
  yearSelect.addEventListener('change', () => {
    state.asOf = yearSelect.value === snaps.latest ? null : yearSelect.value;
    load().catch(failed);
  });
  const list = await api.municipalities(state.asOf);
  for (const m of [...list.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'sv'))) muniSelect.add(new Option(m.name, m.code));
  muniSelect.value = list.municipalities.some((m) => m.code === state.code) ? state.code : '';
  state.code = muniSelect.value;
  muniSelect.disabled = false;
  muniSelect.addEventListener('change', () => {
    state.code = muniSelect.value;
    load().catch(failed);
  });
  await load();
}

function failed(err) {
  console.warn('utbyggnad:', err); // eslint-disable-line no-console
  status.textContent = t('loadFailed');
}

start().catch(failed);
