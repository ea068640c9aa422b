package ogc

import (
	"context"
	"time"

	"github.com/gigakoll/gigakoll/projects"
)

// The projects collection: the build-out project register's areas with
// their public figures against the snapshot in force (package projects
// computes them and applies the privacy rule; nothing is computed here).

func (sel selection) projectFilter() projects.FeatureFilter {
	return projects.FeatureFilter{AsOf: sel.AsOf, BBox: sel.BBox, Key: sel.Key, Limit: sel.Limit, Offset: sel.Offset}
}

func (s *service) countProjects(ctx context.Context, sel selection) (int64, error) {
	if s.Projects == nil || len(sel.Snapshots) == 0 {
		return 0, nil
	}
	return s.Projects.CountFeatures(ctx, sel.projectFilter())
}

func (s *service) eachProject(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	if s.Projects == nil || len(sel.Snapshots) == 0 {
		return 0, nil
	}
	return s.Projects.EachFeature(ctx, sel.projectFilter(), func(f *projects.Feature) error {
		p := f.Project
		props := map[string]any{
			"as_of": f.AsOf.Format(time.DateOnly), "id": p.ID, "name": p.Name, "owner": p.Owner, "status": p.Status,
			"start_year": p.StartYear, "completion_year": p.CompletionYear, "down_mbps": p.DownMbps,
			"cost_sek": p.CostSEK, "public_funding_sek": p.PublicFundingSEK, "public_share": p.PublicShare,
			"points": p.Points, "households": p.Households, "workplaces": p.Workplaces, "holiday_homes": p.HolidayHomes,
			"gap_households": p.GapHouseholds, "gap_workplaces": p.GapWorkplaces,
			"cost_per_connection_sek": p.CostPerConnectionSEK, "delivered": p.Delivered, "flagged": p.Flagged,
			"withheld": p.Withheld,
		}
		return fn(feature{Type: "Feature", ID: f.AsOf.Format(time.DateOnly) + "." + p.ID, Geometry: f.Geometry, Properties: props})
	})
}

// latest is the date of the latest of snaps: the projects' figures are
// against one snapshot.
func latest(snaps []snapshotRef) time.Time {
	var t time.Time
	for _, sn := range snaps {
		if sn.AsOf.After(t) {
			t = sn.AsOf
		}
	}
	return t
}
