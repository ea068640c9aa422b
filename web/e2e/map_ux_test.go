package e2e_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestMapUX runs map-ux.test.mjs: the colours by the targets' combined share
// on a scale with steps below 80 %, the municipalities' names, the tooltip,
// a square's figures on a click, a municipality outside the data named as
// such, the legend folded on a phone, the address search, and the map saved
// as a picture. The fixture is map_test.go's, with the address suggestions.
func TestMapUX(t *testing.T) {
	srv := e2e.Start(t, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := mapFixture(ctx, pool); err != nil {
			return err
		}
		return measure.RefreshAddresses(ctx, pool)
	})
	e2e.RunNode(t, srv.URL, "map-ux.test.mjs")
}
