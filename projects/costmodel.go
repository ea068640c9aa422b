package projects

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/replicas"
)

// CostEntry is one figure of the cost model: a value with its unit and the
// assumption it stands for, labelled as one wherever it is shown.
type CostEntry struct {
	Key          string     `json:"key"` // "trench_sek_per_m.rural"
	Value        float64    `json:"value"`
	Default      float64    `json:"default"`
	Unit         string     `json:"unit"`
	Assumption   string     `json:"assumption"`
	AssumptionSV string     `json:"assumption_sv"`
	UpdatedAt    *time.Time `json:"updated_at"`
	UpdatedBy    string     `json:"updated_by,omitempty"`
}

// CostModel prices closing the gap at an address point (spec/projects.md):
// connection_sek + trench_sek_per_m × min(d, max_trench_m), where d is the
// distance to the nearest address point with ≥ 1 Gbit/s, urban and rural
// apart. It is data: the coordinator changes it (SetCost).
type CostModel struct {
	Entries []CostEntry
	values  map[string]float64
}

// The keys of the cost model.
const (
	KeyConnectionUrban = "connection_sek.urban"
	KeyConnectionRural = "connection_sek.rural"
	KeyTrenchUrban     = "trench_sek_per_m.urban"
	KeyTrenchRural     = "trench_sek_per_m.rural"
	KeyMaxTrench       = "max_trench_m"
)

// PointCost is the estimated cost of giving one address point 1 Gbit/s:
// its connection and a trench from the nearest point that has it, capped at
// max_trench_m (and that long when no point of the snapshot has 1 Gbit/s).
func (m CostModel) PointCost(urban bool, distanceM *float64) float64 {
	conn, trench := m.values[KeyConnectionRural], m.values[KeyTrenchRural]
	if urban {
		conn, trench = m.values[KeyConnectionUrban], m.values[KeyTrenchUrban]
	}
	d := m.values[KeyMaxTrench]
	if distanceM != nil {
		d = math.Min(*distanceM, d)
	}
	return conn + trench*d
}

// Digest names the model's values: a build made with other values is
// rebuilt.
func (m CostModel) Digest() string {
	h := sha256.New()
	for _, e := range m.Entries {
		fmt.Fprintf(h, "%s=%s\x00", e.Key, strconv.FormatFloat(e.Value, 'g', -1, 64))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// NewCostModel makes a model of entries (tests, and what the table holds).
func NewCostModel(entries []CostEntry) CostModel {
	m := CostModel{Entries: entries, values: map[string]float64{}}
	for _, e := range entries {
		m.values[e.Key] = e.Value
	}
	return m
}

func loadCostModel(ctx context.Context, q querier) (CostModel, error) {
	rows, err := q.Query(ctx, `SELECT key, value::float8, default_value::float8, unit, assumption, assumption_sv, updated_at,
		coalesce(updated_by, '') FROM project_cost_model ORDER BY sort_order, key`)
	if err != nil {
		return CostModel{}, fmt.Errorf("projects: read the cost model: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CostEntry, error) {
		var e CostEntry
		return e, r.Scan(&e.Key, &e.Value, &e.Default, &e.Unit, &e.Assumption, &e.AssumptionSV, &e.UpdatedAt, &e.UpdatedBy)
	})
	if err != nil {
		return CostModel{}, fmt.Errorf("projects: read the cost model: %w", err)
	}
	return NewCostModel(entries), nil
}

// CostModel returns the cost model in force.
func (s *Store) CostModel(ctx context.Context) (CostModel, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return loadCostModel(ctx, s.reader(ctx))
}

// ErrUnknownCostKey says the cost model has no entry of that key.
var ErrUnknownCostKey = errors.New("projects: no such entry in the cost model")

// SetCost changes one entry of the cost model (reset: back to its
// default), and rebuilds the figures of the register in force against every
// snapshot, in one transaction with its audit entry: the new model and the
// figures it gives land together.
func (s *Store) SetCost(ctx context.Context, key string, value float64, reset bool, who auth.Entry) (CostEntry, error) {
	if who.Actor == "" {
		return CostEntry{}, errors.New("projects: set cost: who changes it is not known")
	}
	if !reset && (math.IsNaN(value) || math.IsInf(value, 0) || value < 0) {
		return CostEntry{}, fmt.Errorf("projects: %s: want a value of 0 or more", key)
	}
	ctx = replicas.OnPrimary(ctx) // the figures are rebuilt from the primary's snapshots
	snaps, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return CostEntry{}, err
	}
	if err := s.ensureGapSets(ctx, snaps); err != nil {
		return CostEntry{}, err
	}
	var out CostEntry
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('gigakoll projects import'))"); err != nil {
			return err
		}
		var old float64
		err := tx.QueryRow(ctx, `UPDATE project_cost_model c SET value = CASE WHEN $3 THEN c.default_value ELSE $2 END,
				updated_at = now(), updated_by = $4
			FROM (SELECT key, value AS old FROM project_cost_model WHERE key = $1 FOR UPDATE) o
			WHERE c.key = o.key
			RETURNING o.old::float8, c.key, c.value::float8, c.default_value::float8, c.unit, c.assumption, c.assumption_sv, c.updated_at, c.updated_by`,
			key, value, reset, who.Actor).Scan(&old, &out.Key, &out.Value, &out.Default, &out.Unit, &out.Assumption,
			&out.AssumptionSV, &out.UpdatedAt, &out.UpdatedBy)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrUnknownCostKey
		}
		if err != nil {
			return err
		}
		reg, err := registerInForce(ctx, tx)
		if err == nil {
			for _, sn := range snaps {
				if err := s.build(ctx, tx, reg.Version, sn, s.log); err != nil {
					return fmt.Errorf("rebuild the figures of %s: %w", sn.AsOf.Format(time.DateOnly), err)
				}
			}
		} else if !errors.Is(err, ErrNoRegister) {
			return err
		}
		e := who
		e.Action = auth.ActionCostModel
		e.Detail = fmt.Sprintf("cost model %s: %s → %s %s", key, strconv.FormatFloat(old, 'f', -1, 64),
			strconv.FormatFloat(out.Value, 'f', -1, 64), out.Unit)
		return auth.Record(ctx, tx, e)
	})
	if errors.Is(err, ErrUnknownCostKey) {
		return out, err
	}
	if err != nil {
		return out, fmt.Errorf("projects: set %s: %w", key, err)
	}
	return out, nil
}
