// The squares overlay: the snapshot's public 250 m squares (tiles layer
// "squares"), coloured like the municipalities, from zoom 10.
import { tileURL } from './api.js';
import { fillColour } from './scale.js';

const minzoom = 10;

export default {
  id: 'rutor',
  text: 'overlaySquares',
  visible: true,
  layers: ['rutor-fyllning', 'rutor-kant'],
  legend: 'teckenforklaring-rutor',
  minzoom,

  add(map, view) {
    map.addSource('rutor', {
      type: 'vector',
      tiles: [tileURL('squares', view.asOf)],
      minzoom,
      maxzoom: 14,
    });
    map.addLayer(
      {
        id: 'rutor-fyllning',
        type: 'fill',
        source: 'rutor',
        'source-layer': 'squares',
        minzoom,
        paint: { 'fill-color': fillColour(view.classMbps), 'fill-opacity': 0.9 },
      },
      view.beforeId,
    );
    map.addLayer(
      {
        id: 'rutor-kant',
        type: 'line',
        source: 'rutor',
        'source-layer': 'squares',
        minzoom: 12,
        paint: { 'line-color': '#ffffff', 'line-width': 0.5, 'line-opacity': 0.7 },
      },
      view.beforeId,
    );
  },

  update(map, view) {
    map.getSource('rutor').setTiles([tileURL('squares', view.asOf)]);
    map.setPaintProperty('rutor-fyllning', 'fill-color', fillColour(view.classMbps));
  },
};
