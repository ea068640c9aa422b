package coverage

import (
	"context"
	"fmt"
	"io"

	"github.com/gigakoll/gigakoll/geo"
)

var sqlStreetAddresses = mustSQL("street_addresses.sql")

// StreetAddressColumns are the columns CopyStreetAddresses writes, in order.
var StreetAddressColumns = []string{"street", "number", "postcode", "locality", "square_e", "square_n", "municipality_code"}

// CopyStreetAddresses writes the distinct street addresses of the snapshot
// to w as CSV without a header (StreetAddressColumns): where each lies (its
// 250 m square and municipality), never what it is offered. PostgreSQL's
// COPY writes it, so that another connection's COPY can read it as it comes:
// the residents' address suggestions are rebuilt this way at any scale.
func (s *Store) CopyStreetAddresses(ctx context.Context, snapshot int64, w io.Writer) (int64, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("coverage: street addresses: %w", err)
	}
	defer conn.Release()
	tag, err := conn.Conn().PgConn().CopyTo(ctx, w, fmt.Sprintf(sqlStreetAddresses, snapshot))
	if err != nil {
		return 0, fmt.Errorf("coverage: street addresses: %w", err)
	}
	return tag.RowsAffected(), nil
}

var sqlPointsBrief = mustSQL("points_brief.sql")

// PointBrief is an address point with households, briefly: where it is,
// how many live there and its best fixed offer.
type PointBrief struct {
	AddressID    string
	Municipality string
	Pos          geo.SWEREF
	Households   int64
	BestMbps     float64    // the best fixed offer with access; 0 without
	Technology   Technology // of that offer; "" without
}

// EachPointBrief calls fn with every address point of the snapshot that has
// households, by address id.
func (s *Store) EachPointBrief(ctx context.Context, snapshot int64, fn func(PointBrief) error) error {
	rows, err := s.reader(ctx).Query(ctx, sqlPointsBrief, snapshot)
	if err != nil {
		return fmt.Errorf("coverage: read address points: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p PointBrief
		if err := rows.Scan(&p.AddressID, &p.Municipality, &p.Pos.E, &p.Pos.N, &p.Households, &p.BestMbps, &p.Technology); err != nil {
			return fmt.Errorf("coverage: read address points: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("coverage: read address points: %w", err)
	}
	return nil
}

var sqlSquareSums = mustSQL("square_sums.sql")

// SquareSumColumns are the columns CopySquareSums writes, in order.
var SquareSumColumns = []string{"e", "n", "municipality_code", "households", "workplaces", "holiday_homes"}

// CopySquareSums writes to w, as CSV without a header (SquareSumColumns), the
// households, workplaces and holiday homes of the snapshot's address points
// per grid square of size metres (the square holding the point) and
// municipality: what mobile coverage's figures count in covered squares,
// without any address or offer. PostgreSQL's COPY writes it, so that another
// connection's COPY reads it as it comes.
func (s *Store) CopySquareSums(ctx context.Context, snapshot, size int64, w io.Writer) (int64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("coverage: square sums: size %d", size)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("coverage: square sums: %w", err)
	}
	defer conn.Release()
	tag, err := conn.Conn().PgConn().CopyTo(ctx, w, fmt.Sprintf(sqlSquareSums, snapshot, size))
	if err != nil {
		return 0, fmt.Errorf("coverage: square sums: %w", err)
	}
	return tag.RowsAffected(), nil
}
