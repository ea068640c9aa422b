package coverage_test

import (
	"context"
	"os"
	"testing"

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
