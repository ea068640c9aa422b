package e2e_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// mobileFixture is the map's fixture with the demo's mobile coverage of
// Kalmar and Nybro for 2023 and 2024, the demo's residents' mobile
// measurements where the operators' claim does not hold, and a
// coordinator's token (GK_TOKEN_COORDINATOR).
func mobileFixture(t *testing.T) e2e.Setup {
	return func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := mapFixture(ctx, pool); err != nil {
			return err
		}
		g, err := seeds.NewMobile(11)
		if err != nil {
			return err
		}
		if g, err = g.Only("0880", "0881"); err != nil {
			return err
		}
		store := mobile.NewStore(pool, coverage.NewStore(pool))
		for _, y := range []int{2023, 2024} {
			pr, pw := io.Pipe()
			go func() {
				_, err := g.WriteMobile(pw, y)
				pw.CloseWithError(err)
			}()
			_, err := store.Import(ctx, pr, mobile.ImportOptions{AsOf: seeds.AsOf(y), Name: fmt.Sprintf("demo-mobile-%d.csv", y),
				Audit: auth.Entry{Actor: "test"}})
			pr.Close()
			if err != nil {
				return fmt.Errorf("import the demo's mobile coverage of %d: %w", y, err)
			}
		}
		if n, err := seeds.LoadMobileMeasurements(ctx, pool, seeds.MobileMeasurementsConfig{Seed: 11, Squares: 4}); err != nil || n == 0 {
			return fmt.Errorf("the demo's mobile measurements: %d, %v", n, err)
		}
		coord, _, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{Name: "Regionens samordnare", Role: auth.Coordinator})
		if err != nil {
			return err
		}
		t.Setenv("GK_TOKEN_COORDINATOR", coord)
		return nil
	}
}

// TestMobile runs mobile.test.mjs: the map's mobile layers and their
// legends, Kalmar's panel with its mobile figures and targets against the
// API, the flagged squares, the mobile targets on /mal, and a mobile file
// imported on the upload page, which lands here.
func TestMobile(t *testing.T) {
	file, err := filepath.Abs("../../mobile/testdata/mobile250.csv")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GK_MOBILE_FILE", file)
	srv := e2e.Start(t, mobileFixture(t))
	e2e.RunNode(t, srv.URL, "mobile.test.mjs")

	var squares int64
	var source string
	err = srv.Pool.QueryRow(context.Background(), "SELECT squares, source FROM mobile_snapshots WHERE as_of = '2025-10-01'").Scan(&squares, &source)
	if err != nil || squares != 9 || source != "mobile250.csv" {
		t.Errorf("the uploaded mobile file: %d squares from %q (%v), want 9 from mobile250.csv", squares, source, err)
	}
}
