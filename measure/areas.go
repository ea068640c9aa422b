package measure

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

var sqlAreaCounts = mustSQL("area_counts.sql")

// The figures by area (250 m squares, municipalities, counties) follow the
// rule of closeRests, as the figures by group do: a figure needs at least
// MinPublished measurements, and
//
//  1. in each published municipality, its count less the measurements it
//     has in its published squares is 0 or at least MinPublished (a square
//     on a border counts, for each municipality, only what it holds of it);
//  2. in each published county, its count less its published
//     municipalities' counts, and less what the municipalities not
//     published have in published squares, is 0 or at least MinPublished.
//
// Where one fails, the smallest published square (municipality) it
// subtracts is withheld too, until none fails. A county's rest of squares
// is then the sum of its municipalities' rests (each 0 or at least
// MinPublished, by rule 1 or, for the ones not published, as a part of
// rule 2's rest). Counties are never withheld: no figure
// for the whole country is published. The decision is made over the whole
// country (a square on a border ties two municipalities, even two
// counties), so every answer, whatever area it is asked within, is a part
// of the same decision; every channel reads it (Report, Summary, Tile).

// squareKey is a 250 m square's lower-left corner.
type squareKey struct{ e, n int64 }

// areaDecision is which squares and municipalities of a period may be
// published; an area absent from it is not.
type areaDecision struct {
	squares        map[squareKey]bool
	municipalities map[string]bool
}

// areaCount is one row of area_counts.sql.
type areaCount struct {
	e, n  int64
	muni  string
	count int64
}

// decideAreas applies the rules above to the counts of a period.
func decideAreas(rows []areaCount) areaDecision {
	type cell struct {
		count     int64
		published bool
	}
	squares := map[squareKey]*cell{}
	munis := map[string]*cell{}
	muniSquares := map[string][]areaCount{}
	countyMunis := map[string][]string{}
	var muniOrder, counties []string
	for _, r := range rows {
		k := squareKey{r.e, r.n}
		if squares[k] == nil {
			squares[k] = &cell{}
		}
		squares[k].count += r.count
		if munis[r.muni] == nil {
			munis[r.muni] = &cell{}
			muniOrder = append(muniOrder, r.muni)
			if countyMunis[r.muni[:2]] == nil {
				counties = append(counties, r.muni[:2])
			}
			countyMunis[r.muni[:2]] = append(countyMunis[r.muni[:2]], r.muni)
		}
		munis[r.muni].count += r.count
		muniSquares[r.muni] = append(muniSquares[r.muni], r)
	}
	for _, c := range squares {
		c.published = c.count >= MinPublished
	}
	for _, c := range munis {
		c.published = c.count >= MinPublished
	}
	// In one order, whatever order the rows came in: where a square on a
	// border ties two municipalities' rules, the first to fail withholds.
	slices.Sort(muniOrder)
	slices.Sort(counties)
	squarePart := func(r areaCount) part {
		sq := squares[squareKey{r.e, r.n}]
		return part{published: &sq.published, count: sq.count, n: r.count,
			key: strconv.FormatInt(r.e, 10) + "-" + strconv.FormatInt(r.n, 10)}
	}
	// Counties first: a municipality withheld by rule 2 needs no rule 1,
	// and its squares, counted in the county's rest, may stay shown.
	var wholes []whole
	for _, c := range counties { // rule 2
		w := whole{}
		for _, m := range countyMunis[c] {
			w.total += munis[m].count
			w.parts = append(w.parts, part{published: &munis[m].published, count: munis[m].count, n: munis[m].count, key: m})
			// A municipality withheld: its published squares are subtracted
			// from the county in its stead.
			for _, r := range muniSquares[m] {
				p := squarePart(r)
				p.unless = &munis[m].published
				w.parts = append(w.parts, p)
			}
		}
		county := w.total >= MinPublished
		w.when = &county
		wholes = append(wholes, w)
	}
	for _, m := range muniOrder { // rule 1
		w := whole{total: munis[m].count, when: &munis[m].published}
		slices.SortFunc(muniSquares[m], func(a, b areaCount) int { return cmp.Or(cmp.Compare(a.e, b.e), cmp.Compare(a.n, b.n)) })
		for _, r := range muniSquares[m] {
			w.parts = append(w.parts, squarePart(r))
		}
		wholes = append(wholes, w)
	}
	closeRests(wholes)
	d := areaDecision{squares: map[squareKey]bool{}, municipalities: map[string]bool{}}
	for k, c := range squares {
		if c.published {
			d.squares[k] = true
		}
	}
	for m, c := range munis {
		if c.published {
			d.municipalities[m] = true
		}
	}
	return d
}

// querier is what reads the counts: the read pool or a transaction on it.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// areaDecision reads the counts of period p in the whole country and
// decides which areas may be published.
func (s *Store) areaDecision(ctx context.Context, q querier, p Period) (areaDecision, error) {
	rows, err := q.Query(ctx, sqlAreaCounts, p.From, p.To)
	if err != nil {
		return areaDecision{}, unavailable(fmt.Errorf("measure: counts by area: %w", err))
	}
	defer rows.Close()
	var counts []areaCount
	for rows.Next() {
		var c areaCount
		if err := rows.Scan(&c.e, &c.n, &c.muni, &c.count); err != nil {
			return areaDecision{}, fmt.Errorf("measure: counts by area: %w", err)
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return areaDecision{}, unavailable(fmt.Errorf("measure: counts by area: %w", err))
	}
	return decideAreas(counts), nil
}

// readConsistently runs f in a read-only repeatable-read transaction on
// the read pool: the decision and the figures it is applied to are read
// from one state of the measurements.
func (s *Store) readConsistently(ctx context.Context, f func(pgx.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return unavailable(fmt.Errorf("measure: begin a read: %w", err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only: nothing to undo
	return f(tx)
}

// tileDecision is the decision for all time, made once per TileEvery (the
// same periods as the server's tile versions) and again after this process
// has stored a measurement, so that a square a resident has just brought to
// five is shown in a tile made after: a tile does not read every
// measurement, and the decision costs a count over all of them (about 1.5 s
// at a million) only as often as measurements arrive.
type tileDecision struct {
	mu        sync.Mutex
	bucket    int64
	submitted int64
	d         *areaDecision
}

// allTimeDecision is the memoised decision of period "all" for the tiles.
func (s *Store) allTimeDecision(ctx context.Context) (areaDecision, error) {
	s.tiles.mu.Lock()
	defer s.tiles.mu.Unlock()
	bucket := time.Now().Unix() / int64(TileEvery/time.Second)
	submitted := s.submitted.Load()
	if s.tiles.d != nil && s.tiles.bucket == bucket && s.tiles.submitted == submitted {
		return *s.tiles.d, nil
	}
	all, _ := ParsePeriod("all")
	d, err := s.areaDecision(ctx, s.read, all)
	if err != nil {
		return areaDecision{}, err
	}
	s.tiles.d, s.tiles.bucket, s.tiles.submitted = &d, bucket, submitted
	return d, nil
}
