// Package bench holds gigakoll's benchmarks. Each measures gigakoll against a
// floor run in the same process on the same machine and data (the least any
// implementation must do), and reports the ratio: a speed is a ratio, never a
// timed assertion. Results, commands and machines are in README.md.
package bench
