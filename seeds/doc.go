// Package seeds generates gigakoll's demo data: yearly coverage snapshots of
// Kalmar län (county 08, its 12 municipalities) as of 1 October 2015–2024,
// in the import format of spec/coverage-format.md.
//
// The data is invented but shaped like the county: address points inside
// the real municipality boundaries and on land (a GSHHG land mask,
// data/SOURCES.md), around the 87 urban localities of SCB's 2020 list, sized
// by their population, with apartment buildings in the larger towns'
// centres, houses around them, villages, farms and holiday homes in the
// country and on Öland. About 115 000 households and 20 000 workplaces at
// Scale 1, split by municipality in proportion to population_2022, one
// household in ten and nearly one workplace in three rural, where rural is
// gigakoll's own 1 km rule (spec/targets.md): every town square holds at
// least 100 households, every country square fewer.
//
// Access follows the published history of shared data/kalmar-history.md
// (the county, Kalmar, Högsby, Torsås and Mörbylånga for 2015–2018, the
// rural share for 2017–2018, gigabit around 2020), with the figures and
// their sources in calibration.go. The years 2019–2024, and every
// municipality figure no source gives, are our extrapolation: plausible,
// not published. Each point has a latent: the lower it is, the earlier the
// point gets ≥ 100 Mbit/s and 1 Gbit/s. Thresholds per municipality, zone
// and year, set from the points' own latents, make the shares the table's
// (exactly at Scale 1, up to sampling above it), and points of one 250 m
// square or village share part of their latent, so networks arrive area by
// area. The rows then tell a consistent story: fibre passed, then mostly
// connected; cable in the towns (gigabit from 2019); copper shrinking from
// 2016, rural lines first; fixed wireless and satellite in the country; 4G
// and later 5G mobile rows (which, like satellite, never count toward the
// fixed targets); planned fibre one or two years ahead.
//
// Config.Scope ScopeSweden lays out all 290 municipalities instead, for
// benchmarks at national size (sweden.go): every one of SCB's 2 017
// localities takes the 1 km squares on land nearest its point (in whichever
// municipality they lie, as Stockholm's tätort spans its neighbours), rural
// households and workplaces are scattered around each municipality's
// localities in proportion to the sum of the square roots of their
// populations (which puts the twelve Kalmar län municipalities within 7 %
// of their published populations on average), on a land mask of all of
// Sweden. About 4.9 million households, 1 million workplaces, 3.4 million
// points and 6.5 million rows a year at Scale 1. Its shares of access are
// ours (swedenCurves), each municipality at a pace of its own.
//
// Everything is a pure function of (Config.Seed, Config.Scale, Config.Scope): the layout
// (a few hundred slots of points) is computed once by New, and every point is
// derived from (seed, municipality, index) when it is written, so a
// snapshot streams with flat memory at any Scale and address ids and
// positions stay put from year to year. Same seed and scale, same bytes:
// for a given Go release and architecture (the points come from
// math/rand/v2's PCG and floating point; amd64 does not fuse it).
//
// To stream a year into an importer without a temporary file:
//
//	g, err := seeds.New(seeds.Config{Seed: 1, Scale: 1})
//	…
//	pr, pw := io.Pipe()
//	go func() {
//		_, err := g.Write(pw, 2024)
//		pw.CloseWithError(err)
//	}()
//	err = importer.Import(ctx, pr, seeds.AsOf(2024))
package seeds
