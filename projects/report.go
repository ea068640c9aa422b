package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/coverage"
)

var sqlReportProjects = mustSQL("report_projects.sql")

// Query selects a projects report.
type Query struct {
	AsOf         time.Time // the snapshot in force that day (coverage.InForce); zero: the latest
	Municipality string    // only the projects reaching into it, and its figures; "": all
	Project      string    // only this project; "": all
	// Full gives the coordinator's figures: nothing withheld. The public
	// (the API without a coordinator's token, the pages) gets the figures of
	// the privacy rule (privacy.go).
	Full bool
}

// Report is the projects report of spec/projects.md ("The projects report,
// as data").
type Report struct {
	AsOf            coverage.Date         `json:"as_of"` // the snapshot's date
	RegisterVersion int                   `json:"register_version"`
	Register        RegisterRef           `json:"register"`
	Snapshot        coverage.SnapshotRef  `json:"snapshot"`
	Audience        string                `json:"audience"` // "public" or "full" (the coordinator's)
	Projects        []ProjectReport       `json:"projects"`
	Areas           []AreaReport          `json:"areas"`
	CostModel       []CostEntry           `json:"cost_model"`
	Notes           []string              `json:"notes"`
	Targets         []coverage.TargetInfo `json:"targets"`
}

// RegisterRef names the register a report was computed from.
type RegisterRef struct {
	Version    int       `json:"version"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
}

// ProjectReport is one project with its figures. Household figures are
// null when withheld (privacy.go).
type ProjectReport struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	Owner                string        `json:"owner"`
	Status               Status        `json:"status"`
	StartYear            *int          `json:"start_year"`
	CompletionYear       *int          `json:"completion_year"`
	DownMbps             float64       `json:"down_mbps"`
	CostSEK              *float64      `json:"cost_sek"`
	FundingSEK           float64       `json:"funding_sek"`
	PublicFundingSEK     float64       `json:"public_funding_sek"`
	PublicShare          *float64      `json:"public_share"` // of the funding; null without funding
	Funding              []Funding     `json:"funding"`
	Points               *int64        `json:"points"`
	Households           *int64        `json:"households"`
	Workplaces           int64         `json:"workplaces"`
	HolidayHomes         int64         `json:"holiday_homes"`
	GapHouseholds        *int64        `json:"gap_households"`
	GapWorkplaces        int64         `json:"gap_workplaces"`
	CostPerConnectionSEK *float64      `json:"cost_per_connection_sek"`
	Delivered            *float64      `json:"delivered"`
	Flagged              bool          `json:"flagged"`
	Withheld             bool          `json:"withheld"`
	Municipalities       []ProjectPart `json:"municipalities"`
	BBox                 [4]float64    `json:"bbox"` // WGS 84: west, south, east, north
	figures              Figures       // unmasked
	parts                []ProjectPart // unmasked
	cost                 *big.Rat
}

// ProjectPart is a project's figures in one municipality.
type ProjectPart struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Points        *int64 `json:"points"`
	Households    *int64 `json:"households"`
	Workplaces    int64  `json:"workplaces"`
	HolidayHomes  int64  `json:"holiday_homes"`
	GapHouseholds *int64 `json:"gap_households"`
	GapWorkplaces int64  `json:"gap_workplaces"`
}

// AreaReport is a municipality or the county.
type AreaReport struct {
	Kind                string       `json:"kind"`
	Code                string       `json:"code"`
	Name                string       `json:"name"`
	Projects            int          `json:"projects"` // active projects reaching into it
	WhiteSpotPoints     int64        `json:"white_spot_points"`
	WhiteSpotHouseholds int64        `json:"white_spot_households"`
	WhiteSpotWorkplaces int64        `json:"white_spot_workplaces"`
	EstimatedCostSEK    float64      `json:"estimated_cost_sek"`
	Targets             []AreaTarget `json:"targets"`
	CostCurve           Curve        `json:"cost_curve"`
}

// AreaTarget is one fixed target for an area: the share today (coverage's)
// and the forecast with projects beside it.
type AreaTarget struct {
	ID                   string   `json:"id"`
	Year                 int      `json:"year"`
	ClassMbps            int      `json:"class_mbps"`
	Threshold            float64  `json:"threshold"`
	Share                *float64 `json:"share"`
	Met                  bool     `json:"met"`
	ForecastWithProjects *float64 `json:"forecast_with_projects"`
}

// ForecastLabel says what forecast_with_projects is, wherever it is shown.
const ForecastLabel = "forecast with projects: the share if every active project due by the target's year gave its class to every address point in its area; it never decides met"

// Report computes the projects report from the stored figures.
// ErrNoRegister without a register, coverage.ErrNoSnapshot without a
// snapshot in force, ErrBuilding while the figures are being built. It
// reads in one transaction (coverage.Store.View, the request's read
// replica or the primary): the snapshot, the register and their figures
// are of one state, whatever is imported meanwhile.
func (s *Store) Report(ctx context.Context, q Query) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rep *Report
	err := s.coverage.View(ctx, func(ctx context.Context) error {
		var err error
		rep, err = s.viewReport(ctx, q)
		return err
	})
	if errors.Is(err, ErrBuilding) {
		s.SyncInBackground()
	}
	return rep, err
}

// viewReport is Report inside its View.
func (s *Store) viewReport(ctx context.Context, q Query) (*Report, error) {
	snap, err := s.coverage.SnapshotInForce(ctx, q.AsOf)
	if err != nil {
		return nil, err
	}
	// What the answer depends on, in one small query: the register in force
	// and when its figures against the snapshot were built.
	var version *int
	var builtAt *time.Time
	if err := s.reader(ctx).QueryRow(ctx, `SELECT r.version, b.built_at FROM (SELECT max(version) AS version FROM project_registers) r
		LEFT JOIN project_builds b ON b.register_version = r.version AND b.snapshot_id = $1`, snap.ID).Scan(&version, &builtAt); err != nil {
		return nil, fmt.Errorf("projects report: %w", err)
	}
	switch {
	case version == nil:
		return nil, ErrNoRegister
	case builtAt == nil:
		return nil, ErrBuilding
	}
	key := fmt.Sprintf("%d\x00%d\x00%d\x00%s\x00%s\x00%t", *version, snap.ID, builtAt.UnixNano(), q.Municipality, q.Project, q.Full)
	if rep, ok := s.reports.Get(key); ok {
		return rep, nil
	}
	rep, err := s.report(ctx, q, snap)
	if err == nil {
		s.reports.Add(key, rep)
	}
	return rep, err
}

// report computes the report against snap.
func (s *Store) report(ctx context.Context, q Query, snap coverage.Snapshot) (*Report, error) {
	cov, err := s.coverage.TargetsReport(ctx, coverage.ReportQuery{AsOf: snap.AsOf, Municipality: q.Municipality})
	if err != nil {
		return nil, err
	}
	aud := audiencePublic
	if q.Full {
		aud = audienceFull
	}
	rep := &Report{AsOf: coverage.Date(snap.AsOf), Snapshot: coverage.SnapshotRef{ID: snap.ID, Source: snap.Source},
		Audience: string(aud), Projects: []ProjectReport{}, Targets: cov.Targets,
		Notes: []string{
			"a project's counts are over its whole area; an address point in several active projects counts once, for the earliest completion_year, in the figures of municipalities and counties",
			"gap: address points lacking the project's class (down_mbps) at the snapshot; cost_per_connection_sek = cost_sek / (gap_households + gap_workplaces)",
			"delivered: for a completed project whose completion_year is before the snapshot's year, the share of its address points with its class; below 0.9 it is flagged",
			ForecastLabel,
			"white spots: households and workplaces lacking 1 Gbit/s in no active project",
			"estimated cost: per white spot connection_sek + trench_sek_per_m × min(distance to the nearest point with 1 Gbit/s, max_trench_m), urban and rural apart; the cost model's figures are assumptions",
			"cost curve: the address points no active project brings to 1 Gbit/s, cheapest per household and workplace first, added to what has 1 Gbit/s today or from a project",
			"privacy: the household figures of a project that would single out fewer than 5 households are withheld (null) for the public, and such a project does not count in the public figures of its municipality and county",
		}}
	model, err := s.CostModel(ctx)
	if err != nil {
		return nil, err
	}
	rep.CostModel = model.Entries
	err = func() error {
		tx, ok := coverage.InView(ctx)
		if !ok {
			return errors.New("read outside a view")
		}
		reg, err := registerInForce(ctx, tx)
		if err != nil {
			return err
		}
		rep.RegisterVersion = reg.Version
		rep.Register = RegisterRef{Version: reg.Version, Source: reg.Source, ImportedAt: reg.ImportedAt.UTC()}
		var built bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT FROM project_builds WHERE register_version = $1 AND snapshot_id = $2)",
			reg.Version, snap.ID).Scan(&built); err != nil {
			return err
		}
		if !built {
			return ErrBuilding
		}
		names := map[string]string{}
		for _, a := range cov.Areas {
			names[a.Code] = a.Name
		}
		if rep.Projects, err = readProjects(ctx, tx, reg.Version, snap, q, names); err != nil {
			return err
		}
		rep.Areas, err = readAreas(ctx, tx, reg.Version, snap.ID, aud, cov)
		return err
	}()
	if errors.Is(err, ErrNoRegister) || errors.Is(err, ErrBuilding) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("projects report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	if q.Project != "" && len(rep.Projects) == 0 {
		return nil, ErrUnknownProject
	}
	return rep, nil
}

func readProjects(ctx context.Context, tx pgx.Tx, version int, snap coverage.Snapshot, q Query, names map[string]string) ([]ProjectReport, error) {
	rows, err := tx.Query(ctx, sqlReportProjects, version, snap.ID, q.Municipality, q.Project)
	if err != nil {
		return nil, fmt.Errorf("read projects: %w", err)
	}
	defer rows.Close()
	out := []ProjectReport{}
	for rows.Next() {
		var (
			p                     ProjectReport
			status, down          string
			cost, funding, public *string
			munis                 []string
			fundJSON, partsJSON   []byte
			f                     Figures
			withheld              bool
		)
		if err := rows.Scan(&p.ID, &p.Name, &p.Owner, &status, &p.StartYear, &p.CompletionYear, &down, &cost, &funding,
			&public, &munis, &fundJSON, &p.BBox[0], &p.BBox[1], &p.BBox[2], &p.BBox[3],
			&f.Points, &f.Households, &f.Workplaces, &f.HolidayHomes, &f.GapPoints, &f.GapHouseholds, &f.GapWorkplaces,
			&f.PointsWithClass, &withheld, &partsJSON); err != nil {
			return nil, fmt.Errorf("read projects: %w", err)
		}
		p.Status = Status(status)
		if d := parseRat(&down); d != nil {
			p.DownMbps, _ = d.Float64()
		}
		p.cost = parseRat(cost)
		p.CostSEK = ratFloat(p.cost)
		fund, pub := parseRat(funding), parseRat(public)
		p.FundingSEK, _ = fund.Float64()
		p.PublicFundingSEK, _ = pub.Float64()
		if fund.Sign() > 0 {
			p.PublicShare = ratFloat(new(big.Rat).Quo(pub, fund))
		}
		if err := json.Unmarshal(fundJSON, &p.Funding); err != nil {
			return nil, err
		}
		var parts []struct {
			Code          string `json:"code"`
			Points        int64  `json:"points"`
			Households    int64  `json:"households"`
			Workplaces    int64  `json:"workplaces"`
			HolidayHomes  int64  `json:"holiday_homes"`
			GapHouseholds int64  `json:"gap_households"`
			GapWorkplaces int64  `json:"gap_workplaces"`
		}
		if err := json.Unmarshal(partsJSON, &parts); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, x := range parts {
			seen[x.Code] = true
			p.parts = append(p.parts, ProjectPart{Code: x.Code, Name: names[x.Code], Points: ptr(x.Points),
				Households: ptr(x.Households), Workplaces: x.Workplaces, HolidayHomes: x.HolidayHomes,
				GapHouseholds: ptr(x.GapHouseholds), GapWorkplaces: x.GapWorkplaces})
		}
		for _, m := range munis { // reached by its area, without address points there
			if !seen[m] {
				zero := int64(0)
				p.parts = append(p.parts, ProjectPart{Code: m, Name: names[m], Points: &zero, Households: &zero, GapHouseholds: &zero})
			}
		}
		p.figures, p.Withheld = f, withheld
		p.fill(snap.AsOf.Year(), q.Full)
		out = append(out, p)
	}
	return out, rows.Err()
}

func ptr(n int64) *int64 { return &n }

// fill computes the derived figures and applies the privacy rule.
func (p *ProjectReport) fill(snapshotYear int, full bool) {
	f := p.figures
	p.Workplaces, p.HolidayHomes, p.GapWorkplaces = f.Workplaces, f.HolidayHomes, f.GapWorkplaces
	if p.cost != nil && f.GapHouseholds+f.GapWorkplaces > 0 {
		per := new(big.Rat).Quo(p.cost, new(big.Rat).SetInt64(f.GapHouseholds+f.GapWorkplaces))
		v, _ := new(big.Rat).SetString(per.FloatString(2))
		p.CostPerConnectionSEK = ratFloat(v)
	}
	if p.Status == Completed && p.CompletionYear != nil && *p.CompletionYear < snapshotYear && f.Points > 0 {
		p.Delivered = coverage.Share(f.PointsWithClass, f.Points)
		p.Flagged = f.PointsWithClass*10 < 9*f.Points // below 90 %, exactly
	}
	p.Municipalities = p.parts
	if p.Municipalities == nil {
		p.Municipalities = []ProjectPart{}
	}
	if !p.Withheld || full {
		p.Points, p.Households, p.GapHouseholds = ptr(f.Points), ptr(f.Households), ptr(f.GapHouseholds)
		return
	}
	p.CostPerConnectionSEK, p.Delivered, p.Flagged = nil, nil, false
	masked := make([]ProjectPart, len(p.parts))
	for i, x := range p.parts {
		masked[i] = ProjectPart{Code: x.Code, Name: x.Name, Workplaces: x.Workplaces, HolidayHomes: x.HolidayHomes,
			GapWorkplaces: x.GapWorkplaces}
	}
	p.Municipalities = masked
}

func readAreas(ctx context.Context, tx pgx.Tx, version int, snapshot int64, aud audience, cov *coverage.TargetsReport) ([]AreaReport, error) {
	rows, err := tx.Query(ctx, `SELECT kind, code, projects, white_spot_points, white_spot_households, white_spot_workplaces,
		estimated_cost_sek::float8, curve FROM project_area_figures
		WHERE register_version = $1 AND snapshot_id = $2 AND audience = $3`, version, snapshot, string(aud))
	if err != nil {
		return nil, fmt.Errorf("read area figures: %w", err)
	}
	byKey := map[areaKey]*AreaReport{}
	var (
		k     areaKey
		a     AreaReport
		curve []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&k.kind, &k.code, &a.Projects, &a.WhiteSpotPoints, &a.WhiteSpotHouseholds,
		&a.WhiteSpotWorkplaces, &a.EstimatedCostSEK, &curve}, func() error {
		x := a
		if err := json.Unmarshal(curve, &x.CostCurve); err != nil {
			return err
		}
		byKey[k] = &x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read area figures: %w", err)
	}
	gains := map[areaKey][]gainRow{}
	rows, err = tx.Query(ctx, `SELECT kind, code, class_mbps, year, households, workplaces FROM project_area_gains
		WHERE register_version = $1 AND snapshot_id = $2 AND audience = $3`, version, snapshot, string(aud))
	if err != nil {
		return nil, fmt.Errorf("read area gains: %w", err)
	}
	var g gainRow
	_, err = pgx.ForEachRow(rows, []any{&k.kind, &k.code, &g.class, &g.year, &g.households, &g.workplaces}, func() error {
		gains[k] = append(gains[k], g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read area gains: %w", err)
	}
	out := []AreaReport{}
	for _, ca := range cov.Areas {
		key := areaKey{ca.Kind, ca.Code}
		a := AreaReport{Kind: ca.Kind, Code: ca.Code, Name: ca.Name, Targets: []AreaTarget{}}
		if f := byKey[key]; f != nil {
			a = *f
			a.Kind, a.Code, a.Name, a.Targets = ca.Kind, ca.Code, ca.Name, []AreaTarget{}
		}
		for _, t := range ca.Targets {
			a.Targets = append(a.Targets, AreaTarget{ID: t.ID, Year: t.Year, ClassMbps: t.ClassMbps, Threshold: t.Threshold,
				Share: t.Share, Met: t.Met, ForecastWithProjects: forecastWithProjects(ca, t, gains[key])})
		}
		out = append(out, a)
	}
	return out, nil
}

type gainRow struct {
	class                  int
	year                   int
	households, workplaces int64
}

// forecastWithProjects is the targets' combined share if every active
// project due by the target's year gave its class to every address point
// in its area: what has the class today plus the gains by then.
func forecastWithProjects(a coverage.AreaReport, t coverage.TargetResult, gains []gainRow) *float64 {
	cl := coverage.Class(t.ClassMbps)
	covered := a.Households.At(cl) + a.Workplaces.At(cl)
	for _, g := range gains {
		if g.class == t.ClassMbps && g.year <= t.Year {
			covered += g.households + g.workplaces
		}
	}
	return coverage.Share(covered, a.HouseholdsTotal+a.WorkplacesTotal)
}

// SyncInBackground starts Sync unless one is running: the figures a read
// found missing are built while the reader is told to come back.
func (s *Store) SyncInBackground() {
	s.mu.Lock()
	if s.syncing {
		s.mu.Unlock()
		return
	}
	s.syncing = true
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			s.syncing = false
			s.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		if _, err := s.Sync(ctx); err != nil {
			s.log.Error("project figures not built", "err", err)
		}
	}()
}
