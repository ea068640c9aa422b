// The entry of the page templates/mal.html (Mål): every municipality against
// every target, from /api/v1/municipalities (the fixed targets) and
// /api/v1/mobile (the mobile ones, from the mobile snapshot in force on the
// chosen date), sortable by each column (buttons in the column headings, with
// aria-sort), furthest from its target first; the targets in force first
// shown (the nearest target year not yet passed); the county last; CSV and
// XLSX from /api/v1/targets.
import './mal.css';
import * as api from './map/api.js';
import { integer, longDate, percent, threshold, yearOf } from './map/format.js';
import { texts } from './map/texts.js';

const t = texts('mal-texter');
const table = document.getElementById('maltabell');
const body = table.querySelector('tbody');
const foot = table.querySelector('tfoot');
const caption = document.getElementById('maltabell-text');
const status = document.getElementById('mal-status');
const yearSelect = document.getElementById('mal-ar');
const targetSelect = document.getElementById('mal-filter');
const csv = document.getElementById('ladda-csv');
const xlsx = document.getElementById('ladda-xlsx');

const params = new URLSearchParams(location.search);
const inForce = 'i-kraft'; // the target filter's value for the targets in force
const every = 'alla'; // the URL's value for every target
const state = {
  asOf: params.get('as_of') || null, // null: the latest
  target: params.get('mal') === every ? '' : params.get('mal') || inForce, // inForce: the targets in force; '': every target
  key: 'distance',
  dir: 'descending',
  list: null,
};

// The direction a column sorts in when first chosen: the worst first.
const firstDirection = {
  name: 'ascending',
  target: 'ascending',
  share: 'ascending',
  distance: 'descending',
  met: 'ascending',
  gapHouseholds: 'descending',
  gapWorkplaces: 'descending',
  gapHolidayHomes: 'descending',
  forecast: 'ascending',
  onCourse: 'descending',
};

function targetTitle(info) {
  let title;
  if (info.measure === 'fiveg') title = t('targetTitleFiveG', { troskel: threshold(info.threshold), ar: info.year });
  else if (info.measure === 'mobile_outdoor') {
    title = t('targetTitleMobile', { klass: t(`class${info.class_mbps}`), troskel: threshold(info.threshold), ar: info.year });
  } else title = t('targetTitle', { klass: t(`class${info.class_mbps}`), troskel: threshold(info.threshold), ar: info.year });
  if (info.population === 'households') title = t('householdsOnly', { titel: title });
  return info.county_code ? t('regional', { titel: title }) : title;
}

// onCourse returns the "I takt" text and a rank: 0 on course (or met), the
// year the line reaches the target, 9999 never; null when unknown.
function onCourse(r, asOfYear) {
  const p = r.projection;
  if (r.met) return [t('yes'), 0];
  if (!p) return r.year < asOfYear ? [t('onCoursePast'), null] : [t('onCourseUnknown'), null];
  if (p.on_course) return [t('onCourseYes'), 0];
  if (p.reaches_year) return [t('onCourseNo', { ar: p.reaches_year }), p.reaches_year];
  return [t('onCourseNever'), 9999];
}

/** rows flattens the API's areas into one row per area and target. */
function rows(areas, targets, asOfYear) {
  const order = new Map(targets.map((x, i) => [x.id, i]));
  const info = new Map(targets.map((x) => [x.id, x]));
  const out = [];
  for (const a of areas) {
    for (const r of a.targets) {
      const [courseText, courseRank] = onCourse(r, asOfYear);
      const nobody = a.households_total + a.workplaces_total === 0;
      out.push({
        code: a.code,
        name: a.name,
        targetId: r.id,
        target: order.get(r.id),
        targetText: targetTitle(info.get(r.id) || { class_mbps: r.class_mbps, threshold: r.threshold, year: r.year }),
        share: r.share,
        distance: r.share == null ? null : r.threshold - r.share,
        met: r.met,
        metText: r.met ? t('yes') : nobody ? t('nobody') : t('no'),
        gapHouseholds: r.gap_households,
        // a target over households only counts no workplaces: '–', not 0
        gapWorkplaces: (r.population ?? info.get(r.id)?.population) === 'households' ? null : (r.gap_workplaces ?? null),
        gapHolidayHomes: r.gap_holiday_homes ?? null,
        forecast: r.forecast ? r.forecast.share : null,
        onCourse: courseRank,
        onCourseText: courseText,
      });
    }
  }
  return out;
}

function compare(a, b) {
  const k = state.key;
  const sign = state.dir === 'ascending' ? 1 : -1;
  const x = a[k];
  const y = b[k];
  if (x == null || y == null) {
    if (x == null && y != null) return 1; // unknown last, either way
    if (y == null && x != null) return -1;
  } else if (x !== y) {
    if (typeof x === 'string') return sign * x.localeCompare(y, 'sv');
    return sign * (x < y ? -1 : 1);
  }
  return a.name.localeCompare(b.name, 'sv') || a.target - b.target;
}

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function row(r, head) {
  const tr = document.createElement('tr');
  tr.dataset.code = r.code;
  tr.dataset.target = r.targetId;
  const th = document.createElement('th');
  th.scope = 'row';
  if (head) th.textContent = r.name;
  else {
    const a = document.createElement('a');
    a.href = `/?kommun=${encodeURIComponent(r.code)}${state.asOf ? `&as_of=${state.asOf}` : ''}`;
    a.textContent = r.name;
    th.append(a);
  }
  tr.append(th);
  cell(tr, r.targetText, 'mal-namn');
  cell(tr, percent(r.share), 'tal');
  cell(tr, r.distance == null ? '–' : t('points', { tal: percent(Math.max(0, r.distance)).replace(/\s*%$/, '') }), 'tal');
  cell(tr, r.metText).dataset.met = String(r.met);
  cell(tr, integer(r.gapHouseholds), 'tal');
  cell(tr, integer(r.gapWorkplaces), 'tal');
  cell(tr, integer(r.gapHolidayHomes), 'tal');
  cell(tr, percent(r.forecast), 'tal');
  cell(tr, r.onCourseText).dataset.onCourse = String(r.onCourse === 0);
  return tr;
}

function columnName(key) {
  return table.querySelector(`th[data-key="${key}"] button`).textContent;
}

function render() {
  const l = state.list;
  const asOfYear = yearOf(l.as_of);
  const current = new Set(l.targets.filter((x) => x.in_force).map((x) => x.id));
  const keep = (r) => !state.target || r.targetId === state.target || (state.target === inForce && current.has(r.targetId));
  const munis = rows(l.municipalities, l.targets, asOfYear).filter(keep).sort(compare);
  body.replaceChildren(...munis.map((r) => row(r, false)));
  foot.replaceChildren(...rows(l.counties, l.targets, asOfYear).filter(keep).map((r) => row(r, true)));
  for (const th of table.querySelectorAll('thead th')) {
    if (th.dataset.key === state.key) th.setAttribute('aria-sort', state.dir);
    else th.removeAttribute('aria-sort');
  }
  const info = l.targets.find((x) => x.id === state.target);
  let mal = info ? t('oneTarget', { mal: targetTitle(info) }) : t('everyTarget');
  if (state.target === inForce) mal = t('targetsInForce');
  caption.textContent = t('caption', {
    antal: munis.length,
    mal,
    datum: longDate(l.as_of),
    kolumn: columnName(state.key),
    riktning: t(state.dir),
  });
}

function sortBy(key) {
  if (state.key === key) state.dir = state.dir === 'ascending' ? 'descending' : 'ascending';
  else {
    state.key = key;
    state.dir = firstDirection[key];
  }
  render();
  status.textContent = t('sorted', { kolumn: columnName(key), riktning: t(state.dir) });
}

function syncLinks() {
  // one target's report when one is chosen; the targets in force, like
  // every target, download whole
  const one = state.target === inForce ? '' : state.target;
  csv.href = api.targetsDownload(state.asOf, 'csv', one);
  xlsx.href = api.targetsDownload(state.asOf, 'xlsx', one);
  const q = new URLSearchParams();
  if (state.asOf) q.set('as_of', state.asOf);
  if (state.target !== inForce) q.set('mal', state.target || every);
  const s = q.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

// withMobile adds the mobile targets and the areas' results for them, from
// the mobile snapshot in force on the list's date (none: the list as it is).
async function withMobile(list) {
  const snaps = await api.mobileSnapshots(list.as_of);
  if (!snaps.in_force) return list;
  const rep = await api.mobile(snaps.in_force);
  const of = new Map(rep.areas.map((a) => [`${a.kind} ${a.code}`, a]));
  const merge = (areas, kind) =>
    areas.map((a) => ({ ...a, targets: [...a.targets, ...((of.get(`${kind} ${a.code}`) || {}).targets || [])] }));
  return {
    ...list,
    targets: [...list.targets, ...rep.targets],
    municipalities: merge(list.municipalities, 'municipality'),
    counties: merge(list.counties, 'county'),
  };
}

async function load() {
  state.list = await withMobile(await api.municipalities(state.asOf));
  if (targetSelect.options.length === 1) {
    const years = [...new Set(state.list.targets.filter((x) => x.in_force).map((x) => x.year))].sort();
    targetSelect.add(new Option(t('inForceOption', { ar: years.join(', ') }), inForce), 0);
    for (const x of state.list.targets) targetSelect.add(new Option(targetTitle(x), x.id));
    const known = state.target === inForce || state.list.targets.some((x) => x.id === state.target);
    targetSelect.value = known ? state.target : '';
    state.target = targetSelect.value;
    targetSelect.disabled = false;
  }
  syncLinks();
  render();
}

async function start() {
  for (const th of table.querySelectorAll('thead th')) {
    th.querySelector('button').addEventListener('click', () => sortBy(th.dataset.key));
  }
  const snaps = await api.snapshots();
  if (!snaps.latest) {
    yearSelect.replaceChildren(new Option('–', ''));
    caption.textContent = t('noSnapshots');
    status.textContent = t('noSnapshots');
    for (const a of [csv, xlsx]) a.hidden = true;
    return;
  }
  if (state.asOf && !snaps.snapshots.some((s) => s.as_of === state.asOf)) state.asOf = null;
  yearSelect.replaceChildren();
  for (const s of [...snaps.snapshots].reverse()) {
    yearSelect.add(new Option(t('snapshotOption', { ar: yearOf(s.as_of), datum: longDate(s.as_of) }), s.as_of));
  }
  yearSelect.value = state.asOf || snaps.latest;
  yearSelect.disabled = false;
  yearSelect.addEventListener('change', () => {
    state.asOf = yearSelect.value === snaps.latest ? null : yearSelect.value;
    load().catch(failed);
  });
  targetSelect.addEventListener('change', () => {
    state.target = targetSelect.value;
    syncLinks();
    render();
  });
  await load();
}

function failed(err) {
  console.warn('mål:', err); // eslint-disable-line no-console
  status.textContent = t('loadFailed');
}

start().catch(failed);
