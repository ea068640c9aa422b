// The projects overlay: the build-out projects' areas (OGC collection
// "projects", package projects), outlined and lightly filled by status, with
// the project's name as a label from zoom 9, and a panel per project on a
// click (src/map/panel-projects.js). /?projekt=ID opens one (map.js).
import * as maplibregl from 'maplibre-gl';
import { renderProject } from './panel-projects.js';

/** statusColours: planned, in progress, completed, cancelled (ColorBrewer Dark2, told apart in greyscale by the dash). */
export const statusColours = { planned: '#7570b3', in_progress: '#d95f02', completed: '#1b9e77', cancelled: '#666666' };

const labelZoom = 9;
let markers = [];
let features = [];
let asOf = null;
let loaded = Promise.resolve();

function sourceURL(date) {
  const q = new URLSearchParams({ f: 'json', limit: '10000' });
  if (date) q.set('datetime', date);
  return `${location.origin}/ogc/collections/projects/items?${q}`;
}

const colour = ['match', ['get', 'status'], ...Object.entries(statusColours).flat(), '#666666'];

function labels(map) {
  for (const m of markers) m.remove();
  markers = [];
  if (map.getZoom() < labelZoom || map.getLayoutProperty('projekt-kant', 'visibility') === 'none') return;
  const b = map.getBounds();
  for (const f of features) {
    const [w, s, e, n] = f.bbox;
    if (e < b.getWest() || w > b.getEast() || n < b.getSouth() || s > b.getNorth()) continue;
    const el = document.createElement('span');
    el.className = 'projekt-etikett';
    el.textContent = f.name;
    markers.push(new maplibregl.Marker({ element: el }).setLngLat([(w + e) / 2, (s + n) / 2]).addTo(map));
    if (markers.length >= 150) break;
  }
}

async function load(map) {
  const resp = await fetch(sourceURL(asOf), { headers: { Accept: 'application/geo+json' } });
  if (!resp.ok) return;
  const fc = await resp.json();
  features = fc.features.map((f) => {
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    const walk = (c) => (typeof c[0] === 'number' ? ((w = Math.min(w, c[0])), (e = Math.max(e, c[0])), (s = Math.min(s, c[1])), (n = Math.max(n, c[1]))) : c.forEach(walk));
    walk(f.geometry.coordinates);
    return { id: f.properties.id, name: f.properties.name, bbox: [w, s, e, n] };
  });
  map.getSource('projekt').setData(fc);
  labels(map);
}

/** openProject shows a project's panel and brings its area into view. */
export async function openProject(map, id, date) {
  await loaded;
  const f = features.find((x) => x.id === id);
  if (f) map.fitBounds([[f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]], { padding: 60, maxZoom: 13, duration: 0 });
  await renderProject(document.getElementById('panel'), id, date);
}

export default {
  id: 'projekt',
  text: 'overlayProjects',
  visible: true,
  layers: ['projekt-fyllning', 'projekt-kant'],
  legend: 'teckenforklaring-projekt',

  add(map, view) {
    asOf = view.asOf;
    map.addSource('projekt', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'projekt-fyllning', type: 'fill', source: 'projekt', paint: { 'fill-color': colour, 'fill-opacity': 0.18 } });
    map.addLayer({
      id: 'projekt-kant',
      type: 'line',
      source: 'projekt',
      paint: {
        'line-color': colour,
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1.5, 12, 3],
        'line-dasharray': ['match', ['get', 'status'], 'cancelled', ['literal', [1, 1]], 'planned', ['literal', [3, 1]], ['literal', [1, 0]]],
      },
    });
    map.on('click', 'projekt-fyllning', (e) => {
      const f = e.features[0];
      if (f) openProject(map, f.properties.id, asOf).catch((err) => console.warn('projekt:', err)); // eslint-disable-line no-console
    });
    map.on('mousemove', 'projekt-fyllning', () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('moveend', () => labels(map));
    loaded = load(map).catch((err) => console.warn('projekt:', err)); // eslint-disable-line no-console
  },

  update(map, view) {
    if (view.asOf === asOf) return;
    asOf = view.asOf;
    loaded = load(map).catch((err) => console.warn('projekt:', err)); // eslint-disable-line no-console
  },
};
