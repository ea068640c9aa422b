package geo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	sqlGridRuns           = mustSQL("grid_runs.sql")
	sqlMunicipalityBounds = mustSQL("municipality_bounds.sql")
)

// GridSet answers which municipality a grid square belongs to by the rule of
// spec/mobile.md ("Area"): a municipality's squares of a size are every
// square whose centre lies inside its boundary. PostGIS computes the set of
// each municipality from the boundaries the first time a size and
// municipality are asked for (sql/grid_runs.sql), and the database keeps it
// (grid_sets, grid_runs) until the boundaries change; a GridSet loads the
// municipalities it needs as it is asked, so a file of one county computes
// and reads that county's. Not safe for concurrent use.
type GridSet struct {
	pool      *pgxpool.Pool
	size      int64
	reference string
	boxes     []municipalityBox
	cells     map[[2]int64][]int // candidate boxes per cell of gridCell metres
	ready     map[[2]int64]bool  // every candidate of the cell is loaded
	loaded    map[string]bool
	rows      map[int64][]gridRun // runs by row n, sorted by from
	totals    map[string]int64
}

type municipalityBox struct {
	code                   string
	minE, minN, maxE, maxN float64
}

type gridRun struct {
	from, to int64
	code     string
}

// gridCell is the side of the cells that index the boxes, metres.
const gridCell = 20_000

// OpenGridSet prepares the grid set of squares of size metres over the
// boundaries the database holds.
func OpenGridSet(ctx context.Context, pool *pgxpool.Pool, size int64) (*GridSet, error) {
	if size <= 0 {
		return nil, fmt.Errorf("geo: grid set: size %d", size)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ref, err := LoadedDigest(ctx, pool)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		return nil, fmt.Errorf("geo: the database holds no boundaries: run gigakoll migrate")
	}
	g := &GridSet{pool: pool, size: size, reference: ref, cells: map[[2]int64][]int{}, ready: map[[2]int64]bool{},
		loaded: map[string]bool{}, rows: map[int64][]gridRun{}, totals: map[string]int64{}}
	rows, err := pool.Query(ctx, sqlMunicipalityBounds)
	if err != nil {
		return nil, fmt.Errorf("geo: municipality bounds: %w", err)
	}
	for rows.Next() {
		var b municipalityBox
		if err := rows.Scan(&b.code, &b.minE, &b.minN, &b.maxE, &b.maxN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("geo: municipality bounds: %w", err)
		}
		g.boxes = append(g.boxes, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("geo: municipality bounds: %w", err)
	}
	for i, b := range g.boxes {
		for ce := cellOf(b.minE); ce <= cellOf(b.maxE); ce++ {
			for cn := cellOf(b.minN); cn <= cellOf(b.maxN); cn++ {
				g.cells[[2]int64{ce, cn}] = append(g.cells[[2]int64{ce, cn}], i)
			}
		}
	}
	return g, nil
}

func cellOf(v float64) int64 { return int64(math.Floor(v / gridCell)) }

// Size is the side of the set's squares, metres.
func (g *GridSet) Size() int64 { return g.size }

// Locate returns the municipality whose boundary holds the centre of the
// square with lower-left corner (e, n), or "" when none does.
func (g *GridSet) Locate(ctx context.Context, e, n int64) (string, error) {
	ce, cn := float64(e)+float64(g.size)/2, float64(n)+float64(g.size)/2
	cell := [2]int64{cellOf(ce), cellOf(cn)}
	if !g.ready[cell] {
		for _, i := range g.cells[cell] {
			if err := g.Load(ctx, g.boxes[i].code); err != nil {
				return "", err
			}
		}
		g.ready[cell] = true
	}
	runs := g.rows[n]
	i := sort.Search(len(runs), func(i int) bool { return runs[i].from > e }) - 1
	if i >= 0 && e <= runs[i].to {
		return runs[i].code, nil
	}
	return "", nil
}

// Load reads the squares of a municipality, computing them first when the
// database has none of this size for the current boundaries.
func (g *GridSet) Load(ctx context.Context, code string) error {
	if g.loaded[code] {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := g.compute(ctx, code); err != nil {
		return err
	}
	rows, err := g.pool.Query(ctx, `SELECT r.n, r.e_from, r.e_to, s.squares FROM grid_sets s
		LEFT JOIN grid_runs r USING (size, municipality_code)
		WHERE s.size = $1 AND s.municipality_code = $2`, g.size, code)
	if err != nil {
		return fmt.Errorf("geo: grid squares of %s: %w", code, err)
	}
	touched := map[int64]bool{}
	for rows.Next() {
		var n, from, to *int64
		var total int64
		if err := rows.Scan(&n, &from, &to, &total); err != nil {
			rows.Close()
			return fmt.Errorf("geo: grid squares of %s: %w", code, err)
		}
		g.totals[code] = total
		if n != nil {
			g.rows[*n] = append(g.rows[*n], gridRun{from: *from, to: *to, code: code})
			touched[*n] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("geo: grid squares of %s: %w", code, err)
	}
	for n := range touched {
		sort.Slice(g.rows[n], func(i, j int) bool { return g.rows[n][i].from < g.rows[n][j].from })
	}
	g.loaded[code] = true
	return nil
}

// compute has PostGIS compute the municipality's squares unless the
// database holds them for the current boundaries. Imports computing the
// same set take turns; the set is committed at once, whatever becomes of
// the import that asked for it.
func (g *GridSet) compute(ctx context.Context, code string) error {
	var fresh bool
	err := g.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM grid_sets WHERE size = $1 AND municipality_code = $2 AND reference = $3)`,
		g.size, code, g.reference).Scan(&fresh)
	if err != nil || fresh {
		return err
	}
	err = pgx.BeginFunc(ctx, g.pool, func(tx pgx.Tx) error {
		// PostGIS prices ST_Intersection so high that the planner would spend
		// seconds compiling a query that runs in a fraction of one
		if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('gigakoll grid set'), $1::int)`, g.size); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM grid_sets WHERE size = $1 AND municipality_code = $2 AND reference = $3)`,
			g.size, code, g.reference).Scan(&fresh); err != nil || fresh {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM grid_sets WHERE size = $1 AND municipality_code = $2`, g.size, code); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO grid_sets (size, municipality_code, reference, squares) VALUES ($1, $2, $3, 0)`,
			g.size, code, g.reference); err != nil {
			return err
		}
		var squares int64
		if err := tx.QueryRow(ctx, sqlGridRuns, g.size, code).Scan(&squares); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE grid_sets SET squares = $3 WHERE size = $1 AND municipality_code = $2`, g.size, code, squares)
		return err
	})
	if err != nil {
		return fmt.Errorf("geo: compute the %d m squares of %s: %w", g.size, code, err)
	}
	return nil
}

// Squares returns how many squares of the set's size a municipality has,
// loading it when needed.
func (g *GridSet) Squares(ctx context.Context, code string) (int64, error) {
	if err := g.Load(ctx, code); err != nil {
		return 0, err
	}
	return g.totals[code], nil
}

// Municipalities lists the codes of every municipality, in code order.
func (g *GridSet) Municipalities() []string {
	out := make([]string, len(g.boxes))
	for i, b := range g.boxes {
		out[i] = b.code
	}
	return out
}
