// The flagged squares of mobile coverage (GET /api/v1/mobile/flags): 250 m
// squares where the operators claim at least 30 Mbit/s outdoors but at least
// 5 residents' mobile measurements have a median below 10 Mbit/s
// (spec/mobile.md, "Offered against experienced"), against the mobile
// snapshot in force on the map's date: magenta (no colour of the other
// layers' scales) with a thick black outline,
// which keeps even a square of a pixel or two in sight when zoomed out.

const source = 'mobil-flaggor';

function flagsURL(asOf) {
  return `/api/v1/mobile/flags${asOf ? `?on=${encodeURIComponent(asOf)}` : ''}`;
}

export default {
  id: source,
  text: 'overlayMobileFlags',
  visible: false,
  layers: ['mobil-flaggor-yta', 'mobil-flaggor-kant'],
  legend: 'teckenforklaring-mobil-flaggor',

  add(map, view) {
    map.addSource(source, { type: 'geojson', data: flagsURL(view.asOf) });
    map.addLayer(
      { id: 'mobil-flaggor-yta', type: 'fill', source, paint: { 'fill-color': '#e7298a', 'fill-opacity': 0.9 } },
      view.beforeId,
    );
    map.addLayer(
      {
        id: 'mobil-flaggor-kant',
        type: 'line',
        source,
        paint: { 'line-color': '#000000', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 4, 12, 3] },
      },
      view.beforeId,
    );
  },

  update(map, view) {
    map.getSource(source).setData(flagsURL(view.asOf));
  },
};
