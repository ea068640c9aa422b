package mobile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlFeatures      = mustSQL("features.sql")
	sqlFeaturesCount = mustSQL("features_count.sql")
)

// FeatureFilter selects squares for OGC API – Features.
type FeatureFilter struct {
	Snapshots     []int64
	BBox          *[4]float64 // min x, min y, max x, max y in BBoxSRID; nil: none
	BBoxSRID      int         // of BBox: 4326 (lon, lat: 0 too) or 3006 (easting, northing)
	Limit, Offset int         // Limit 0: all
	Key           string      // one square ("250m-E583000-N6280250"); "": all
	SRID          int         // of the geometries: 4326 (0) or 3006, in its own axis order (northing, easting)
}

func or4326(srid int) int {
	if srid == 0 {
		return 4326
	}
	return srid
}

func (f FeatureFilter) args() (bbox [4]any, key [2]any, limit any, srid int, err error) {
	if f.BBox != nil {
		for i, v := range f.BBox {
			bbox[i] = v
		}
	}
	if f.Key != "" {
		sq, perr := geo.ParseSquareID(f.Key)
		if perr != nil {
			return bbox, key, nil, 0, perr
		}
		key = [2]any{int32(sq.E), int32(sq.N)}
	}
	if f.Limit > 0 {
		limit = f.Limit
	}
	srid = f.SRID
	if srid == 0 {
		srid = 4326
	}
	return bbox, key, limit, srid, nil
}

// SquareFeature is one square of a mobile snapshot, as OGC API – Features
// lists it: what the operators offer there, no address data.
type SquareFeature struct {
	AsOf         time.Time
	Square       geo.Square
	Municipality string // holding the centre; "" for none
	Outdoor      int    // best class outdoors, Mbit/s: 0, 10, 30, 100
	Indoor       *int   // the same indoors; nil: no indoor speed given
	FiveG        bool
	Operators    int     // operators with at least 10 Mbit/s outdoors
	BestMbps     float64 // the best speed outdoors
	Offers       []OperatorOfferNamed
	Geometry     json.RawMessage
}

// OperatorOfferNamed is one operator's offer in a square, by name.
type OperatorOfferNamed struct {
	Operator    string `json:"operator"`
	OutdoorMbps int    `json:"outdoor_mbps"`
	IndoorMbps  *int   `json:"indoor_mbps"` // null: not given
	FiveG       bool   `json:"fiveg"`
}

// CountSquareFeatures counts the squares the filter selects.
func (s *Store) CountSquareFeatures(ctx context.Context, f FeatureFilter) (int64, error) {
	bbox, key, _, _, err := f.args()
	if err != nil {
		return 0, nil // no such square
	}
	var n int64
	if err := s.reader(ctx).QueryRow(ctx, sqlFeaturesCount, f.Snapshots, bbox[0], bbox[1], bbox[2], bbox[3], key[0], key[1],
		or4326(f.BBoxSRID)).Scan(&n); err != nil {
		return 0, fmt.Errorf("mobile: count squares: %w", err)
	}
	return n, nil
}

// EachSquareFeature calls fn with each square the filter selects, by date
// and corner, as PostgreSQL sends them; it returns how many.
func (s *Store) EachSquareFeature(ctx context.Context, f FeatureFilter, fn func(*SquareFeature) error) (int64, error) {
	bbox, key, limit, srid, err := f.args()
	if err != nil {
		return 0, nil
	}
	rows, err := s.reader(ctx).Query(ctx, sqlFeatures, f.Snapshots, bbox[0], bbox[1], bbox[2], bbox[3], limit, f.Offset, key[0], key[1], srid,
		or4326(f.BBoxSRID))
	if err != nil {
		return 0, fmt.Errorf("mobile: squares: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var q SquareFeature
		var indoor *int16
		var outdoor int16
		var operators int16
		var ops []int32
		var names []string
		if err := rows.Scan(&q.AsOf, &q.Square.E, &q.Square.N, &q.Square.Size, &q.Municipality, &outdoor, &indoor, &q.FiveG,
			&operators, &q.BestMbps, &ops, &names, &q.Geometry); err != nil {
			return n, fmt.Errorf("mobile: squares: %w", err)
		}
		q.Outdoor, q.Operators = int(outdoor), int(operators)
		if indoor != nil {
			v := int(*indoor)
			q.Indoor = &v
		}
		for _, c := range ops {
			o := decodeOp(c)
			named := OperatorOfferNamed{OutdoorMbps: int(o.Outdoor), FiveG: o.FiveG}
			if o.Operator >= 1 && o.Operator <= len(names) {
				named.Operator = names[o.Operator-1]
			}
			if o.IndoorGiven {
				v := int(o.Indoor)
				named.IndoorMbps = &v
			}
			q.Offers = append(q.Offers, named)
		}
		if err := fn(&q); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("mobile: squares: %w", err)
	}
	return n, nil
}

// Extent is the WGS 84 box (west, south, east, north) around the squares of
// the snapshots; false when they hold none.
func (s *Store) Extent(ctx context.Context, snapshots []int64) ([4]float64, bool, error) {
	var b [4]*float64
	err := s.reader(ctx).QueryRow(ctx, `WITH c AS (
			SELECT min(q.e) AS e0, min(q.n) AS n0, max(q.e + ms.size) AS e1, max(q.n + ms.size) AS n1
			FROM mobile_squares q JOIN mobile_snapshots ms ON ms.id = q.snapshot_id
			WHERE q.snapshot_id = ANY ($1::int8[])),
		g AS (SELECT ST_Transform(ST_MakeEnvelope(e0, n0, e1, n1, 3006), 4326) AS g FROM c WHERE e0 IS NOT NULL)
		SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM g`, snapshots).Scan(&b[0], &b[1], &b[2], &b[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return [4]float64{}, false, nil
	}
	if err != nil {
		return [4]float64{}, false, fmt.Errorf("mobile: extent: %w", err)
	}
	return [4]float64{*b[0], *b[1], *b[2], *b[3]}, true, nil
}
