// The colour scale of shares, on the map, in its legend and in the panel.
// Viridis steps: ordered from dark to light, they stay apart for readers with
// any form of colour blindness and in greyscale. The breaks follow the
// targets: 98 % (gigabit by 2025) is the top class.

/** breaks between the classes, as shares. */
export const breaks = [0.8, 0.9, 0.95, 0.98];

/** colours of the classes, lowest first. */
export const colours = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** noData is the fill of a municipality the snapshot does not cover. */
export const noData = '#f4f2ee';

/**
 * property is the tiles' property the map is coloured by: the share of
 * households with access to the class (spec/product.md), households_share_1000
 * or households_share_100. The panel shows the targets' combined share.
 */
export function property(classMbps) {
  return `households_share_${classMbps}`;
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
