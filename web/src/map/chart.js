// The chart of a municipality's share over the years (Chart.js): measured
// shares, the county's for comparison, the straight-line projection to the
// end of the target's year (dashed: a projection, not a forecast) and the
// target's threshold (dotted).
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { decimalYear, percent, threshold } from './format.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

const measuredColour = '#0b3a53';
const projectionColour = '#b4004e';
const targetColour = '#1b1f23';
const countyColour = '#8a949e';

/** series returns the points (x: decimal year, y: percent) of a target in a history. */
function series(history, targetId) {
  const out = [];
  for (const h of history) {
    const tr = h.targets.find((x) => x.id === targetId);
    if (tr && tr.share != null) out.push({ x: decimalYear(h.as_of), y: tr.share * 100, asOf: h.as_of });
  }
  return out;
}

/**
 * projectionLine returns the projection's straight line from the first
 * snapshot it goes through to the end of the target's year, as two points.
 * The line is the least-squares line of the API (slope per_year) through the
 * mean of those snapshots' shares; it is cut where it leaves 0–100 %.
 */
function projectionLine(measured, projection) {
  if (!projection) return [];
  const pts = measured.filter((p) => projection.from.includes(p.asOf));
  if (pts.length < 2) return [];
  const xbar = pts.reduce((s, p) => s + p.x, 0) / pts.length;
  const ybar = pts.reduce((s, p) => s + p.y, 0) / pts.length;
  const slope = projection.per_year * 100;
  const at = (x) => ybar + slope * (x - xbar);
  const x0 = pts[0].x;
  let x1 = decimalYear(projection.at);
  if (at(x1) > 100 && slope > 0) x1 = xbar + (100 - ybar) / slope;
  if (at(x1) < 0 && slope < 0) x1 = xbar - ybar / slope;
  return [
    { x: x0, y: at(x0) },
    { x: x1, y: Math.min(100, Math.max(0, at(x1))) },
  ];
}

/**
 * drawChart draws the chart on canvas and returns the Chart (destroy it
 * before drawing another). labels holds the legend's Swedish names.
 */
export function drawChart(canvas, { municipality, county, target, labels }) {
  const measured = series(municipality.history, target.id);
  const countySeries = county ? series(county.history, target.id) : [];
  const result = municipality.targets.find((x) => x.id === target.id);
  const projection = projectionLine(measured, result && result.projection);
  const due = target.year + 1; // the end of the target's year
  const first = measured.length ? measured[0].x : due - 1;
  const all = [...measured, ...countySeries, ...projection].map((p) => p.y).concat(target.threshold * 100);
  const low = Math.max(0, Math.floor((Math.min(...all) - 5) / 10) * 10);

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: labels.measured,
          data: measured,
          borderColor: measuredColour,
          backgroundColor: measuredColour,
          borderWidth: 2.5,
          pointRadius: 3,
        },
        {
          label: labels.projection,
          data: projection,
          borderColor: projectionColour,
          backgroundColor: projectionColour,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: [0, 3],
        },
        {
          label: labels.target,
          data: [
            { x: first, y: target.threshold * 100 },
            { x: due, y: target.threshold * 100 },
          ],
          borderColor: targetColour,
          backgroundColor: targetColour,
          borderDash: [2, 3],
          borderWidth: 1.5,
          pointRadius: 0,
        },
        {
          label: labels.county,
          data: countySeries,
          borderColor: countyColour,
          backgroundColor: countyColour,
          borderWidth: 1.5,
          pointRadius: 0,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: Math.floor(first),
          max: due,
          ticks: { stepSize: 1, precision: 0, callback: (v) => (Number.isInteger(v) ? String(v) : '') },
        },
        y: {
          type: 'linear',
          min: low,
          max: 100,
          ticks: { callback: (v) => threshold(v / 100) },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 18, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0].raw.asOf ? items[0].raw.asOf : String(Math.floor(items[0].raw.x))),
            label: (item) => `${item.dataset.label}: ${percent(item.raw.y / 100)}`,
          },
        },
      },
    },
  });
}
