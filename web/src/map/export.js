// The map as a picture (PNG), for a report or a slide: the map as drawn, the
// municipalities' names, a title with the class and the year, the legend and
// a source line, drawn on a canvas of its own in the browser. MapLibre keeps
// its drawing buffer for this (canvasContextAttributes.preserveDrawingBuffer).
import { threshold } from './format.js';
import { breaks, colours, noData } from './scale.js';

const font = (size, weight = 'normal') => `${weight} ${size}px ${getComputedStyle(document.body).fontFamily}`;

/**
 * mapPicture draws the picture and returns it as a PNG blob.
 *
 * @param {import('maplibre-gl').Map} map
 * @param {{title: string, source: string, labels: {text: string, x: number, y: number}[],
 *          legend: {colour: string, text: string}[]}} parts
 */
export async function mapPicture(map, parts) {
  await new Promise((resolve) => {
    if (map.loaded() && map.areTilesLoaded()) resolve();
    else map.once('idle', resolve);
  });
  const src = map.getCanvas();
  const ratio = src.width / src.clientWidth; // device pixels per CSS pixel
  const pad = 16 * ratio;
  const titleH = 40 * ratio;
  const sourceH = 28 * ratio;
  const out = document.createElement('canvas');
  out.width = src.width + 2 * pad;
  out.height = titleH + src.height + sourceH + pad;
  const g = out.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, out.width, out.height);
  g.fillStyle = '#1b1f23';
  g.font = font(18 * ratio, '600');
  g.textBaseline = 'middle';
  g.fillText(parts.title, pad, titleH / 2 + 4 * ratio);
  g.drawImage(src, pad, titleH);

  // the names, with a white halo as on the map
  g.font = font(12 * ratio, '600');
  g.textAlign = 'center';
  g.lineWidth = 3 * ratio;
  g.strokeStyle = 'rgba(255,255,255,0.9)';
  for (const l of parts.labels) {
    const x = pad + l.x * ratio;
    const y = titleH + l.y * ratio;
    g.strokeText(l.text, x, y);
    g.fillText(l.text, x, y);
  }
  g.textAlign = 'left';

  // the legend, in the lower left corner of the map
  const row = 17 * ratio;
  const boxW = 150 * ratio;
  const boxH = (parts.legend.length + 0.6) * row;
  const bx = pad + 8 * ratio;
  const by = titleH + src.height - boxH - 8 * ratio;
  g.fillStyle = 'rgba(255,255,255,0.95)';
  g.fillRect(bx, by, boxW, boxH);
  g.strokeStyle = '#8a949e';
  g.lineWidth = 1;
  g.strokeRect(bx, by, boxW, boxH);
  g.font = font(11 * ratio);
  parts.legend.forEach((item, i) => {
    const y = by + (i + 0.8) * row;
    g.fillStyle = item.colour;
    g.fillRect(bx + 6 * ratio, y - 5 * ratio, 20 * ratio, 11 * ratio);
    g.strokeStyle = 'rgba(0,0,0,0.35)';
    g.strokeRect(bx + 6 * ratio, y - 5 * ratio, 20 * ratio, 11 * ratio);
    g.fillStyle = '#1b1f23';
    g.fillText(item.text, bx + 32 * ratio, y);
  });

  g.font = font(12 * ratio);
  g.fillStyle = '#4a5560';
  g.fillText(parts.source, pad, titleH + src.height + sourceH / 2 + 2 * ratio);
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('the picture could not be made'))), 'image/png'),
  );
}

/** legendItems lists the legend's colours and texts, highest first, as the page's legend shows them. */
export function legendItems(t) {
  const items = [];
  for (let i = colours.length - 1; i >= 0; i--) {
    let text;
    if (i === 0) text = t('below', { till: threshold(breaks[0]) });
    else if (i === colours.length - 1) text = t('atLeast', { fran: threshold(breaks[i - 1]) });
    else text = t('between', { fran: threshold(breaks[i - 1]).replace(/\s*%$/, ''), till: threshold(breaks[i]) });
    items.push({ colour: colours[i], text });
  }
  items.push({ colour: noData, text: t('noData') });
  return items;
}

/** download offers the blob as a file. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
