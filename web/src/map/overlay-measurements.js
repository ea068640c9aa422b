// The measurements overlay: residents' measurements (tiles layer
// "measurements", server/measurements.go), every 250 m square with at least
// 5 measurements coloured by its median download, and a thick dark edge on
// the squares offered ≥ 1 Gbit/s whose median is below 100 Mbit/s
// (spec/targets.md, "Experienced versus offered"). Below zoom 8 the tiles
// hold squares of 2 to 20 km instead, each with the measurements of its
// 250 m squares pooled, coloured by their median the same way (never
// flagged). All time, whatever snapshot the map shows; the offer compared
// is the latest snapshot's.

const minzoom = 0;

// Median download, Mbit/s: red below 30, blue from 500 (ColorBrewer RdBu,
// which readers with red-green colour blindness still tell apart).
const breaks = [30, 100, 250, 500];
const colours = ['#b2182b', '#ef8a62', '#fddbc7', '#67a9cf', '#2166ac'];

const fill = ['step', ['get', 'median_down'], colours[0], ...breaks.flatMap((b, i) => [b, colours[i + 1]])];

export default {
  id: 'matningar',
  text: 'overlayMeasurements',
  visible: false,
  layers: ['matningar-fyllning', 'matningar-flagga'],
  legend: 'teckenforklaring-matningar',
  minzoom,

  add(map, view) {
    map.addSource('matningar', {
      type: 'vector',
      tiles: [`${location.origin}/tiles/measurements/{z}/{x}/{y}.mvt`],
      minzoom,
      maxzoom: 14,
    });
    map.addLayer(
      {
        id: 'matningar-fyllning',
        type: 'fill',
        source: 'matningar',
        'source-layer': 'measurements',
        minzoom,
        paint: { 'fill-color': fill, 'fill-opacity': 0.85 },
      },
      view.beforeId,
    );
    map.addLayer(
      {
        id: 'matningar-flagga',
        type: 'line',
        source: 'matningar',
        'source-layer': 'measurements',
        minzoom,
        filter: ['==', ['get', 'flagged'], true],
        paint: { 'line-color': '#111111', 'line-width': 3 },
      },
      view.beforeId,
    );
  },

  update() {}, // the same measurements for every snapshot and class
};
