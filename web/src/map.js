// The entry of the page templates/map.html (Karta): the municipalities
// coloured by their share with ≥ 1 Gbit/s (or ≥ 100 Mbit/s), the public
// squares when zoomed in, a year picker, and the side panel (src/map/panel.js).
// The style is built here: a plain background and our own layers, so the map
// needs no other host; a base map style can be configured
// (GIGAKOLL_BASEMAP_STYLE), and our layers are drawn on top of it.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './map.css';
import { addressCombobox } from './matning-address.js';
import * as api from './map/api.js';
import { download, legendItems, mapPicture } from './map/export.js';
import { longDate, yearOf } from './map/format.js';
import { inspect } from './map/inspect.js';
import { Labels } from './map/labels.js';
import { changeColours, changeFill, fetchChanges, paint, renderChanges, unpaint } from './map/compare.js';
import { foldOnPhone, renderChangeLegend, renderLegend } from './map/legend.js';
import { overlays } from './map/overlays.js';
import { renderMunicipality, renderRanking } from './map/panel.js';
import { appendMunicipalityMobile } from './map/panel-mobile.js';
import { appendMunicipalityProjects } from './map/panel-projects.js';
import { openProject } from './map/overlay-projects.js';
import { fillColour } from './map/scale.js';
import { pageData, texts } from './map/texts.js';

maplibregl.setWorkerUrl(workerUrl);

const t = texts('karta-texter');
const data = pageData('karta-data') || {};
const panel = document.getElementById('panel');
const yearSelect = document.getElementById('ar');
const municipalitySelect = document.getElementById('kommun');
const message = document.getElementById('karta-meddelande');
const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// What the page shows; the URL's query keeps it (as_of, klass, kommun).
const params = new URLSearchParams(location.search);
const view = {
  asOf: params.get('as_of') || null, // null: the latest
  classMbps: params.get('klass') === '100' ? 100 : 1000,
  code: params.get('kommun') || null,
  compare: params.get('jamfor') || null, // an earlier snapshot's date: the "what changed" view
};
const compareSelect = document.getElementById('jamfor');
let snapshotList = [];
let compareSeq = 0;
let list = null; // the API's /municipalities for view.asOf
let chart = null;
let opener = null; // what opened the panel, for focus when it closes
let panelSeq = 0; // answers to an older choice are dropped
let listSeq = 0;

const map = new maplibregl.Map({
  container: 'karta',
  style: data.basemap_style || {
    version: 8,
    sources: {},
    layers: [{ id: 'bakgrund', type: 'background', paint: { 'background-color': '#dfe6ec' } }],
  },
  bounds: data.bounds,
  attributionControl: false,
  dragRotate: false,
  pitchWithRotate: false,
  maxZoom: 16,
  canvasContextAttributes: { preserveDrawingBuffer: true }, // for the picture of the map (src/map/export.js)
});
map.touchZoomRotate.disableRotation();
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
const labels = new Labels(map, data.labels);
let inspector = null;
// For the browser tests (web/e2e/map.test.mjs): the map and what it shows.
window.gigakollKarta = { map, view, labels, showRanking: () => showRanking() };

const mapLoaded = new Promise((resolve) => map.on('load', resolve));

// fitPadding keeps the county clear of the legend in the lower left corner.
function fitPadding() {
  const legend = document.getElementById('teckenforklaring');
  const wide = map.getContainer().clientWidth > 2.2 * legend.offsetWidth;
  return { top: 24, right: 24, bottom: 24, left: wide ? legend.offsetWidth + 32 : 24 };
}

function showMessage(text) {
  message.textContent = text;
  message.hidden = !text;
}

function syncURL() {
  const q = new URLSearchParams();
  if (view.asOf) q.set('as_of', view.asOf);
  if (view.classMbps !== 1000) q.set('klass', String(view.classMbps));
  if (view.code) q.set('kommun', view.code);
  if (view.compare) q.set('jamfor', view.compare);
  const s = q.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

// The municipalities layers: fill, outline, and the chosen one's outline.
function addLayers() {
  const overBasemap = Boolean(data.basemap_style);
  map.addSource('kommuner', {
    type: 'vector',
    promoteId: 'code', // a municipality's feature state (its change, when comparing) by its code
    tiles: [api.tileURL('municipalities', view.asOf)],
    minzoom: 0,
    maxzoom: 14,
  });
  map.addLayer({
    id: 'kommuner-fyllning',
    type: 'fill',
    source: 'kommuner',
    'source-layer': 'municipalities',
    paint: {
      'fill-color': fillColour(view.classMbps),
      'fill-opacity': ['interpolate', ['linear'], ['zoom'], 9, overBasemap ? 0.7 : 1, 11, overBasemap ? 0.3 : 0.45],
    },
  });
  map.addLayer({
    id: 'kommuner-kant',
    type: 'line',
    source: 'kommuner',
    'source-layer': 'municipalities',
    paint: {
      'line-color': ['case', ['has', 'share_1000'], '#ffffff', '#a9b3bc'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.6, 10, 1.5],
    },
  });
  map.addLayer({
    id: 'kommuner-vald-yttre',
    type: 'line',
    source: 'kommuner',
    'source-layer': 'municipalities',
    filter: ['==', ['get', 'code'], ''],
    paint: { 'line-color': '#000000', 'line-width': 5 },
  });
  map.addLayer({
    id: 'kommuner-vald',
    type: 'line',
    source: 'kommuner',
    'source-layer': 'municipalities',
    filter: ['==', ['get', 'code'], ''],
    paint: { 'line-color': '#ffffff', 'line-width': 2 },
  });
  for (const o of overlays) {
    o.add(map, { ...view, beforeId: 'kommuner-kant' });
    setOverlayVisible(o, o.visible);
  }
}

function setOverlayVisible(o, visible) {
  for (const id of o.layers) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  const note = o.legend && document.getElementById(o.legend);
  if (note) note.hidden = !visible || map.getZoom() < (o.minzoom ?? 0);
}

function buildLayerControl() {
  const box = document.getElementById('lager');
  for (const o of overlays) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = `lager-${o.id}`;
    input.checked = o.visible;
    input.addEventListener('change', () => {
      o.visible = input.checked;
      setOverlayVisible(o, o.visible);
    });
    label.append(input, ` ${t(o.text)}`);
    box.append(label);
  }
  map.on('zoomend', () => overlays.forEach((o) => setOverlayVisible(o, o.visible)));
}

function highlight(code) {
  for (const id of ['kommuner-vald-yttre', 'kommuner-vald']) {
    if (map.getLayer(id)) map.setFilter(id, ['==', ['get', 'code'], code || '']);
  }
}

// The municipality's extent from the tiles loaded, to bring it into view
// when it was chosen from a list rather than on the map.
function fitMunicipality(code) {
  const features = map.querySourceFeatures('kommuner', {
    sourceLayer: 'municipalities',
    filter: ['==', ['get', 'code'], code],
  });
  if (!features.length) return;
  const bounds = new maplibregl.LngLatBounds();
  const walk = (c) => (typeof c[0] === 'number' ? bounds.extend(c) : c.forEach(walk));
  features.forEach((f) => walk(f.geometry.coordinates));
  map.fitBounds(bounds, { padding: fitPadding(), maxZoom: 10, duration: reduceMotion ? 0 : 600 });
}

async function showRanking() {
  if (chart) chart.destroy();
  chart = null;
  view.code = null;
  highlight(null);
  municipalitySelect.value = '';
  syncURL();
  if (list) renderRanking(panel, t, list, view.classMbps, (code, button) => openMunicipality(code, button, true));
}

// openMunicipality shows code's report in the panel. from is the element that
// chose it (focus returns there when the panel closes); a choice by the reader
// moves focus into the panel; fit brings the municipality into view.
async function openMunicipality(code, from, fit) {
  const seq = ++panelSeq;
  opener = from || opener;
  let report;
  try {
    report = await api.municipality(code, view.asOf);
  } catch (err) {
    if (seq === panelSeq) showMessage(t('loadFailed'));
    throw err;
  }
  if (seq !== panelSeq) return;
  showMessage('');
  view.code = code;
  municipalitySelect.value = code;
  highlight(code);
  syncURL();
  if (chart) chart.destroy();
  chart = renderMunicipality(panel, t, report, view.classMbps, closeMunicipality);
  appendMunicipalityMobile(panel, code, view.asOf, () => seq === panelSeq).catch(failed);
  if (data.projects) appendMunicipalityProjects(panel, code, view.asOf, () => seq === panelSeq).catch(failed);
  panel.scrollTop = 0;
  if (from !== undefined) panel.focus({ preventScroll: true });
  if (fit) {
    if (map.areTilesLoaded()) fitMunicipality(code);
    else map.once('idle', () => fitMunicipality(code));
  }
}

function closeMunicipality() {
  const code = view.code;
  const from = opener;
  opener = null;
  panelSeq++; // an answer still on its way no longer opens the panel
  if (view.compare) showChanges().catch(failed);
  else showRanking();
  // back where the reader came from: the ranking's row (redrawn), the list, or the panel
  const row = panel.querySelector(`tr[data-code="${code}"] button`);
  if (from && from.isConnected) from.focus();
  else if (row && (!from || panel.contains(from) || !from.isConnected)) row.focus();
  else panel.focus();
}

async function loadList() {
  const seq = ++listSeq;
  const l = await api.municipalities(view.asOf);
  if (seq !== listSeq) return false;
  list = l;
  const current = municipalitySelect.value;
  municipalitySelect.replaceChildren(municipalitySelect.options[0]);
  for (const m of [...list.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'sv'))) {
    municipalitySelect.add(new Option(m.name, m.code));
  }
  municipalitySelect.value = current;
  municipalitySelect.disabled = false;
  return true;
}

let firstLoad = true; // a link to a municipality brings it into view once

async function refresh() {
  if (!(await loadList())) return;
  labels.show(list.municipalities.map((m) => m.code));
  fillCompareSelect();
  if (view.compare && !view.code) {
    await showChanges();
    firstLoad = false;
    return;
  }
  if (view.code && !list.municipalities.some((m) => m.code === view.code)) {
    const code = view.code;
    await showRanking();
    showMessage(unknownText(code));
  } else if (view.code) await openMunicipality(view.code, undefined, firstLoad);
  else await showRanking();
  firstLoad = false;
}

// unknownText says why a municipality asked for (?kommun=) is not shown.
function unknownText(code) {
  const name = labels.name(code);
  if (!name) return t('unknownMunicipality', { kod: code });
  const counties = list.counties.map((c) => c.name);
  const lan = counties.length > 1 ? `${counties.slice(0, -1).join(', ')}${t('and')}${counties.at(-1)}` : counties.join('');
  return t('outsideData', { namn: name, kod: code, datum: longDate(list.as_of), lan });
}

// fillCompareSelect offers the snapshots before the one shown.
function fillCompareSelect() {
  const shown = view.asOf || (snapshotList.length ? snapshotList.at(-1).as_of : null);
  const earlier = snapshotList.filter((s) => shown && s.as_of < shown).reverse();
  compareSelect.replaceChildren(compareSelect.options[0]);
  for (const s of earlier) compareSelect.add(new Option(t('snapshotOption', { ar: yearOf(s.as_of), datum: longDate(s.as_of) }), s.as_of));
  if (!earlier.some((s) => s.as_of === view.compare)) view.compare = null;
  compareSelect.value = view.compare || '';
  compareSelect.disabled = earlier.length === 0;
}

// showChanges shows what changed since view.compare, in the panel and on the map.
async function showChanges() {
  const seq = ++compareSeq;
  const rep = await fetchChanges(view.compare, view.asOf, view.classMbps);
  if (seq !== compareSeq || !view.compare) return;
  if (chart) chart.destroy();
  chart = null;
  view.code = null;
  highlight(null);
  municipalitySelect.value = '';
  paint(map, rep);
  map.setPaintProperty('kommuner-fyllning', 'fill-color', changeFill(fillColour(view.classMbps)));
  renderChangeLegend(t, yearOf(rep.from), yearOf(rep.to), view.classMbps, changeColours);
  renderChanges(panel, t, rep, () => setCompare(null));
  syncURL();
}

// setCompare starts or ends the "what changed" view.
function setCompare(from) {
  view.compare = from;
  compareSelect.value = from || '';
  if (from) {
    showChanges().catch(failed);
    return;
  }
  compareSeq++;
  unpaint(map);
  map.setPaintProperty('kommuner-fyllning', 'fill-color', fillColour(view.classMbps));
  renderLegend(t, view.classMbps);
  syncURL();
  showRanking();
}

function setAsOf(asOf) {
  view.asOf = asOf;
  map.getSource('kommuner').setTiles([api.tileURL('municipalities', view.asOf)]);
  overlays.forEach((o) => o.update(map, view));
  syncURL();
  refresh().catch(failed);
}

function setClass(classMbps) {
  view.classMbps = classMbps;
  map.setPaintProperty('kommuner-fyllning', 'fill-color', fillColour(classMbps));
  overlays.forEach((o) => o.update(map, view));
  renderLegend(t, classMbps);
  syncURL();
  if (view.compare && !view.code) showChanges().catch(failed);
  else if (view.code) openMunicipality(view.code, undefined, false).catch(failed);
  else showRanking();
}

function failed(err) {
  console.warn('karta:', err); // eslint-disable-line no-console
  showMessage(t('loadFailed'));
}

// searchAddress wires the address search: a picked address brings its 250 m
// square into view, outlined, with its figures when it is a public square.
// The public never sees more than the square.
function searchAddress() {
  const input = document.getElementById('adressok');
  addressCombobox(input, document.getElementById('adressok-forslag'), document.getElementById('adressok-antal'), (a) => {
    if (!a) return;
    const [w, s, e, n] = a.square_bounds;
    const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]];
    const outline = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
    if (map.getSource('sok-ruta')) map.getSource('sok-ruta').setData(outline);
    else {
      map.addSource('sok-ruta', { type: 'geojson', data: outline });
      map.addLayer({ id: 'sok-ruta-yttre', type: 'line', source: 'sok-ruta', paint: { 'line-color': '#ffffff', 'line-width': 6 } });
      map.addLayer({ id: 'sok-ruta', type: 'line', source: 'sok-ruta', paint: { 'line-color': '#b4004e', 'line-width': 3 } });
    }
    map.fitBounds([[w, s], [e, n]], { maxZoom: 15, padding: 80, duration: reduceMotion ? 0 : 600 });
    map.once('idle', () => {
      const centre = [(w + e) / 2, (s + n) / 2];
      const shown = inspector ? inspector.showSquare(centre) : '';
      const key = { square: 'searchFound', pooled: 'searchFoundPooled' }[shown] || 'searchSquareHidden';
      showMessage(t(key, { adress: a.label, ruta: a.square }));
    });
  });
}

// savePicture offers the map as it is shown, with its legend, as a PNG.
async function savePicture() {
  const snap = list ? list.as_of : '';
  const today = new Date().toISOString().slice(0, 10);
  const klass = t(`class${view.classMbps}`);
  const blob = await mapPicture(map, {
    title: t('exportTitle', { klass, datum: snap ? longDate(snap) : '' }),
    source: t('exportSource', { datum: snap ? longDate(snap) : '', idag: longDate(today) }),
    labels: labels.visible(),
    legend: legendItems(t),
  });
  download(blob, t('exportFile', { datum: snap, klass: view.classMbps === 1000 ? '1gbit' : '100mbit' }));
}

async function start() {
  renderLegend(t, view.classMbps);
  foldOnPhone();
  document.getElementById('karta-verktyg').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('spara-bild').addEventListener('click', () => savePicture().catch(failed));
  searchAddress();
  for (const radio of document.querySelectorAll('input[name="klass"]')) {
    radio.checked = Number(radio.value) === view.classMbps;
    radio.addEventListener('change', () => radio.checked && setClass(Number(radio.value)));
  }
  const snaps = await api.snapshots();
  if (!snaps.latest) {
    yearSelect.replaceChildren(new Option('–', ''));
    panel.replaceChildren(Object.assign(document.createElement('h2'), { id: 'panel-rubrik', textContent: t('panelTitleEmpty') }));
    showMessage(t('noSnapshots'));
    return;
  }
  if (view.asOf && !snaps.snapshots.some((s) => s.as_of === view.asOf)) view.asOf = null;
  yearSelect.replaceChildren();
  for (const s of [...snaps.snapshots].reverse()) {
    yearSelect.add(new Option(t('snapshotOption', { ar: yearOf(s.as_of), datum: longDate(s.as_of) }), s.as_of));
  }
  snapshotList = snaps.snapshots;
  compareSelect.addEventListener('change', () => setCompare(compareSelect.value || null));
  yearSelect.value = view.asOf || snaps.latest;
  yearSelect.disabled = false;
  yearSelect.addEventListener('change', () => setAsOf(yearSelect.value === snaps.latest ? null : yearSelect.value));
  municipalitySelect.addEventListener('change', () => {
    if (municipalitySelect.value) openMunicipality(municipalitySelect.value, municipalitySelect, true).catch(failed);
    else showRanking();
  });

  await mapLoaded;
  map.resize(); // the toolbar has its final size now
  if (!view.code && data.bounds) map.fitBounds(data.bounds, { padding: fitPadding(), duration: 0 });
  addLayers();
  buildLayerControl();
  inspector = inspect(map, t, view, (code) => openMunicipality(code, map.getCanvas(), false).catch(failed));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && view.code) {
      e.preventDefault();
      closeMunicipality();
    }
  });
  await refresh();
  // a link to a project (the Utbyggnad page's) opens its panel
  if (params.get('projekt')) await openProject(map, params.get('projekt'), view.asOf);
}

start().catch(failed);
