// The address points overlay: the snapshot's address points at street level
// (tiles layer "addresses", server/gaps.go), for signed-in users only and
// only of their own municipalities (a coordinator's: all). A point is
// coloured by its best fixed speed today: a gigabit, at least 100 Mbit/s,
// less. The public page leaves the overlay out; the server refuses the tiles
// to the public anyway.
import { tileURL } from './api.js';

const minzoom = 13;

// The scale's ends and middle (viridis), so the points read like the areas.
const colour = ['step', ['get', 'mbps'], '#440154', 100, '#21918c', 1000, '#fde725'];

/** allowed reports whether the page says the reader may see address points. */
function allowed() {
  try {
    return JSON.parse(document.getElementById('karta-data').textContent).addresses === true;
  } catch {
    return false;
  }
}

const overlay = {
  id: 'adresser',
  text: 'overlayAddresses',
  visible: false,
  layers: ['adresser-punkter'],
  legend: 'teckenforklaring-adresser',
  minzoom,

  add(map, view) {
    map.addSource('adresser', {
      type: 'vector',
      tiles: [tileURL('addresses', view.asOf)],
      minzoom,
      maxzoom: 16,
    });
    map.addLayer(
      {
        id: 'adresser-punkter',
        type: 'circle',
        source: 'adresser',
        'source-layer': 'addresses',
        minzoom,
        paint: {
          'circle-color': colour,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 2.5, 16, 6],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.8,
        },
      },
      view.beforeId,
    );
  },

  update(map, view) {
    const src = map.getSource('adresser');
    if (src) src.setTiles([tileURL('addresses', view.asOf)]);
  },
};

/** addresses is the overlay, or null when the reader is not signed in. */
export const addresses = allowed() ? overlay : null;
