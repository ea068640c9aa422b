package mobile

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/tabular"
)

// rowColumns are the columns a row is copied into pg_temp.mobile_rows with.
var rowColumns = []string{"line", "e", "n", "operator", "technology", "outdoor", "outdoor_index", "indoor_index",
	"fiveg", "municipality"}

// createRows is the loading table of one import: the file's good rows with
// the classes decided in Go and the municipality of the square's centre (an
// index into the grid set's codes; 0: none). It lives in the transaction.
const createRows = `CREATE TEMP TABLE mobile_rows (
	line integer NOT NULL, e integer NOT NULL, n integer NOT NULL, operator smallint NOT NULL,
	technology smallint NOT NULL, outdoor numeric NOT NULL, outdoor_index smallint NOT NULL,
	indoor_index smallint, fiveg boolean NOT NULL, municipality smallint NOT NULL
) ON COMMIT DROP`

// rowSource feeds the reader's rows to COPY: each row's classes by the
// rules of mobile.go, its operator as an index (in order of first
// appearance), and the municipality of its square's centre from the grid
// set, opened at the first row, when the file's size is known.
type rowSource struct {
	ctx       context.Context
	rd        *Reader
	pool      *pgxpool.Pool
	grid      *geo.GridSet
	codes     map[string]int16 // municipality code → its index in the grid set's codes, from 1
	operators map[string]int16
	names     []string // the operators, in index order
	last      struct {
		e, n, size int64
		muni       int16
	}
	extent [4]int64 // min e, min n, max e, max n of the squares
	vals   [10]any
	err    error
}

func newRowSource(ctx context.Context, rd *Reader, pool *pgxpool.Pool) *rowSource {
	return &rowSource{ctx: ctx, rd: rd, pool: pool, operators: map[string]int16{}}
}

func (s *rowSource) Next() bool {
	for s.err == nil && s.rd.Next() {
		if s.take(s.rd.Row()) {
			return true
		}
	}
	return false
}

// take prepares the row's values; false when the row is skipped or the
// reading must stop (s.err).
func (s *rowSource) take(r *Row) bool {
	if s.grid == nil {
		if s.grid, s.err = geo.OpenGridSet(s.ctx, s.pool, r.Size); s.err != nil {
			return false
		}
		s.codes = map[string]int16{}
		for i, c := range s.grid.Municipalities() {
			s.codes[c] = int16(i + 1)
		}
		s.extent = [4]int64{r.E, r.N, r.E, r.N}
	}
	op, ok := s.operators[r.Operator]
	if !ok {
		if len(s.names) >= maxOperators {
			s.rd.problems.Error(tabular.Problem{File: s.rd.name, Line: r.Line, Column: s.rd.column(3), Value: r.Operator,
				Message: fmt.Sprintf("more than %d operators in one file: is this the operator column?", maxOperators),
				Code:    "mobile-operators", Params: tabular.P("max", fmt.Sprint(maxOperators))})
			return false
		}
		s.names = append(s.names, r.Operator)
		op = int16(len(s.names))
		s.operators[r.Operator] = op
	}
	if r.E != s.last.e || r.N != s.last.n || r.Size != s.last.size {
		code, err := s.grid.Locate(s.ctx, r.E, r.N)
		if err != nil {
			s.err = err
			return false
		}
		s.last.e, s.last.n, s.last.size, s.last.muni = r.E, r.N, r.Size, s.codes[code]
		s.extent = [4]int64{min(s.extent[0], r.E), min(s.extent[1], r.N), max(s.extent[2], r.E), max(s.extent[3], r.N)}
	}
	v := &s.vals
	v[0], v[1], v[2], v[3] = int32(r.Line), int32(r.E), int32(r.N), op
	v[4], v[5] = technologies[r.Technology], r.Outdoor
	v[6] = int16(classIndex(ClassOf(r.Outdoor), true))
	v[7] = nil
	if r.Indoor.Valid {
		v[7] = int16(classIndex(ClassOf(r.Indoor), true))
	}
	v[8], v[9] = FiveG(r.Technology, r.Outdoor), s.last.muni
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.vals[:], nil }

// Err stops the COPY on what stopped the reading: a damaged file, a failing
// source, the grid set. Rows with errors are skipped, not fatal: the import
// lists them all and then refuses the file.
func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rd.Err()
}

// maxOperators bounds the operators of one file (a country has a handful):
// their index is a smallint, and packed into the squares' codes.
const maxOperators = 1000

// municipalityCodes returns the grid set's codes in index order, for
// build_squares.sql; nil before the first row.
func (s *rowSource) municipalityCodes() []string {
	if s.grid == nil {
		return nil
	}
	return s.grid.Municipalities()
}

// countiesTouched returns the counties of the given municipality codes,
// sorted.
func countiesTouched(codes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		if len(c) == 4 && !seen[c[:2]] {
			seen[c[:2]] = true
			out = append(out, c[:2])
		}
	}
	sort.Strings(out)
	return out
}
