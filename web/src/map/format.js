// Numbers and dates the Swedish way: 83,5 %, 31 250, 1 oktober 2024.
// Shares are shown to one decimal of a percent (spec/targets.md, "Rounding").

const percentFormat = new Intl.NumberFormat('sv-SE', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const thresholdFormat = new Intl.NumberFormat('sv-SE', {
  style: 'percent',
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
const integerFormat = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const pointsFormat = new Intl.NumberFormat('sv-SE', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});
const dateFormat = new Intl.DateTimeFormat('sv-SE', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** percent formats a share (0–1) as "83,5 %"; null is "–". */
export function percent(share) {
  return share == null ? '–' : percentFormat.format(share);
}

/** threshold formats a target's threshold without needless decimals: "98 %", "99,9 %". */
export function threshold(share) {
  return thresholdFormat.format(share);
}

/** integer formats a count with spaces between thousands: "31 250". */
export function integer(n) {
  return n == null ? '–' : integerFormat.format(n);
}

/** points formats a change of a share as signed percentage points: "+3,2". */
export function points(change) {
  return change == null ? '–' : pointsFormat.format(change * 100);
}

/** longDate formats "2024-10-01" as "1 oktober 2024". */
export function longDate(iso) {
  return dateFormat.format(new Date(`${iso}T00:00:00Z`));
}

/** yearOf returns the year of "2024-10-01". */
export function yearOf(iso) {
  return Number(iso.slice(0, 4));
}

/** decimalYear places "2024-10-01" on a year axis: 2024.75. */
export function decimalYear(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const end = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  return d.getUTCFullYear() + (d.getTime() - start) / (end - start);
}
