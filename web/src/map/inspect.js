// What a reader learns by pointing: the municipality's or the square's share
// under the pointer (a tooltip), and by clicking a square or an address
// point, its figures (a popup). Squares are the public squares (at least 5
// households); address points reach only signed-in users, whose tiles the
// server gives for their own municipalities.
import * as maplibregl from 'maplibre-gl';
import { integer, percent } from './format.js';
import { property } from './scale.js';

const technologies = {
  fiber: 'fiber',
  cable: 'kabel-tv',
  dsl: 'DSL',
  fixed_wireless: 'fast radio',
  mobile: 'mobilt',
  satellite: 'satellit',
  other: 'annan',
  none: 'inget',
};

/** speed formats Mbit/s as people say it: "1 Gbit/s", "250 Mbit/s". */
export function speed(mbps) {
  if (mbps >= 1000 && mbps % 1000 === 0) return `${integer(mbps / 1000)} Gbit/s`;
  return `${integer(mbps)} Mbit/s`;
}

function counts(t, p) {
  return t('popupRows', {
    hushall: t.n('households', p.households, { n: integer(p.households) }),
    arbetsstallen: t.n('workplaces', p.workplaces, { n: integer(p.workplaces) }),
  });
}

/** squareHTML is a public square's figures as a DOM fragment. */
function squareContent(t, p, classMbps) {
  const box = document.createElement('div');
  box.className = 'karta-popup';
  const h = document.createElement('strong');
  h.textContent = Number(p.size) === 1000 ? t('popupSquarePooled') : t('popupSquare', { storlek: '250 m' });
  const lines = [
    counts(t, p),
    ...[1000, 100].map((c) => t('popupShare', { klass: t(`class${c}`), andel: percent(p[property(c)]) })),
  ];
  box.append(h);
  for (const l of lines) {
    const div = document.createElement('div');
    div.textContent = l;
    box.append(div);
  }
  box.dataset.square = p.square;
  box.dataset.klass = String(classMbps);
  return box;
}

function addressContent(t, p) {
  const box = document.createElement('div');
  box.className = 'karta-popup';
  const h = document.createElement('strong');
  h.textContent = p.street ? t('popupAddress', { gata: p.street, nummer: p.number }) : p.address_id;
  box.append(h);
  const lines = [counts(t, p)];
  lines.push(p.technology === 'none' || !(p.mbps > 0)
    ? t('popupAddressNone')
    : t('popupAddressBest', { hastighet: speed(p.mbps), teknik: technologies[p.technology] || p.technology }));
  if (p.planned_mbps > 0) lines.push(t('popupPlanned', { hastighet: speed(p.planned_mbps), ar: p.planned_year || '' }).trim());
  for (const l of lines) {
    const div = document.createElement('div');
    div.textContent = l;
    box.append(div);
  }
  box.dataset.address = p.address_id;
  return box;
}

/**
 * inspect wires the tooltip and the popups. view gives the class shown;
 * openMunicipality(code) opens a municipality's panel.
 */
export function inspect(map, t, view, openMunicipality) {
  const tip = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'karta-tips', offset: 12 });
  const popup = new maplibregl.Popup({ closeButton: true, className: 'karta-info', maxWidth: '18rem' });
  const layers = ['adresser-punkter', 'rutor-fyllning', 'kommuner-fyllning'].filter((id) => map.getLayer(id));

  map.on('mousemove', (e) => {
    const f = map.queryRenderedFeatures(e.point, { layers: layers.filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none') })[0];
    if (!f) {
      tip.remove();
      map.getCanvas().style.cursor = '';
      return;
    }
    const p = f.properties;
    let text;
    if (f.layer.id === 'kommuner-fyllning') {
      text = p[property(view.classMbps)] == null
        ? t('hoverNoData', { namn: p.name })
        : t('hoverMunicipality', { namn: p.name, andel: percent(p[property(view.classMbps)]) });
    } else if (f.layer.id === 'rutor-fyllning') {
      text = t('hoverSquare', { andel: percent(p[property(view.classMbps)]), antal: t.n('households', p.households, { n: integer(p.households) }) });
    } else {
      text = p.street ? `${p.street} ${p.number}` : p.address_id;
    }
    map.getCanvas().style.cursor = f.layer.id !== 'kommuner-fyllning' || p.share_1000 != null ? 'pointer' : '';
    tip.setLngLat(e.lngLat).setText(text).addTo(map);
  });
  map.getCanvas().addEventListener('mouseleave', () => tip.remove());

  map.on('click', (e) => {
    // a project's outline (overlay-projects.js) answers its own clicks
    if (map.getLayer('projekt-fyllning') && map.queryRenderedFeatures(e.point, { layers: ['projekt-fyllning'] }).length) return;
    const f = map.queryRenderedFeatures(e.point, { layers: layers.filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none') })[0];
    if (!f) return;
    tip.remove();
    if (f.layer.id === 'kommuner-fyllning') {
      if (f.properties.share_1000 != null) openMunicipality(f.properties.code);
      return;
    }
    const content = f.layer.id === 'rutor-fyllning' ? squareContent(t, f.properties, view.classMbps) : addressContent(t, f.properties);
    popup.setLngLat(e.lngLat).setDOMContent(content).addTo(map);
  });

  return {
    /**
     * showSquare opens the popup of the public square drawn at lngLat, if any;
     * it reports which: 'square' (its own 250 m square), 'pooled' (the rest of
     * its 1 km square, its own having fewer than 5 households) or '' (none).
     */
    showSquare(lngLat) {
      const f = map.queryRenderedFeatures(map.project(lngLat), { layers: ['rutor-fyllning'] })[0];
      if (!f) return '';
      popup.setLngLat(lngLat).setDOMContent(squareContent(t, f.properties, view.classMbps)).addTo(map);
      return Number(f.properties.size) === 1000 ? 'pooled' : 'square';
    },
  };
}
