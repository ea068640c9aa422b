package ogc

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gigakoll/gigakoll/projects"
)

// The projects collection: the build-out project register's areas with
// their public figures against the snapshot in force (package projects
// computes them and applies the privacy rule; nothing is computed here).

var projectProperties = []property{asOfProperty,
	prop("id", "string", "the project's id in the register"),
	prop("name", "string", "the project's name"),
	prop("owner", "string", "who builds it (left out when not given)"),
	prop("status", "string", "planned, in_progress, completed or cancelled"),
	prop("start_year", "integer", "the year building starts (left out when not given)"),
	prop("completion_year", "integer", "the year it is to be done (left out for a cancelled project without one)"),
	prop("down_mbps", "number", "the speed it brings, Mbit/s"),
	prop("cost_sek", "number", "its cost, SEK (left out when not given)"),
	prop("public_funding_sek", "number", "its public funding, SEK"),
	prop("public_share", "number", "the public share of its funding, 0–1 (left out without funding)"),
	prop("points", "integer", "address points in its area (left out when withheld)"),
	prop("households", "integer", "households in its area (left out when fewer than 5 would be singled out)"),
	prop("workplaces", "integer", "workplaces in its area"),
	prop("holiday_homes", "integer", "holiday homes in its area"),
	prop("gap_households", "integer", "households in its area without the target's speed today (left out when withheld)"),
	prop("gap_workplaces", "integer", "workplaces in its area without the target's speed today"),
	prop("cost_per_connection_sek", "number", "cost per household and workplace in the gap, SEK (left out when not known)"),
	prop("delivered", "number", "the share of its area that has its speed today, 0–1 (left out when not known)"),
	prop("flagged", "boolean", "the register's checks flagged it"),
	prop("withheld", "boolean", "figures left out by the privacy rule"),
}

func (sel selection) projectFilter() projects.FeatureFilter {
	return projects.FeatureFilter{AsOf: sel.AsOf, BBox: sel.BBox, BBoxSRID: sel.BBoxSRID, Key: sel.Key,
		Where: sel.Where, Limit: sel.Limit, Offset: sel.Offset, SRID: sel.SRID}
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
		day := f.AsOf.Format(time.DateOnly)
		pr := props{"as_of": day, "id": p.ID, "name": p.Name, "status": p.Status,
			"down_mbps": number(p.DownMbps), "public_funding_sek": number(p.PublicFundingSEK),
			"workplaces": p.Workplaces, "holiday_homes": p.HolidayHomes, "gap_workplaces": p.GapWorkplaces,
			"flagged": p.Flagged, "withheld": p.Withheld}
		if p.Owner != "" {
			pr["owner"] = p.Owner
		}
		for k, v := range map[string]*int{"start_year": p.StartYear, "completion_year": p.CompletionYear} {
			if v != nil {
				pr[k] = *v
			}
		}
		for k, v := range map[string]*int64{"points": p.Points, "households": p.Households, "gap_households": p.GapHouseholds} {
			if v != nil {
				pr[k] = *v
			}
		}
		for k, v := range map[string]*float64{"cost_sek": p.CostSEK, "public_share": p.PublicShare,
			"cost_per_connection_sek": p.CostPerConnectionSEK, "delivered": p.Delivered} {
			if v != nil {
				pr[k] = number(*v)
			}
		}
		return fn(feature{Type: "Feature", ID: day + "." + p.ID, Geometry: f.Geometry, Properties: pr})
	})
}

// projectsExtent is the box around the register's areas (public: the same
// for every caller).
func (s *service) projectsExtent(ctx context.Context, _ []int64, _ []string) ([4]float64, bool, error) {
	if s.Projects == nil {
		return [4]float64{}, false, nil
	}
	return s.Projects.Extent(ctx)
}

// projectsStamp names the register in force, which the projects' answers
// change with (their ETags).
func (s *service) projectsStamp(ctx context.Context) (string, error) {
	if s.Projects == nil {
		return "", nil
	}
	reg, err := s.Projects.InForce(ctx)
	if err != nil {
		if errors.Is(err, projects.ErrNoRegister) {
			return "none", nil
		}
		return "", err
	}
	return strconv.Itoa(reg.Version), nil
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
