package coverage

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// pointColumns are the columns a point is copied into address_points_loading with.
var pointColumns = []string{
	"snapshot_id", "address_id", "municipality_code", "geom", "households", "workplaces", "holiday_homes",
	"street", "number", "postcode", "locality", "best_fixed_mbps", "best_fixed_technology", "best_fixed_operator",
	"best_any_mbps", "planned_mbps", "planned_year", "inside_municipality", "offers", "line", "offer_lines",
}

// registerTypes teaches the connection gigakoll's enums and the offer
// composite (so COPY writes offers in binary), and PostGIS's geometry, which
// takes EWKB in binary: the bytes pass through as they are.
func registerTypes(ctx context.Context, conn *pgx.Conn) error {
	types, err := conn.LoadTypes(ctx, []string{"technology", "offer_status", "offer", "_offer"})
	if err != nil {
		return fmt.Errorf("load types: %w", err)
	}
	conn.TypeMap().RegisterTypes(types)
	var oid uint32
	if err := conn.QueryRow(ctx, "SELECT 'geometry'::regtype::oid").Scan(&oid); err != nil {
		return fmt.Errorf("find geometry type: %w", err)
	}
	conn.TypeMap().RegisterType(&pgtype.Type{Name: "geometry", OID: oid, Codec: pgtype.ByteaCodec{}})
	return nil
}

// pointSource feeds points to COPY: the folder's as it reads the file, or
// the merged points of refold.
type pointSource struct {
	next     func() *Point
	err      func() error
	snapshot int64
	p        *Point
	vals     [21]any
	ewkb     [25]byte
	offers   []offerValue
	lines    []int32
}

func (s *pointSource) Next() bool {
	s.p = s.next()
	return s.p != nil
}

func (s *pointSource) Values() ([]any, error) {
	p, v := s.p, &s.vals
	v[0], v[1], v[2] = s.snapshot, p.AddressID, p.MunicipalityCode
	v[3] = pointEWKB(s.ewkb[:], p.E, p.N)
	v[4], v[5], v[6] = p.Households, p.Workplaces, p.HolidayHomes
	v[7], v[8], v[9], v[10] = nullString(p.Street), nullString(p.Number), nullString(p.Postcode), nullString(p.Locality)
	v[11] = p.BestFixed
	v[12] = nullString(string(p.BestFixedTech))
	v[13] = nullString(p.BestFixedOperator)
	v[14], v[15], v[16] = p.BestAny, p.Planned, p.PlannedYear
	v[17] = p.Inside
	s.offers = s.offers[:0]
	for i := range p.Offers {
		s.offers = append(s.offers, offerValue{&p.Offers[i]})
	}
	v[18] = s.offers
	v[19] = int32(p.Line)
	// Each offer's line, kept only when they are not consecutive (a point
	// whose rows are scattered in the file, or a field across lines).
	v[20] = nil
	for i, o := range p.Offers {
		if o.Line != p.Line+i {
			s.lines = s.lines[:0]
			for _, o := range p.Offers {
				s.lines = append(s.lines, int32(o.Line))
			}
			v[20] = s.lines
			break
		}
	}
	return v[:], nil
}

func (s *pointSource) Err() error {
	if s.err == nil {
		return nil
	}
	return s.err()
}

// pointEWKB writes a SWEREF 99 TM point as little-endian EWKB with its SRID.
func pointEWKB(b []byte, e, n float64) []byte {
	b[0] = 1                                           // little-endian
	binary.LittleEndian.PutUint32(b[1:], 0x20000000|1) // point, with SRID
	binary.LittleEndian.PutUint32(b[5:], 3006)         // SWEREF 99 TM
	binary.LittleEndian.PutUint64(b[9:], math.Float64bits(e))
	binary.LittleEndian.PutUint64(b[17:], math.Float64bits(n))
	return b[:25]
}

// offerValue is an Offer as the offer composite: technology, status,
// down_mbps, up_mbps, operator, planned_year.
type offerValue struct{ o *Offer }

// IsNull is false: an offer is never NULL.
func (v offerValue) IsNull() bool { return false }

// Index returns the composite's fields in order.
func (v offerValue) Index(i int) any {
	switch i {
	case 0:
		return string(v.o.Technology)
	case 1:
		return nullString(string(v.o.Status))
	case 2:
		return v.o.Down
	case 3:
		return v.o.Up
	case 4:
		return nullString(v.o.Operator)
	case 5:
		return v.o.PlannedYear
	}
	return nil
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
