package ogc

import (
	"context"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/mobile"
)

// The mobile collection: the squares of the mobile snapshots (public: what
// the operators offer in each square, no address data). Its datetime picks
// mobile snapshots by the rule every collection follows (snapshots).

func (s *service) mobileCollection() *collection {
	return &collection{ID: "mobile", Title: "Mobiltäckning",
		Description:  "The operators' mobile coverage per grid square of SWEREF 99 TM (100 or 250 m, size_m): the best class outdoors and indoors over every operator and technology (outdoor_mbps, indoor_mbps: 0, 10, 30 or 100), 5G, the operators with at least 10 Mbit/s outdoors, the best speed outdoors, and each operator's offer (operator_offers). datetime picks the mobile snapshots (spec/mobile.md). Public: the squares carry no address data.",
		Columns:      []string{"square", "municipality_code", "outdoor_mbps", "indoor_mbps", "fiveg", "operators", "best_outdoor_mbps"},
		GeometryType: "Polygon", Properties: mobileProperties, // no queryables: a filter is refused
		count: s.countMobile, each: s.eachMobile, snapshots: s.mobileSnapshots, bbox: s.mobileExtent}
}

// mobileProperties describe the mobile squares' properties (the schema).
var mobileProperties = []property{
	{Name: "as_of", Type: "string", Format: "date", Description: "the mobile snapshot's date"},
	prop("square", "string", "the grid square, e.g. 250m-E583000-N6280250"),
	prop("size_m", "integer", "the square's side: 100 or 250 metres"),
	prop("e", "integer", "the square's west edge, SWEREF 99 TM metres"),
	prop("n", "integer", "the square's south edge, SWEREF 99 TM metres"),
	prop("municipality_code", "string", "the municipality holding the square's centre; empty for none"),
	prop("outdoor_mbps", "integer", "the best class outdoors over every operator and technology: 0, 10, 30 or 100 Mbit/s"),
	{Name: "indoor_mbps", Type: "integer", Nullable: true, Description: "the same indoors; null when no row gives an indoor speed"},
	prop("fiveg", "boolean", "some operator offers 5G (above 0 Mbit/s outdoors)"),
	prop("operators", "integer", "operators with at least 10 Mbit/s outdoors"),
	prop("best_outdoor_mbps", "number", "the best speed outdoors, Mbit/s"),
	prop("operator_offers", "array", "each operator's best class outdoors and indoors and 5G: {operator, outdoor_mbps, indoor_mbps, fiveg}"),
}

func (sel selection) mobileFilter() mobile.FeatureFilter {
	return mobile.FeatureFilter{Snapshots: sel.Snapshots, BBox: sel.BBox, BBoxSRID: sel.BBoxSRID, Key: sel.Key,
		Limit: sel.Limit, Offset: sel.Offset, SRID: sel.SRID}
}

// errMobileFilter: the mobile collection has no queryables.
var errMobileFilter = &ParamError{"filter", "no filter: the mobile collection has no queryables"}

func (s *service) countMobile(ctx context.Context, sel selection) (int64, error) {
	if sel.Where != nil {
		return 0, errMobileFilter
	}
	if s.Mobile == nil {
		return 0, nil
	}
	return s.Mobile.CountSquareFeatures(ctx, sel.mobileFilter())
}

// mobileExtent is the WGS 84 box of the snapshots' squares.
func (s *service) mobileExtent(ctx context.Context, snaps []int64, _ []string) ([4]float64, bool, error) {
	if s.Mobile == nil {
		return [4]float64{}, false, nil
	}
	return s.Mobile.Extent(ctx, snaps)
}

func (s *service) eachMobile(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	if sel.Where != nil {
		return 0, errMobileFilter
	}
	if s.Mobile == nil {
		return 0, nil
	}
	return s.Mobile.EachSquareFeature(ctx, sel.mobileFilter(), func(q *mobile.SquareFeature) error {
		day := q.AsOf.Format(time.DateOnly)
		offers := q.Offers
		if offers == nil {
			offers = []mobile.OperatorOfferNamed{}
		}
		props := map[string]any{
			"as_of": day, "square": q.Square.ID(), "size_m": q.Square.Size, "e": q.Square.E, "n": q.Square.N,
			"municipality_code": q.Municipality, "outdoor_mbps": q.Outdoor, "indoor_mbps": q.Indoor, "fiveg": q.FiveG,
			"operators": q.Operators, "best_outdoor_mbps": q.BestMbps, "operator_offers": offers,
		}
		return fn(feature{Type: "Feature", ID: day + "." + q.Square.ID(), Geometry: q.Geometry, Properties: props})
	})
}

// mobileSnapshots maps datetime to mobile snapshots as snapshots does to
// coverage ones: none given, the latest; an instant, the one in force then;
// an interval, every one inside it.
func (s *service) mobileSnapshots(ctx context.Context, datetime string) ([]snapshotRef, error) {
	if s.Mobile == nil {
		return nil, nil
	}
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	all, err := s.Mobile.Snapshots(ctx) // oldest first
	if err != nil {
		return nil, err
	}
	var out []snapshotRef
	ref := func(sn mobile.Snapshot) snapshotRef { return snapshotRef{sn.ID, sn.AsOf} }
	if from, to, ok := strings.Cut(datetime, "/"); ok {
		lo, err := parseTime(from, time.Time{})
		if err != nil {
			return nil, err
		}
		hi, err := parseTime(to, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, err
		}
		for _, sn := range all {
			if !sn.AsOf.Before(dayOf(lo)) && !sn.AsOf.After(hi) {
				out = append(out, ref(sn))
			}
		}
		return out, nil
	}
	var at time.Time
	if datetime != "" {
		if at, err = parseTime(datetime, time.Time{}); err != nil || at.IsZero() {
			return nil, &ParamError{"datetime", "a date or date-time (RFC 3339), or an interval a/b with .. for an open end"}
		}
	}
	if sn, ok := mobile.InForce(all, at); ok {
		out = append(out, ref(sn))
	}
	return out, nil
}
