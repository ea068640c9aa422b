package seeds

import "math"

// Hash tags: each use of the seed gets its own stream.
const (
	tagPoint uint64 = iota + 1
	tagVillages
	tagCell
	tagVillage
	tagKmSquare
	tagAngle
	tagStreet
	tagHamlet
	tagYear
	tagMunicipality
)

// hash mixes its arguments with SplitMix64's finaliser: a pure function of
// its inputs, so every attribute derived from it is the same on every run.
func hash(vals ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, v := range vals {
		h = splitmix(h ^ splitmix(v))
	}
	return h
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// normal maps a hash to a standard normal variate.
func normal(h uint64) float64 {
	u := (float64(h>>11) + 0.5) / (1 << 53)
	return math.Sqrt2 * math.Erfinv(2*u-1)
}

// A point's latent is ρ·(its cell's latent) + √(1−ρ²)·(its own): a standard
// normal whose lowest values get broadband first. Cells are 250 m squares in
// towns and villages in the country, so neighbours get fibre together, as
// networks are built area by area.
const (
	rho     = 0.7
	rhoRest = 0.714142842854285 // √(1 − ρ²)
)
