package coverage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/geo"
)

var sqlSquareOffers = mustSQL("square_offers.sql")

// SquareOffer is what a snapshot offers in a 250 m square, from its public
// cells: the figures of at least 5 households, never fewer.
type SquareOffer struct {
	AsOf             time.Time // the snapshot's date
	Households       int64
	HouseholdsGE1000 int64
	Workplaces       int64
	WorkplacesGE1000 int64
	BestFixedMbps    float64 // the best fixed offer in the square
}

// SquareOffers returns what the snapshot (0: the latest) offers in the 250 m
// squares; a square without a public cell (fewer than 5 households in it) is
// absent, and so is every square when there is no snapshot.
func (s *Store) SquareOffers(ctx context.Context, snapshot int64, squares []geo.Square) (map[geo.Square]SquareOffer, error) {
	out := map[geo.Square]SquareOffer{}
	if len(squares) == 0 {
		return out, nil
	}
	if snapshot == 0 {
		sn, err := s.SnapshotAt(ctx, time.Time{})
		if errors.Is(err, ErrNoSnapshot) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		snapshot = sn.ID
	}
	es, ns := make([]int64, len(squares)), make([]int64, len(squares))
	for i, sq := range squares {
		es[i], ns[i] = sq.E, sq.N
	}
	rows, err := s.reader(ctx).Query(ctx, sqlSquareOffers, snapshot, es, ns)
	if err != nil {
		return nil, fmt.Errorf("coverage: offers in squares: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sq := geo.Square{Size: geo.SquareSize}
		var o SquareOffer
		if err := rows.Scan(&sq.E, &sq.N, &o.AsOf, &o.Households, &o.HouseholdsGE1000,
			&o.Workplaces, &o.WorkplacesGE1000, &o.BestFixedMbps); err != nil {
			return nil, fmt.Errorf("coverage: offers in squares: %w", err)
		}
		out[sq] = o
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage: offers in squares: %w", err)
	}
	return out, nil
}
