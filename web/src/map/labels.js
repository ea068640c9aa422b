// The municipalities' names on the map. A style with text needs glyphs from
// a font server, and the map loads nothing from other hosts: the names are
// HTML markers at each municipality's label point (the centre of the largest
// circle inside it, from the page's data), for the municipalities the
// snapshot covers. The select Kommun and the panel carry the same names for
// screen readers, so the markers are hidden from them.
import * as maplibregl from 'maplibre-gl';

const minzoom = 6.5; // below this, a county's names run into each other

/**
 * Labels keeps the markers of the covered municipalities; show(codes) puts
 * the names of those codes on the map and takes the others off.
 */
export class Labels {
  constructor(map, labels) {
    this.map = map;
    this.byCode = new Map((labels || []).map((l) => [l.code, l]));
    this.markers = new Map();
    map.on('zoom', () => this.fit());
  }

  show(codes) {
    const want = new Set(codes);
    for (const [code, m] of this.markers) {
      if (!want.has(code)) {
        m.remove();
        this.markers.delete(code);
      }
    }
    for (const code of want) {
      const l = this.byCode.get(code);
      if (!l || this.markers.has(code)) continue;
      const el = document.createElement('span');
      el.className = 'kommun-etikett';
      el.textContent = l.name;
      el.setAttribute('aria-hidden', 'true');
      el.dataset.code = code;
      this.markers.set(code, new maplibregl.Marker({ element: el }).setLngLat([l.lon, l.lat]).addTo(this.map));
    }
    this.fit();
  }

  fit() {
    const hidden = this.map.getZoom() < minzoom;
    for (const m of this.markers.values()) m.getElement().classList.toggle('dold', hidden);
  }

  /** visible lists the names on the map with their pixel positions (for the picture of the map). */
  visible() {
    if (this.map.getZoom() < minzoom) return [];
    return [...this.markers.values()].map((m) => {
      const p = this.map.project(m.getLngLat());
      return { text: m.getElement().textContent, x: p.x, y: p.y };
    });
  }

  /** name returns a municipality's name, or null when no municipality has the code. */
  name(code) {
    const l = this.byCode.get(code);
    return l ? l.name : null;
  }
}
