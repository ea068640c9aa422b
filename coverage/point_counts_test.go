package coverage_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// The counts the import makes (point_counts, what numberMatched and the gap
// report's summary read) hold the same rule as the points listed and counted
// one by one (gaps_points.sql, gaps_count.sql), and both agree with a count
// made here from the file: a point lacks a class when no connected or
// passed fixed offer reaches it.
func TestPointCountsAgreeWithThePoints(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := coverage.NewStore(pool)
	ctx := context.Background()
	const file = "testdata/gaps.csv"
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	importAs(t, pool, string(raw), asOf2024)
	snap, err := st.SnapshotAt(ctx, asOf2024)
	if err != nil {
		t.Fatal(err)
	}
	indep := indepFigures(t, file)
	sweden := &[4]float64{10, 55, 25, 70} // the bounding box makes the count read the points
	for _, munis := range [][]string{nil, {"0880"}, {"0881"}, {"0880", "0881"}, {}} {
		for _, class := range []coverage.Class{0, 10, 30, 100, 1000} {
			var want int64
			for _, code := range []string{"0880", "0881"} {
				if munis != nil && !slices.Contains(munis, code) || indep[code] == nil {
					continue
				}
				for _, p := range indep[code]["all"].points {
					if class == 0 || !p.has(int64(class), -1) {
						want++
					}
				}
			}
			f := coverage.GapFilter{Snapshots: []int64{snap.ID}, Municipalities: munis, Class: class}
			counted, err := st.CountGapPoints(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			bf := f
			bf.BBox = sweden
			byPoints, err := st.CountGapPoints(ctx, bf)
			if err != nil {
				t.Fatal(err)
			}
			listed, err := st.EachGapPoint(ctx, f, func(*coverage.GapPoint) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if counted != want || byPoints != want || listed != want {
				t.Errorf("municipalities %v, class %d: import's count %d, counted over the points %d, listed %d; want %d",
					munis, class, counted, byPoints, listed, want)
			}
		}
	}
}

// A page of several snapshots is the slice of the whole list it names,
// where it begins in one snapshot and ends in the next too.
func TestPagesAcrossSnapshots(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := coverage.NewStore(pool)
	ctx := context.Background()
	raw, err := os.ReadFile("testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	importAs(t, pool, string(raw), asOf2024)
	importAs(t, pool, string(raw), time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC))
	snaps, err := st.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{snaps[0].ID, snaps[1].ID}
	ref := func(p *coverage.GapPoint) string { return p.AsOf.Format(time.DateOnly) + "." + p.AddressID }
	var all []string
	if _, err := st.EachGapPoint(ctx, coverage.GapFilter{Snapshots: ids}, func(p *coverage.GapPoint) error {
		all = append(all, ref(p))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) < 8 || all[0][:10] != "2024-10-01" || all[len(all)-1][:10] != "2023-10-01" {
		t.Fatalf("the whole list, latest snapshot first: %v", all)
	}
	for offset := 0; offset <= len(all); offset++ {
		var page []string
		n, err := st.EachGapPoint(ctx, coverage.GapFilter{Snapshots: ids, Limit: 3, Offset: offset}, func(p *coverage.GapPoint) error {
			page = append(page, ref(p))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := all[offset:min(offset+3, len(all))]
		if fmt.Sprint(page) != fmt.Sprint(want) || n != int64(len(want)) {
			t.Errorf("offset %d: %v (%d), want %v", offset, page, n, want)
		}
	}
}
