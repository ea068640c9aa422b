// The mobile overlays: the operators' mobile coverage per square (tiles
// layer "mobile", server/mobile.go), from the mobile snapshot in force on the
// map's date. Two ways to colour the same squares, each an overlay of its
// own with its legend: the best class outdoors over every operator (red
// below 10 Mbit/s, then orange, light and dark blue: ColorBrewer RdYlBu, told
// apart with red-green colour blindness), or the number of operators that
// give at least 10 Mbit/s outdoors (purples: one only is a weak spot). Below
// zoom 10 the server draws cells of 1 km and more with what most of their
// squares reach. Public: the squares carry no address data.

const minzoom = 6;

/** classColours colours the best class outdoors: 0 (below 10), 10, 30, 100. */
export const classColours = { 0: '#d73027', 10: '#fdae61', 30: '#abd9e9', 100: '#2c7bb6' };

/** operatorColours colours the operators per square: 0, 1, 2, 3, 4 or more. */
export const operatorColours = ['#d73027', '#dadaeb', '#9e9ac8', '#6a51a3', '#3f007d'];

function mobileURL(asOf) {
  const on = asOf ? `?on=${encodeURIComponent(asOf)}` : '';
  return `${location.origin}/tiles/mobile/{z}/{x}/{y}.mvt${on}`;
}

// paintLegend colours the legend's swatches ([data-klass], [data-operatorer])
// with the map's own colours, so that the two cannot drift apart.
function paintLegend() {
  for (const el of document.querySelectorAll('[data-klass]')) el.style.background = classColours[el.dataset.klass];
  for (const el of document.querySelectorAll('[data-operatorer]')) {
    el.style.background = operatorColours[Number(el.dataset.operatorer)];
  }
}

// addSource adds the squares once, for whichever overlay comes first.
function addSource(map, view) {
  if (map.getSource('mobil')) return;
  map.addSource('mobil', { type: 'vector', tiles: [mobileURL(view.asOf)], minzoom, maxzoom: 14 });
}

function updateSource(map, view) {
  const src = map.getSource('mobil');
  if (src) src.setTiles([mobileURL(view.asOf)]);
}

const byClass = [
  'match',
  ['get', 'outdoor_mbps'],
  100,
  classColours[100],
  30,
  classColours[30],
  10,
  classColours[10],
  classColours[0],
];

const byOperators = [
  'step',
  ['get', 'operators'],
  operatorColours[0],
  1,
  operatorColours[1],
  2,
  operatorColours[2],
  3,
  operatorColours[3],
  4,
  operatorColours[4],
];

function overlay(id, text, legend, colour) {
  return {
    id,
    text,
    visible: false,
    layers: [id],
    legend,
    minzoom,

    add(map, view) {
      addSource(map, view);
      paintLegend();
      map.addLayer(
        {
          id,
          type: 'fill',
          source: 'mobil',
          'source-layer': 'mobile',
          minzoom,
          paint: { 'fill-color': colour, 'fill-opacity': 0.8 },
        },
        view.beforeId,
      );
    },

    update(map, view) {
      updateSource(map, view);
    },
  };
}

/** mobileClass colours the squares by their best class outdoors. */
export const mobileClass = overlay('mobil', 'overlayMobile', 'teckenforklaring-mobil', byClass);

/** mobileOperators colours the squares by their operators with at least 10 Mbit/s. */
export const mobileOperators = overlay(
  'mobil-operatorer',
  'overlayMobileOperators',
  'teckenforklaring-mobil-operatorer',
  byOperators,
);
