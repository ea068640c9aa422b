// The legend: the colour scale of the class the map shows, and notes for the
// overlays that are on. On a phone it starts folded (a <details>), so that
// the map is seen first; its heading opens it.
import { legendItems } from './export.js';

/** renderLegend fills #teckenforklaring for the class (1000 or 100). */
export function renderLegend(t, classMbps) {
  document.getElementById('teckenforklaring-rubrik').textContent = t('legendTitle', {
    klass: t(`class${classMbps}`),
  });
  const list = document.getElementById('skala');
  list.replaceChildren();
  for (const { colour, text } of legendItems(t)) {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'ruta';
    swatch.style.background = colour;
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, text);
    list.append(li);
  }
}

/** renderChangeLegend fills #teckenforklaring for the comparison of two years. */
export function renderChangeLegend(t, fran, till, classMbps, colours) {
  document.getElementById('teckenforklaring-rubrik').textContent = t('compareLegend', {
    fran,
    till,
    klass: t(`class${classMbps}`),
  });
  const list = document.getElementById('skala');
  list.replaceChildren();
  const steps = t.list('compareSteps');
  for (let i = colours.length - 1; i >= 0; i--) {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'ruta';
    swatch.style.background = colours[i];
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, steps[i]);
    list.append(li);
  }
}

/** foldOnPhone folds the legend when the screen is narrow. */
export function foldOnPhone() {
  if (window.matchMedia('(max-width: 40rem)').matches) document.getElementById('teckenforklaring').open = false;
}
