// The colour scale of shares, on the map, in its legend and in the panel.
// Viridis steps: ordered from dark to light, they stay apart for readers with
// any form of colour blindness and in greyscale. The breaks follow the
// targets at the top (98 % is the gigabit target of 2025, 95 % and 90 % the
// steps before it) and are 20 points wide below 80 %, so that the early
// years, when most municipalities were far from any target, still differ.

/** breaks between the classes, as shares. */
export const breaks = [0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];

/** colours of the classes, lowest first (viridis, nine steps). */
export const colours = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

/** noData is the fill of a municipality the snapshot does not cover. */
export const noData = '#f4f2ee';

/**
 * property is the tiles' property the map is coloured by: the share of
 * households and workplaces together with access to the class, share_1000 or
 * share_100: the share the targets count, which the panel and /mal show.
 */
export function property(classMbps) {
  return `share_${classMbps}`;
}

/** fillColour is the MapLibre expression that colours a feature by its share. */
export function fillColour(classMbps) {
  const share = ['get', property(classMbps)];
  const steps = ['step', share, colours[0]];
  breaks.forEach((b, i) => steps.push(b, colours[i + 1]));
  return ['case', ['has', property(classMbps)], steps, noData];
}

/** colourOf returns the colour of a share (null: noData). */
export function colourOf(share) {
  if (share == null) return noData;
  let i = 0;
  while (i < breaks.length && share >= breaks[i]) i++;
  return colours[i];
}
