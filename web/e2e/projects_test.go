package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// projectsFixture is the map's fixture with the demo's project register
// (package seeds) imported against it.
func projectsFixture(ctx context.Context, pool *pgxpool.Pool) error {
	if err := mapFixture(ctx, pool); err != nil {
		return err
	}
	g, err := seeds.New(seeds.Config{Seed: 11, Scale: 0.03})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := g.WriteProjects(&buf); err != nil {
		return err
	}
	st := projects.NewStore(pool, coverage.NewStore(pool), nil)
	if _, err := st.Import(ctx, &buf, projects.ImportOptions{Name: "demo.geojson", Audit: auth.Entry{Actor: "test"}}); err != nil {
		return fmt.Errorf("import the demo register: %w", err)
	}
	return nil
}

// TestProjects runs projects.test.mjs: the Utbyggnad page lists the API's
// projects, sorts and filters them and draws the cost curve; the map shows
// the project areas, a project's panel on a click, and the municipality
// panel's section with the forecast with projects, white spots and cost.
func TestProjects(t *testing.T) {
	srv := e2e.Start(t, projectsFixture)
	e2e.RunNode(t, srv.URL, "projects.test.mjs")
}
