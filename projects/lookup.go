package projects

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/coverage"
)

var sqlLookup = mustSQL("lookup.sql")

// Lookup is the gap reports' coverage.ProjectLookup: for each point, the
// project of the register in force it is in, by the one rule of Assignment
// (the earliest completion_year among the active projects covering it;
// cancelled ones never). A point in no active project is left out.
func (s *Store) Lookup(ctx context.Context, points []coverage.PointRef) (map[string]coverage.ProjectRef, error) {
	out := map[string]coverage.ProjectRef{}
	// s.read, never the View's transaction: a gap report calls this while
	// its own rows stream on that transaction's connection. On the same
	// database all the same (the request's replica, or the primary).
	q := s.read
	reg, err := registerInForce(ctx, q)
	if errors.Is(err, ErrNoRegister) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(points))
	es := make([]float64, len(points))
	ns := make([]float64, len(points))
	for i, p := range points {
		ids[i], es[i], ns[i] = p.AddressID, p.E, p.N
	}
	rows, err := q.Query(ctx, sqlLookup, reg.Version, ids, es, ns)
	if err != nil {
		return nil, fmt.Errorf("projects: look up points: %w", err)
	}
	in := map[string][]Project{}
	var (
		addr, status string
		p            Project
	)
	_, err = pgx.ForEachRow(rows, []any{&addr, &p.ID, &p.Name, &status, &p.CompletionYear, &p.Feature, &p.Down}, func() error {
		q := p
		q.Status = Status(status)
		in[addr] = append(in[addr], q)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("projects: look up points: %w", err)
	}
	for addr, ps := range in {
		areas := make([]int32, len(ps))
		for i := range ps {
			areas[i] = int32(i)
		}
		if a, ok := Assignment(ps, areas, 0, func(int32) bool { return true }); ok {
			out[addr] = coverage.ProjectRef{ID: ps[a].ID, Name: ps[a].Name}
		}
	}
	return out, nil
}
