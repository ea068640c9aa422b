// Package measure holds residents' speed measurements (spec/measurements.md):
// the submission and its validation, placing it in its 250 m square and
// municipality without keeping the position or the address, the store with
// Idempotency-Key records, the address suggestions, and the published
// figures with the comparison of experienced and offered speed
// (spec/targets.md, "Experienced versus offered"). Package measure/ndt7
// serves the speed test itself.
//
// Privacy by design: a position is converted and snapped in Go before any
// SQL, so PostgreSQL's statement logs could never record it; the client's
// address becomes a keyed hash (Keys) whose daily key lives only in memory;
// a measurement's time is kept to the hour; figures are published only
// where at least MinPublished measurements stand behind them.
package measure
