// The legend: the colour scale of the class the map shows, and notes for the
// overlays that are on.
import { threshold } from './format.js';
import { breaks, colours, noData } from './scale.js';

/** renderLegend fills #teckenforklaring for the class (1000 or 100). */
export function renderLegend(t, classMbps) {
  document.getElementById('teckenforklaring-rubrik').textContent = t('legendTitle', {
    klass: t(`class${classMbps}`),
  });
  const list = document.getElementById('skala');
  list.replaceChildren();
  const item = (colour, text) => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'ruta';
    swatch.style.background = colour;
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, text);
    list.append(li);
  };
  // highest first, as a reader looks for the target
  for (let i = colours.length - 1; i >= 0; i--) {
    let text;
    if (i === 0) text = t('below', { till: threshold(breaks[0]) });
    else if (i === colours.length - 1) text = t('atLeast', { fran: threshold(breaks[i - 1]) });
    else text = t('between', { fran: threshold(breaks[i - 1]).replace(/\s*%$/, ''), till: threshold(breaks[i]) });
    item(colours[i], text);
  }
  item(noData, t('noData'));
}
