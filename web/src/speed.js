// Speeds and latencies the Swedish way, as people say them: "1 Gbit/s",
// "250 Mbit/s", "94,5 Mbit/s"; "12 ms", "3,4 ms", "under 1 ms". A latency
// that is not above 0 was not measured, and says so.

const whole = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** mbit formats a speed in Mbit/s. */
export function mbit(v) {
  if (v >= 1000 && Math.abs(v / 1000 - Math.round(v / 1000)) < 1e-9) return `${whole.format(Math.round(v / 1000))} Gbit/s`;
  if (v >= 100) return `${whole.format(v)} Mbit/s`;
  return `${oneDecimal.format(v)} Mbit/s`;
}

/** ms formats a latency in milliseconds; null when there is none to show. */
export function ms(v) {
  if (v == null || !(v > 0)) return null;
  if (v < 1) return 'under 1 ms';
  return `${(v < 10 ? oneDecimal : whole).format(v)} ms`;
}
