package measure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlRefreshAddresses     = mustSQL("refresh_addresses.sql")
	sqlRefreshAddressesSwap = mustSQL("refresh_addresses_swap.sql")
	sqlSuggestAddresses     = mustSQL("suggest_addresses.sql")
	sqlResolveAddress       = mustSQL("resolve_address.sql")
)

// addressIndexes are the indexes of the new table of address suggestions,
// built at once on two connections: each GIN build takes a core for a
// minute at a national scale, and PostgreSQL 15 builds a GIN index on one.
var addressIndexes = []string{
	"CREATE INDEX address_search_next_trgm_idx ON address_search_next USING gin (search gin_trgm_ops)",
	"CREATE INDEX address_search_next_keys_idx ON address_search_next USING gin (keys)",
}

// RefreshAddresses rebuilds the address suggestions (table address_search)
// from the latest coverage snapshot: one row per distinct street address
// with its 250 m square and municipality, read through the coverage store
// (which owns the address points) as a COPY stream from one connection into
// another. The coverage import calls it after each import and deletion, and
// gigakoll serve at its start, so that a refresh that failed or was killed
// is repaired; when the suggestions are built from the latest snapshot
// already it does nothing, and without a snapshot they are empty.
//
// The new rows go into a table of their own (address_search_next), whose
// two indexes are then built at once on two connections, and which takes
// the old table's place in one transaction: readers see the old
// suggestions until then. One refresh runs at a time (a session lock).
func RefreshAddresses(ctx context.Context, pool *pgxpool.Pool) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("measure: refresh address suggestions: %w", err)
	}
	// The connection holds a session lock and a temporary table: it goes
	// back to the pool only once both are gone, else it is closed.
	clean := false
	defer func() {
		if !clean {
			c := conn.Hijack()
			c.Close(context.WithoutCancel(ctx))
			return
		}
		conn.Release()
	}()
	if err := refreshAddresses(ctx, pool, conn.Conn()); err != nil {
		return fmt.Errorf("measure: refresh address suggestions: %w", err)
	}
	_, err = conn.Exec(ctx, "DROP TABLE IF EXISTS pg_temp.address_search_points; SELECT pg_advisory_unlock_all()")
	clean = err == nil
	return nil
}

func refreshAddresses(ctx context.Context, pool *pgxpool.Pool, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('gigakoll address_search refresh'))"); err != nil {
		return err
	}
	cov := coverage.NewStore(pool)
	latest, err := cov.SnapshotAt(ctx, time.Time{})
	if errors.Is(err, coverage.ErrNoSnapshot) {
		_, err := conn.Exec(ctx, "DELETE FROM address_search")
		return err
	}
	if err != nil {
		return err
	}
	// Importing an older year leaves the latest snapshot, and so the
	// suggestions, as they were: nothing to do.
	var current bool
	if err := conn.QueryRow(ctx, `SELECT coalesce((SELECT max(snapshot_id) FROM address_search) = $1, false)`, latest.ID).
		Scan(&current); err != nil || current {
		return err
	}
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS pg_temp.address_search_points;
		CREATE TEMP TABLE address_search_points (street text, number text, postcode text,
			locality text, square_e integer, square_n integer, municipality_code text)`); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	copied := make(chan error, 1)
	go func() {
		_, err := cov.CopyStreetAddresses(ctx, latest.ID, pw)
		pw.CloseWithError(err)
		copied <- err
	}()
	_, err = conn.PgConn().CopyFrom(ctx, pr, "COPY address_search_points FROM STDIN (FORMAT csv)")
	pr.CloseWithError(io.ErrClosedPipe) // stops the reader if the COPY failed first
	if cerr := <-copied; cerr != nil && !errors.Is(cerr, io.ErrClosedPipe) {
		return cerr
	}
	if err != nil {
		return err
	}
	// One implicit transaction: the new table and its rows.
	if _, err := conn.Exec(ctx, fmt.Sprintf(sqlRefreshAddresses, latest.ID)); err != nil {
		return err
	}
	if err := buildAddressIndexes(ctx, pool, conn); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sqlRefreshAddressesSwap)
		return err
	})
}

// buildAddressIndexes builds addressIndexes on address_search_next, the
// first on conn, the others on connections of their own from pool.
func buildAddressIndexes(ctx context.Context, pool *pgxpool.Pool, conn *pgx.Conn) error {
	g, ctx := errgroup.WithContext(ctx) // one fails: the others stop
	build := func(c *pgx.Conn, sql string) error {
		return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sql)
			return err
		})
	}
	for _, sql := range addressIndexes[1:] {
		g.Go(func() error {
			return pool.AcquireFunc(ctx, func(c *pgxpool.Conn) error { return build(c.Conn(), sql) })
		})
	}
	g.Go(func() error { return build(conn, addressIndexes[0]) })
	return g.Wait()
}

// Address is a suggestion for the form: where an address is, never what is
// offered there.
type Address struct {
	Street   string `json:"street"`
	Number   string `json:"number"`
	Postcode string `json:"postcode"` // five digits, or ""
	Locality string `json:"locality"`
	Label    string `json:"label"`  // "Storgatan 12, 392 31 Kalmar": give it as the address field
	Square   string `json:"square"` // "250m-E583000-N6280250"
	// SquareBounds is the square in WGS 84 (west, south, east, north), for
	// a map to show: the square, never the address's own position.
	SquareBounds [4]float64 `json:"square_bounds"`
}

// Limits of an address query.
const (
	MinQueryLen    = 3
	MaxQueryLen    = 100
	MaxSuggestions = 10
)

// SuggestAddresses returns at most 10 street addresses for what was typed,
// best first; fewer than 3 characters give none. The text is a bind
// parameter only and never logged here.
func (s *Store) SuggestAddresses(ctx context.Context, q string) ([]Address, error) {
	out := []Address{}
	if utf8.RuneCountInString(q) < MinQueryLen {
		return out, nil
	}
	rows, err := s.read.Query(ctx, sqlSuggestAddresses, q)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: suggest addresses: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var a Address
		sq := geo.Square{Size: geo.SquareSize}
		if err := rows.Scan(&a.Street, &a.Number, &a.Postcode, &a.Locality, &a.Label, &sq.E, &sq.N); err != nil {
			return nil, fmt.Errorf("measure: suggest addresses: %w", err)
		}
		a.Square = sq.ID()
		a.SquareBounds = squareBounds(sq)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(fmt.Errorf("measure: suggest addresses: %w", err))
	}
	return out, nil
}

// resolveAddress finds the square and municipality of an address field. An
// address that matches nothing, or more than one place, is an InvalidError.
func (s *Store) resolveAddress(ctx context.Context, address string) (geo.Square, Municipality, error) {
	rows, err := s.read.Query(ctx, sqlResolveAddress, address)
	if err != nil {
		return geo.Square{}, Municipality{}, unavailable(fmt.Errorf("measure: look up the address: %w", err))
	}
	type hit struct {
		sq   geo.Square
		code string
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hit, error) {
		h := hit{sq: geo.Square{Size: geo.SquareSize}}
		return h, r.Scan(&h.sq.E, &h.sq.N, &h.code)
	})
	if err != nil {
		return geo.Square{}, Municipality{}, unavailable(fmt.Errorf("measure: look up the address: %w", err))
	}
	switch len(hits) {
	case 0:
		return geo.Square{}, Municipality{}, InvalidError{{Field: "address",
			Message: "no address matches; give street, number and postcode (Storgatan 12, 392 31 Kalmar) or pick a suggestion from /api/v1/addresses"}}
	case 1:
	default:
		return geo.Square{}, Municipality{}, InvalidError{{Field: "address",
			Message: "more than one place has this address; add the postcode or the locality"}}
	}
	muni, ok := MunicipalityByCode(hits[0].code)
	if !ok {
		return geo.Square{}, Municipality{}, fmt.Errorf("measure: address in unknown municipality %s", hits[0].code)
	}
	return hits[0].sq, muni, nil
}

// squareBounds is the extent of the square in WGS 84: west, south, east,
// north, rounded to 1e-6 degrees (about 0.1 m).
func squareBounds(sq geo.Square) [4]float64 {
	b := [4]float64{180, 90, -180, -90}
	for _, c := range []geo.SWEREF{{E: float64(sq.E), N: float64(sq.N)}, {E: float64(sq.E + sq.Size), N: float64(sq.N)},
		{E: float64(sq.E), N: float64(sq.N + sq.Size)}, {E: float64(sq.E + sq.Size), N: float64(sq.N + sq.Size)}} {
		p := geo.ToWGS84(c)
		b[0], b[1], b[2], b[3] = min(b[0], p[0]), min(b[1], p[1]), max(b[2], p[0]), max(b[3], p[1])
	}
	for i := range b {
		b[i] = roundTo(b[i], 6)
	}
	return b
}
