package e2e_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestAdministration runs admin.test.mjs: a coordinator creates a token
// (shown once), revokes it, deletes a snapshot after confirming, and filters
// the audit log; the menu and the account link; a municipality user may not
// reach the page. Afterwards every change is in the audit log.
func TestAdministration(t *testing.T) {
	srv := e2e.Start(t, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := mapFixture(ctx, pool); err != nil {
			return err
		}
		a := auth.NewStore(pool)
		coord, _, err := a.CreateToken(ctx, auth.NewToken{Name: "Regionens samordnare", Role: auth.Coordinator})
		if err != nil {
			return err
		}
		muni, _, err := a.CreateToken(ctx, auth.NewToken{Name: "Nybro kommun", Role: auth.Municipality, Municipalities: []string{"0881"}})
		if err != nil {
			return err
		}
		t.Setenv("GK_TOKEN_COORDINATOR", coord)
		t.Setenv("GK_TOKEN_0881", muni)
		return nil
	})
	e2e.RunNode(t, srv.URL, "admin.test.mjs")

	ctx := context.Background()
	for action, want := range map[string]int{auth.ActionTokenCreate: 1, auth.ActionTokenRevoke: 1, auth.ActionDeleteData: 1} {
		var n int
		if err := srv.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = $1 AND actor = 'Regionens samordnare'", action).Scan(&n); err != nil || n != want {
			t.Errorf("audit entries %s by the coordinator: %d (%v), want %d", action, n, err, want)
		}
	}
	var snaps int
	if err := srv.Pool.QueryRow(ctx, "SELECT count(*) FROM snapshots WHERE as_of = '2022-10-01'").Scan(&snaps); err != nil || snaps != 0 {
		t.Errorf("the deleted snapshot: %d rows (%v), want none", snaps, err)
	}
}
