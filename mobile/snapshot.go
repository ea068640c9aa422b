package mobile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

// Snapshot is one imported mobile coverage file: the operators' coverage as
// of one date.
type Snapshot struct {
	ID         int64
	AsOf       time.Time
	Source     string // the file's name as imported
	SHA256     string // of the file as read
	ImportedAt time.Time
	Size       int64    // the squares' side, metres
	Rows       int64    // file rows (square × operator × technology)
	Squares    int64    // squares in the file
	Operators  []string // in the order of the squares' operator codes
	Counties   []string // the counties holding a square of the file
	Warnings   int
	// CoverageID and CoverageAsOf name the coverage snapshot its people
	// figures were computed against (0 and the zero time: none).
	CoverageID   int64
	CoverageAsOf time.Time
}

const snapshotColumns = `id, as_of, source, sha256, imported_at, size, rows, squares, operators, counties, warnings,
	coalesce(people_coverage_id, 0), coalesce(people_coverage_as_of, '0001-01-01')`

func snapshotDest(s *Snapshot) []any {
	return []any{&s.ID, &s.AsOf, &s.Source, &s.SHA256, &s.ImportedAt, &s.Size, &s.Rows, &s.Squares, &s.Operators,
		&s.Counties, &s.Warnings, &s.CoverageID, &s.CoverageAsOf}
}

// Snapshots lists every mobile snapshot, oldest first.
func (s *Store) Snapshots(ctx context.Context) ([]Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.reader(ctx).Query(ctx, "SELECT "+snapshotColumns+" FROM mobile_snapshots ORDER BY as_of")
	if err != nil {
		return nil, fmt.Errorf("mobile: list snapshots: %w", err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var sn Snapshot
		if err := rows.Scan(snapshotDest(&sn)...); err != nil {
			return nil, fmt.Errorf("mobile: list snapshots: %w", err)
		}
		out = append(out, sn)
	}
	return out, rows.Err()
}

// SnapshotAt returns the mobile snapshot of the date, or the latest when
// asOf is the zero time; ErrNoSnapshot when there is none.
func (s *Store) SnapshotAt(ctx context.Context, asOf time.Time) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	q := "SELECT " + snapshotColumns + " FROM mobile_snapshots WHERE as_of = $1"
	args := []any{asOf}
	if asOf.IsZero() {
		q, args = "SELECT "+snapshotColumns+" FROM mobile_snapshots ORDER BY as_of DESC LIMIT 1", nil
	}
	var sn Snapshot
	err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(snapshotDest(&sn)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Snapshot{}, ErrNoSnapshot
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("mobile: read snapshot: %w", err)
	}
	return sn, nil
}

// DeleteSnapshot removes the mobile snapshot of the date with its squares
// and figures, in one transaction with its audit entry (who deletes: its
// Actor is required). ErrNoSnapshot when there is none.
func (s *Store) DeleteSnapshot(ctx context.Context, asOf time.Time, who auth.Entry) (Snapshot, error) {
	if who.Actor == "" {
		return Snapshot{}, errors.New("mobile: delete snapshot: who deletes is not known")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var sn Snapshot
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "DELETE FROM mobile_snapshots WHERE as_of = $1 RETURNING "+snapshotColumns, asOf).Scan(snapshotDest(&sn)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSnapshot
		}
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, "SELECT mobile_squares_drop($1)", sn.ID); err != nil {
			return err
		}
		e := who
		e.Action, e.SnapshotAsOf, e.Rows = auth.ActionDeleteData, &sn.AsOf, sn.Rows
		e.Detail = fmt.Sprintf("mobile snapshot from %s: %d squares", sn.Source, sn.Squares)
		return auth.Record(ctx, tx, e)
	})
	if errors.Is(err, ErrNoSnapshot) {
		return Snapshot{}, err
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("mobile: delete snapshot %s: %w", asOf.Format(time.DateOnly), err)
	}
	return sn, nil
}

// InForce picks the mobile snapshot in force on a day from snaps (oldest
// first): the latest on or before it, the latest of all for the zero day
// (coverage.InForceAt, the one rule for every kind of snapshot).
func InForce(snaps []Snapshot, day time.Time) (Snapshot, bool) {
	dates := make([]time.Time, len(snaps))
	for i, sn := range snaps {
		dates[i] = sn.AsOf
	}
	if i := coverage.InForceAt(dates, day); i >= 0 {
		return snaps[i], true
	}
	return Snapshot{}, false
}
