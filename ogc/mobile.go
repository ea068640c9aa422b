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
		Description: "The operators' mobile coverage per grid square of SWEREF 99 TM (100 or 250 m, size_m): the best class outdoors and indoors over every operator and technology (outdoor_mbps, indoor_mbps: 0, 10, 30 or 100), 5G, the operators with at least 10 Mbit/s outdoors, the best speed outdoors, and each operator's offer (operator_offers). datetime picks the mobile snapshots (spec/mobile.md). Public: the squares carry no address data.",
		Columns:     []string{"square", "municipality_code", "outdoor_mbps", "indoor_mbps", "fiveg", "operators", "best_outdoor_mbps"},
		count:       s.countMobile, each: s.eachMobile, snapshots: s.mobileSnapshots}
}

func (sel selection) mobileFilter() mobile.FeatureFilter {
	return mobile.FeatureFilter{Snapshots: sel.Snapshots, BBox: sel.BBox, Key: sel.Key, Limit: sel.Limit, Offset: sel.Offset}
}

func (s *service) countMobile(ctx context.Context, sel selection) (int64, error) {
	if s.Mobile == nil {
		return 0, nil
	}
	return s.Mobile.CountSquareFeatures(ctx, sel.mobileFilter())
}

func (s *service) eachMobile(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
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
