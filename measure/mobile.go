package measure

import (
	"context"
	"fmt"

	"github.com/gigakoll/gigakoll/geo"
)

var sqlMobileSquares = mustSQL("mobile_squares.sql")

// SquareMedian is what residents measured over mobile connections in one
// 250 m square: how many measurements, and their median download.
type SquareMedian struct {
	Square     geo.Square
	Count      int64
	MedianDown float64 // Mbit/s
}

// MobileSquares returns the 250 m squares with at least MinPublished
// measurements over a mobile connection in the period, with their count
// and median download: what mobile coverage's check of the operators'
// claims reads (spec/mobile.md, "Offered against experienced").
func (s *Store) MobileSquares(ctx context.Context, p Period) ([]SquareMedian, error) {
	rows, err := s.pool.Query(ctx, sqlMobileSquares, p.From, p.To, MinPublished)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: mobile squares: %w", err))
	}
	defer rows.Close()
	var out []SquareMedian
	for rows.Next() {
		m := SquareMedian{Square: geo.Square{Size: geo.SquareSize}}
		if err := rows.Scan(&m.Square.E, &m.Square.N, &m.Count, &m.MedianDown); err != nil {
			return nil, fmt.Errorf("measure: mobile squares: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(fmt.Errorf("measure: mobile squares: %w", err))
	}
	return out, nil
}
