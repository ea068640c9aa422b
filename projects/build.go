package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/replicas"
)

// RulesVersion is the version of the rules that build the figures: a build
// made by older rules is rebuilt by Sync (gigakoll migrate and serve run
// it). Bump it when a rule of compute.go, curve.go or privacy.go changes.
const RulesVersion = 1

var sqlLoadProjects = mustSQL("load_projects.sql")

// loadProjects reads a register's projects in file order, with their areas
// as WKB in SWEREF 99 TM.
func loadProjects(ctx context.Context, q querier, version int) ([]Project, [][]byte, error) {
	rows, err := q.Query(ctx, sqlLoadProjects, version)
	if err != nil {
		return nil, nil, fmt.Errorf("projects: read register %d: %w", version, err)
	}
	defer rows.Close()
	var out []Project
	var areas [][]byte
	for rows.Next() {
		var p Project
		var wkb []byte
		var cost, funding, public *string
		var status string
		var fundJSON []byte
		if err := rows.Scan(&p.ID, &p.Feature, &p.Name, &p.Owner, &status, &p.StartYear, &p.CompletionYear, &p.Down,
			&cost, &funding, &public, &p.Municipalities, &fundJSON, &wkb); err != nil {
			return nil, nil, fmt.Errorf("projects: read register %d: %w", version, err)
		}
		p.Status = Status(status)
		p.CostSEK, p.FundingSEK, p.PublicSEK = parseRat(cost), parseRat(funding), parseRat(public)
		if err := json.Unmarshal(fundJSON, &p.Funding); err != nil {
			return nil, nil, fmt.Errorf("projects: read register %d: funding of %s: %w", version, p.ID, err)
		}
		out = append(out, p)
		areas = append(areas, wkb)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("projects: read register %d: %w", version, err)
	}
	return out, areas, nil
}

// build computes the figures of register version against the snapshot and
// stores them, replacing an earlier build of the pair, in tx.
func (s *Store) build(ctx context.Context, tx pgx.Tx, version int, snap coverage.Snapshot, log *slog.Logger) error {
	start := time.Now()
	projects, areas, err := loadProjects(ctx, tx, version)
	if err != nil {
		return err
	}
	model, err := loadCostModel(ctx, tx)
	if err != nil {
		return err
	}
	comp := newComputation(projects)
	if _, err := s.coverage.EachPointInAreas(ctx, snap.ID, areas, func(p *coverage.AreaPoint) error {
		comp.addPoint(p)
		return nil
	}); err != nil {
		return err
	}
	comp.decideWithheld()
	rep, err := s.coverage.TargetsReport(ctx, coverage.ReportQuery{AsOf: snap.AsOf})
	if err != nil {
		return err
	}
	var totals []AreaTotals
	for _, a := range rep.Areas {
		totals = append(totals, AreaTotals{Key: areaKey{a.Kind, a.Code}, Households: a.HouseholdsTotal,
			Workplaces: a.WorkplacesTotal, Covered1G: a.Households.GE1000 + a.Workplaces.GE1000})
	}
	gaps, err := readGapPoints(ctx, tx, snap.ID)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM project_builds WHERE register_version = $1 AND snapshot_id = $2;`, version, snap.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO project_builds (register_version, snapshot_id, snapshot_as_of, rules_version, cost_model)
		VALUES ($1, $2, $3, $4, $5)`, version, snap.ID, snap.AsOf, RulesVersion, model.Digest()); err != nil {
		return err
	}
	if err := writeProjectFigures(ctx, tx, version, snap.ID, comp); err != nil {
		return err
	}
	for _, aud := range []audience{audienceFull, audiencePublic} {
		if err := writeAreaFigures(ctx, tx, version, snap.ID, aud, comp.areaFigures(aud, gaps, totals, model), comp.gains(aud)); err != nil {
			return err
		}
	}
	log.Info("project figures built", "register", version, "as_of", snap.AsOf.Format(time.DateOnly),
		"projects", len(projects), "points_lacking_in_projects", len(comp.lack), "gap_points", len(gaps),
		"seconds", time.Since(start).Seconds())
	return nil
}

func readGapPoints(ctx context.Context, q querier, snapshot int64) ([]GapPoint, error) {
	rows, err := q.Query(ctx, `SELECT address_id, municipality_code, households, workplaces, urban, distance_m
		FROM project_gap_points WHERE snapshot_id = $1`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("projects: read gap points: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (GapPoint, error) {
		var g GapPoint
		return g, r.Scan(&g.AddressID, &g.Municipality, &g.Households, &g.Workplaces, &g.Urban, &g.DistanceM)
	})
	if err != nil {
		return nil, fmt.Errorf("projects: read gap points: %w", err)
	}
	return out, nil
}

func writeProjectFigures(ctx context.Context, tx pgx.Tx, version int, snapshot int64, c *computation) error {
	var rows [][]any
	row := func(p *Project, muni string, f Figures, withheld bool) {
		rows = append(rows, []any{int32(version), snapshot, p.ID, muni, f.Points, f.Households, f.Workplaces, f.HolidayHomes,
			f.GapPoints, f.GapHouseholds, f.GapWorkplaces, f.PointsWithClass, withheld})
	}
	for a := range c.projects {
		p := &c.projects[a]
		row(p, "", c.total[a], c.withheld[a])
		for muni, f := range c.parts[a] {
			row(p, muni, *f, c.withheld[a])
		}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"project_figures"}, []string{"register_version", "snapshot_id", "project_id",
		"municipality_code", "points", "households", "workplaces", "holiday_homes", "gap_points", "gap_households",
		"gap_workplaces", "points_with_class", "withheld"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("store project figures: %w", err)
	}
	return nil
}

func writeAreaFigures(ctx context.Context, tx pgx.Tx, version int, snapshot int64, aud audience,
	areas map[areaKey]*AreaFigures, gains map[gainKey]*hw) error {
	var rows [][]any
	for k, f := range areas {
		curve, err := json.Marshal(f.Curve)
		if err != nil {
			return err
		}
		rows = append(rows, []any{int32(version), snapshot, string(aud), k.kind, k.code, int32(f.Projects), f.WhiteSpotPoints,
			f.WhiteSpotHouseholds, f.WhiteSpotWorkplaces, fmt.Sprintf("%.0f", f.EstimatedCostSEK), string(curve)})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"project_area_figures"}, []string{"register_version", "snapshot_id", "audience",
		"kind", "code", "projects", "white_spot_points", "white_spot_households", "white_spot_workplaces",
		"estimated_cost_sek", "curve"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("store area figures: %w", err)
	}
	rows = rows[:0]
	for k, g := range gains {
		rows = append(rows, []any{int32(version), snapshot, string(aud), k.area.kind, k.area.code, int32(k.class),
			int16(k.year), g.households, g.workplaces})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"project_area_gains"}, []string{"register_version", "snapshot_id", "audience",
		"kind", "code", "class_mbps", "year", "households", "workplaces"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("store area gains: %w", err)
	}
	return nil
}

// ensureGapSets keeps, for every snapshot, coverage's points lacking
// 1 Gbit/s with their distance to the nearest point that has it (the
// nearest-neighbour search is the slow part of a build, and does not depend
// on the register or the cost model), and drops those of snapshots gone.
func (s *Store) ensureGapSets(ctx context.Context, snaps []coverage.Snapshot) error {
	ids := make([]int64, len(snaps))
	for i, sn := range snaps {
		ids[i] = sn.ID
	}
	if err := s.pruneGapSets(ctx, ids); err != nil {
		return err
	}
	for _, sn := range snaps {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('gigakoll projects gap points'), $1::int4)", int32(sn.ID)); err != nil {
				return err
			}
			var there bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT FROM project_gap_sets WHERE snapshot_id = $1)", sn.ID).Scan(&there); err != nil || there {
				return err
			}
			start := time.Now()
			var rows [][]any
			_, err := s.coverage.EachGigabitGapPoint(ctx, sn.ID, func(p *coverage.GigabitGapPoint) error {
				rows = append(rows, []any{sn.ID, p.AddressID, p.Municipality, int32(p.Households), int32(p.Workplaces), p.Urban, p.DistanceM})
				return nil
			})
			if err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"project_gap_points"}, []string{"snapshot_id", "address_id",
				"municipality_code", "households", "workplaces", "urban", "distance_m"}, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO project_gap_sets (snapshot_id, points) VALUES ($1, $2)", sn.ID, len(rows)); err != nil {
				return err
			}
			s.log.Info("gap points kept for the project figures", "as_of", sn.AsOf.Format(time.DateOnly), "points", len(rows),
				"seconds", time.Since(start).Seconds())
			return nil
		})
		if err != nil {
			return fmt.Errorf("projects: gap points of %s: %w", sn.AsOf.Format(time.DateOnly), err)
		}
	}
	return nil
}

// pruneGapSets drops the gap points of snapshots that are gone (ids are
// the snapshots there are).
func (s *Store) pruneGapSets(ctx context.Context, ids []int64) error {
	for _, q := range []string{"DELETE FROM project_gap_points WHERE snapshot_id <> ALL ($1)",
		"DELETE FROM project_gap_sets WHERE snapshot_id <> ALL ($1)"} {
		if _, err := s.pool.Exec(ctx, q, ids); err != nil {
			return fmt.Errorf("projects: drop gap points of deleted snapshots: %w", err)
		}
	}
	return nil
}

// Sync brings the figures of the register in force up to date with the
// snapshots: it builds those missing (a snapshot imported or replaced since),
// rebuilds those made by older rules or another cost model, and drops those
// of snapshots deleted. coverage.Store.OnChange runs it after every import
// and deletion; gigakoll migrate and serve run it at start. It returns the
// dates it built.
func (s *Store) Sync(ctx context.Context) ([]time.Time, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	// Builds read coverage on the primary: a read replica behind would have
	// the figures of a snapshot just imported dropped as if it were deleted.
	ctx = replicas.OnPrimary(ctx)
	snaps, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(snaps))
	for i, sn := range snaps {
		ids[i] = sn.ID
	}
	if _, err := s.pool.Exec(ctx, "DELETE FROM project_builds WHERE snapshot_id <> ALL ($1)", ids); err != nil {
		return nil, fmt.Errorf("projects: drop figures of deleted snapshots: %w", err)
	}
	// Without a register there is nothing to build (and no nearest-gigabit
	// search to make): the first import does it.
	if _, err := registerInForce(ctx, s.pool); errors.Is(err, ErrNoRegister) {
		return nil, s.pruneGapSets(ctx, ids)
	} else if err != nil {
		return nil, err
	}
	if err := s.ensureGapSets(ctx, snaps); err != nil {
		return nil, err
	}
	var built []time.Time
	for _, sn := range snaps {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('gigakoll projects import'))"); err != nil {
				return err
			}
			reg, err := registerInForce(ctx, tx)
			if err != nil {
				return err
			}
			model, err := loadCostModel(ctx, tx)
			if err != nil {
				return err
			}
			var current bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM project_builds WHERE register_version = $1 AND snapshot_id = $2
				AND rules_version = $3 AND cost_model = $4)`, reg.Version, sn.ID, RulesVersion, model.Digest()).Scan(&current); err != nil || current {
				return err
			}
			if err := s.build(ctx, tx, reg.Version, sn, s.log); err != nil {
				return err
			}
			built = append(built, sn.AsOf)
			return nil
		})
		if errors.Is(err, ErrNoRegister) {
			return built, nil
		}
		if err != nil {
			return built, fmt.Errorf("projects: figures of %s: %w", sn.AsOf.Format(time.DateOnly), err)
		}
	}
	return built, nil
}
