package bench

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
)

// areasFloor is the report's figures as one query that keeps the areas of
// at least 5 (HAVING), without the rule against subtraction: what
// measure.Report was before measure.decideAreas.
const areasFloor = `SELECT CASE WHEN GROUPING(square_e) = 0 THEN 'square' WHEN GROUPING(municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       square_e, square_n, municipality_code, county_code, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps), percentile_cont(0.1) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY up_mbps), percentile_cont(0.1) WITHIN GROUP (ORDER BY up_mbps),
       count(latency_ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.1) WITHIN GROUP (ORDER BY latency_ms),
       count(*) FILTER (WHERE down_mbps >= 100), count(*) FILTER (WHERE down_mbps >= 1000)
FROM measurements
GROUP BY GROUPING SETS ((county_code), (municipality_code), (square_e, square_n))
HAVING count(*) >= 5`

// kalmarFloor is the old report within Kalmar (a municipality's summary
// ran it after its own figures): the floor of Summary(Kalmar).
const kalmarFloor = `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps), percentile_cont(0.1) WITHIN GROUP (ORDER BY down_mbps)
FROM measurements WHERE municipality_code = '0880'
GROUP BY GROUPING SETS ((county_code), (municipality_code), (square_e, square_n)) HAVING count(*) >= 5`

// areaCounts is measure's area_counts.sql: what the decision reads.
const areaCounts = `SELECT square_e, square_n, municipality_code, count(*) FROM measurements GROUP BY square_e, square_n, municipality_code`

// BenchmarkMeasureAreas: the country's report (measure.Report: the
// counts, decideAreas in Go, the figures, in one transaction) against the
// floor query above; the counts query alone; a municipality's summary (the
// map panel's question); and a tile's first (the decision made) and
// second (memoised) call, on 1 000 000 measurements in all 290
// municipalities, spread over 200 000 squares of 250 m (each municipality
// its own, a tenth shared with a neighbour). Three runs each, alternating,
// medians. It reports the report over the floor.
//
//	go test ./bench -run '^$' -bench MeasureAreas -benchtime 1x -v
func BenchmarkMeasureAreas(b *testing.B) {
	pool := measureBenchDB(b, "gk_bench_areas")
	ctx := context.Background()
	st := measure.NewStore(pool)
	munis := allMunicipalities(b, pool)
	rng := rand.New(rand.NewPCG(3, 4))
	at := time.Now().Add(-24 * time.Hour).Truncate(time.Hour)
	const squaresPer = 690 // ≈ 200 000 squares in all
	for range 10 {
		ms := make([]measure.Measurement, 100_000)
		for i := range ms {
			// Each municipality a row of squares; skewed: a few squares hold
			// many measurements; a tenth by residents of the next one.
			owner := rng.IntN(len(munis))
			k := int64(rng.IntN(squaresPer) * rng.IntN(squaresPer) / squaresPer)
			mi := owner
			if rng.IntN(10) == 0 {
				mi = (owner + 1) % len(munis)
			}
			sq := geo.Square{E: 300000 + 250*k, N: 6150000 + 250*int64(owner), Size: 250}
			ms[i] = measure.Measurement{MeasuredAt: at, Square: sq, Municipality: munis[mi],
				DownMbps: 1 + rng.Float64()*1000, UpMbps: 1 + rng.Float64()*100, Connection: "fiber", Source: "bench"}
		}
		if _, err := st.Load(ctx, ms); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, "ANALYZE measurements"); err != nil {
		b.Fatal(err)
	}
	all, _ := measure.ParsePeriod("all")
	drain := func(q string) time.Duration {
		start := time.Now()
		rows, err := pool.Query(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		if rows.Err() != nil {
			b.Fatal(rows.Err())
		}
		return time.Since(start)
	}
	kalmar, _ := measure.ParseArea("municipality:0880")
	tile := geo.TilesCovering(geo.ToWGS84(geo.SWEREF{E: 300000 + 125, N: 6150000 + 125}).Bound(), 12)[0]
	var report, floor, counts, summary, summaryFloor, tileFirst, tileMemo []time.Duration
	var squares int
	for range 3 {
		start := time.Now()
		rep, err := st.Report(ctx, all, measure.Area{})
		if err != nil {
			b.Fatal(err)
		}
		report, squares = append(report, time.Since(start)), len(rep.Squares)
		floor = append(floor, drain(areasFloor))
		counts = append(counts, drain(areaCounts))
		start = time.Now()
		if _, err := st.Summary(ctx, kalmar, all); err != nil {
			b.Fatal(err)
		}
		summary = append(summary, time.Since(start))
		summaryFloor = append(summaryFloor, drain(kalmarFloor))
		fresh := measure.NewStore(pool)
		start = time.Now()
		if _, err := fresh.Tile(ctx, 0, tile); err != nil {
			b.Fatal(err)
		}
		tileFirst = append(tileFirst, time.Since(start))
		start = time.Now()
		if _, err := fresh.Tile(ctx, 0, tile); err != nil {
			b.Fatal(err)
		}
		tileMemo = append(tileMemo, time.Since(start))
	}
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	b.Logf("Report %v (%d squares shown), floor %v, counts alone %v; Summary(Kalmar) %v (its floor %v); tile first %v, memoised %v (medians of 3)",
		med(report), squares, med(floor), med(counts), med(summary), med(summaryFloor), med(tileFirst), med(tileMemo))
	b.ReportMetric(float64(med(report))/float64(med(floor)), "x-floor")
}
