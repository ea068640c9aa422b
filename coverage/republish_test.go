package coverage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// A snapshot built by older rules (a lower figures_version) is rebuilt by
// Republish, as gigakoll migrate and serve run it after an upgrade: its
// figures come back as an import of today makes them, the counts of points
// lacking each class included, and a second run rebuilds nothing.
func TestRepublishRebuildsOlderSnapshots(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	raw, err := os.ReadFile("testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	importAs(t, pool, string(raw), asOf2024)
	digest := func() string {
		var s string
		if err := pool.QueryRow(ctx, `SELECT concat_ws(' / ',
			(SELECT md5(string_agg(concat_ws(',', kind, code, part, points, households, households_ge_1000), '|' ORDER BY kind, code, part)) FROM area_figures),
			(SELECT md5(string_agg(concat_ws(',', municipality_code, points, lacking_10, lacking_30, lacking_100, lacking_1000), '|' ORDER BY municipality_code)) FROM point_counts),
			(SELECT md5(string_agg(concat_ws(',', size, e, n, municipality_code, households), '|' ORDER BY size, e, n, municipality_code)) FROM public_squares))`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := digest()
	if _, err := pool.Exec(ctx, `UPDATE snapshots SET figures_version = 1; DELETE FROM point_counts; DELETE FROM area_figures WHERE kind = 'county'`); err != nil {
		t.Fatal(err)
	}
	st := coverage.NewStore(pool)
	done, err := st.Republish(ctx, nil)
	if err != nil || len(done) != 1 || !done[0].Equal(asOf2024) {
		t.Fatalf("republished %v, %v; want the snapshot of 2024-10-01", done, err)
	}
	if got := digest(); got != want {
		t.Errorf("after Republish %s, want %s", got, want)
	}
	if done, err := st.Republish(ctx, nil); err != nil || len(done) != 0 {
		t.Errorf("a second Republish rebuilt %v (%v)", done, err)
	}
}

// The sums of public squares (the map's squares below zoom 8) of a snapshot
// imported before they existed are built by Republish, and the public
// squares and area figures come back as they were.
func TestRepublishBuildsTheSumsOfPublicSquares(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	s := coverage.NewStore(pool)
	res := mustImport(t, s, "testdata/gaps.csv", time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC))
	dump := func() (string, string, int) {
		var squares, areas string
		var sums int
		if err := pool.QueryRow(ctx, `SELECT
				(SELECT string_agg(q::text, ';' ORDER BY municipality_code, size, e, n) FROM public_squares q WHERE snapshot_id = $1),
				(SELECT string_agg(a::text, ';' ORDER BY kind, code, part) FROM area_figures a WHERE snapshot_id = $1),
				(SELECT count(*) FROM public_square_sums WHERE snapshot_id = $1)`, res.Snapshot.ID).Scan(&squares, &areas, &sums); err != nil {
			t.Fatal(err)
		}
		return squares, areas, sums
	}
	squares, areas, sums := dump()
	if sums == 0 {
		t.Fatal("the import built no sums of public squares")
	}
	// As a snapshot imported before the sums existed looks.
	if _, err := pool.Exec(ctx, "UPDATE snapshots SET figures_version = 3 WHERE id = $1", res.Snapshot.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "DELETE FROM public_square_sums WHERE snapshot_id = $1", res.Snapshot.ID); err != nil {
		t.Fatal(err)
	}
	done, err := s.Republish(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || !done[0].Equal(res.Snapshot.AsOf) {
		t.Errorf("republished %v, want the snapshot of 2024-10-01", done)
	}
	squares2, areas2, sums2 := dump()
	if squares2 != squares || areas2 != areas || sums2 != sums {
		t.Errorf("after Republish: public squares same %v, area figures same %v, sums %d (want %d)",
			squares2 == squares, areas2 == areas, sums2, sums)
	}
	var version int
	if err := pool.QueryRow(ctx, "SELECT figures_version FROM snapshots WHERE id = $1", res.Snapshot.ID).Scan(&version); err != nil || version != coverage.FiguresVersion {
		t.Errorf("figures_version %d (%v), want %d", version, err, coverage.FiguresVersion)
	}
	if again, err := s.Republish(ctx, nil); err != nil || len(again) != 0 {
		t.Errorf("a second Republish rebuilt %v (%v), want nothing", again, err)
	}
}
