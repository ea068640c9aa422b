// The map's overlays: layers drawn above the municipalities that the reader
// turns on and off in the layer control (Lager). Each lives in a module of
// its own and is one entry of the list below; the map adds them in order.
//
// An overlay is an object with
//   id          a short name: the checkbox's id and the prefix of its sources and layers
//   text        the key of its label in the template's texts (map.html, #karta-texter)
//   visible     whether it is on when the page opens
//   layers      the ids of its MapLibre layers, which the checkbox shows and hides
//   legend      optional: the id of an element of the template shown with it (a note in the legend)
//   add(map, view)     adds its sources and layers; view is {asOf, classMbps, beforeId}:
//                      the snapshot's date, the class the map colours by (1000 or 100),
//                      and the layer to draw below (the municipalities' outlines)
//   update(map, view)  the snapshot or the class changed
//
// A layer that needs sign-in (address points) checks for itself whether the
// page may show it and leaves itself out of the list otherwise.
import { addresses } from './overlay-addresses.js';
import measurements from './overlay-measurements.js';
import { mobileClass, mobileOperators } from './overlay-mobile.js';
import mobileFlags from './overlay-mobile-flags.js';
import projects from './overlay-projects.js';
import squares from './overlay-squares.js';

/** overlays lists the overlays in the layer control's order. */
export const overlays = [squares, projects, mobileClass, mobileOperators, mobileFlags, measurements, addresses].filter(Boolean);
