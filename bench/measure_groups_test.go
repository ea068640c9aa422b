package bench

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/jackc/pgx/v5/pgxpool"
)

// groupsFloor is the figures by operator as one query that keeps the
// groups of at least 5 (HAVING), without the rule against subtraction:
// what connection figures were before measure.publishGroups.
const groupsFloor = `SELECT CASE WHEN GROUPING(municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       coalesce(municipality_code, county_code), operator, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps), percentile_cont(0.1) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY up_mbps), percentile_cont(0.1) WITHIN GROUP (ORDER BY up_mbps),
       count(latency_ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.1) WITHIN GROUP (ORDER BY latency_ms),
       count(*) FILTER (WHERE down_mbps >= 100), count(*) FILTER (WHERE down_mbps >= 1000)
FROM measurements WHERE operator IS NOT NULL
GROUP BY GROUPING SETS ((county_code, operator), (municipality_code, operator))
HAVING count(*) >= 5`

// BenchmarkMeasureByOperator: the figures by operator (measure.ByOperator:
// every group, then publishGroups in Go) against the floor query above, on
// 1 000 000 measurements in all 290 municipalities (a third naming no
// operator), three runs each, alternating. It reports ours over the floor.
//
//	go test ./bench -run '^$' -bench MeasureByOperator -benchtime 1x -v
func BenchmarkMeasureByOperator(b *testing.B) {
	pool := measureBenchDB(b, "gk_bench_operators")
	ctx := context.Background()
	st := measure.NewStore(pool)
	munis := allMunicipalities(b, pool)
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Now().Add(-24 * time.Hour)
	for range 10 {
		ms := make([]measure.Measurement, 100_000)
		for i := range ms {
			op := ""
			if rng.IntN(3) > 0 {
				op = measure.Operators[rng.IntN(len(measure.Operators))].Key
			}
			ms[i] = measure.Measurement{MeasuredAt: at, Square: geo.Square{E: 500000, N: 6300000, Size: 250},
				Municipality: munis[rng.IntN(len(munis))], DownMbps: 1 + rng.Float64()*1000, UpMbps: 1 + rng.Float64()*100,
				Connection: "fiber", Operator: op, Source: "bench"}
		}
		if _, err := st.Load(ctx, ms); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, "ANALYZE measurements"); err != nil {
		b.Fatal(err)
	}
	all, _ := measure.ParsePeriod("all")
	var ours, floor []time.Duration
	var shown int
	for range 3 {
		start := time.Now()
		got, err := st.ByOperator(ctx, all, measure.Area{})
		if err != nil {
			b.Fatal(err)
		}
		ours, shown = append(ours, time.Since(start)), len(got)
		start = time.Now()
		rows, err := pool.Query(ctx, groupsFloor)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if rows.Err() != nil {
			b.Fatal(rows.Err())
		}
		floor = append(floor, time.Since(start))
	}
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	b.Logf("ByOperator %v (%d groups shown), floor %v (median of 3)", med(ours), shown, med(floor))
	b.ReportMetric(float64(med(ours))/float64(med(floor)), "x-floor")
}

// allMunicipalities is Sweden's 290 municipalities, as measure knows them,
// from the benchmark database's reference data.
func allMunicipalities(b *testing.B, pool *pgxpool.Pool) []measure.Municipality {
	b.Helper()
	var munis []measure.Municipality
	rows, err := pool.Query(context.Background(), "SELECT code FROM municipalities ORDER BY code")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			b.Fatal(err)
		}
		m, _ := measure.MunicipalityByCode(code)
		munis = append(munis, m)
	}
	if rows.Err() != nil || len(munis) != 290 {
		b.Fatalf("%d municipalities (%v)", len(munis), rows.Err())
	}
	return munis
}
