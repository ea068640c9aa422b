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

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlRefreshAddresses = mustSQL("refresh_addresses.sql")
	sqlSuggestAddresses = mustSQL("suggest_addresses.sql")
	sqlResolveAddress   = mustSQL("resolve_address.sql")
)

// RefreshAddresses rebuilds the address suggestions (table address_search)
// from the latest coverage snapshot, in one transaction: one row per
// distinct street address with its 250 m square and municipality, read
// through the coverage store (which owns the address points) as a COPY
// stream from one connection into another. The coverage import calls it
// after each import and deletion, and gigakoll serve at its start, so that a
// refresh that failed or was killed is repaired; when the suggestions are
// built from the latest snapshot already it does nothing, and without a
// snapshot they are empty.
func RefreshAddresses(ctx context.Context, pool *pgxpool.Pool) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cov := coverage.NewStore(pool)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('gigakoll address_search refresh'))"); err != nil {
			return err
		}
		latest, err := cov.SnapshotAt(ctx, time.Time{})
		if errors.Is(err, coverage.ErrNoSnapshot) {
			_, err := tx.Exec(ctx, "DELETE FROM address_search")
			return err
		}
		if err != nil {
			return err
		}
		// Importing an older year leaves the latest snapshot, and so the
		// suggestions, as they were: nothing to do.
		var current bool
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT max(snapshot_id) FROM address_search) = $1, false)`, latest.ID).
			Scan(&current); err != nil || current {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE address_search_points (street text, number text, postcode text,
			locality text, square_e integer, square_n integer, municipality_code text) ON COMMIT DROP`); err != nil {
			return err
		}
		pr, pw := io.Pipe()
		copied := make(chan error, 1)
		go func() {
			_, err := cov.CopyStreetAddresses(ctx, latest.ID, pw)
			pw.CloseWithError(err)
			copied <- err
		}()
		_, err = tx.Conn().PgConn().CopyFrom(ctx, pr, "COPY address_search_points FROM STDIN (FORMAT csv)")
		pr.CloseWithError(io.ErrClosedPipe) // stops the reader if the COPY failed first
		if cerr := <-copied; cerr != nil && !errors.Is(cerr, io.ErrClosedPipe) {
			return cerr
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, fmt.Sprintf(sqlRefreshAddresses, latest.ID))
		return err
	})
	if err != nil {
		return fmt.Errorf("measure: refresh address suggestions: %w", err)
	}
	return nil
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
