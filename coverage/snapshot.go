package coverage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/jackc/pgx/v5"
)

// Snapshot is one imported coverage file: the coverage as of one date.
type Snapshot struct {
	ID           int64
	AsOf         time.Time // the survey date, e.g. 2024-10-01
	Source       string    // the file's name as imported
	SHA256       string    // of the file as read
	ImportedAt   time.Time
	Rows         int64 // file rows (address point × technology)
	Points       int64 // address points
	Households   int64
	Workplaces   int64
	HolidayHomes int64
	Warnings     int // imported, counted and listed at import
	Outside      int // points outside their municipality's boundary
}

const snapshotColumns = `id, as_of, source, sha256, imported_at, rows, points, households, workplaces, holiday_homes, warnings, outside`

func snapshotDest(s *Snapshot) []any {
	return []any{&s.ID, &s.AsOf, &s.Source, &s.SHA256, &s.ImportedAt, &s.Rows, &s.Points,
		&s.Households, &s.Workplaces, &s.HolidayHomes, &s.Warnings, &s.Outside}
}

// Snapshots lists every snapshot, oldest first.
func (s *Store) Snapshots(ctx context.Context) ([]Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.reader(ctx).Query(ctx, "SELECT "+snapshotColumns+" FROM snapshots ORDER BY as_of")
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var sn Snapshot
		if err := rows.Scan(snapshotDest(&sn)...); err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		out = append(out, sn)
	}
	return out, rows.Err()
}

// SnapshotAt returns the snapshot of the date, or the latest one when asOf is
// the zero time. ErrNoSnapshot when there is none.
func (s *Store) SnapshotAt(ctx context.Context, asOf time.Time) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	q := "SELECT " + snapshotColumns + " FROM snapshots WHERE as_of = $1"
	args := []any{asOf}
	if asOf.IsZero() {
		q, args = "SELECT "+snapshotColumns+" FROM snapshots ORDER BY as_of DESC LIMIT 1", nil
	}
	var sn Snapshot
	err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(snapshotDest(&sn)...)
	if errors.Is(err, pgx.ErrNoRows) {
		if asOf.IsZero() {
			return Snapshot{}, ErrNoSnapshot
		}
		snaps, err := s.Snapshots(ctx)
		if err != nil {
			return Snapshot{}, err
		}
		return Snapshot{}, MissingSnapshot(asOf, snaps)
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("read snapshot: %w", err)
	}
	return sn, nil
}

// DeleteSnapshot removes the snapshot of the date with its address points and
// aggregates, in one transaction with its audit entry (who says who deletes:
// its Actor is required). ErrNoSnapshot when there is none. The residents'
// address suggestions follow after the commit (see OnChange); their failure
// is returned wrapped, the snapshot being gone.
func (s *Store) DeleteSnapshot(ctx context.Context, asOf time.Time, who auth.Entry) (Snapshot, error) {
	if who.Actor == "" {
		return Snapshot{}, errors.New("coverage: delete snapshot: who deletes is not known")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var sn Snapshot
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "DELETE FROM snapshots WHERE as_of = $1 RETURNING "+snapshotColumns, asOf).Scan(snapshotDest(&sn)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSnapshot
		}
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, "SELECT snapshot_points_drop($1)", sn.ID); err != nil {
			return err
		}
		e := who
		e.Action, e.SnapshotAsOf, e.Rows = auth.ActionDeleteData, &sn.AsOf, sn.Rows
		e.Detail = fmt.Sprintf("coverage snapshot from %s: %d address points", sn.Source, sn.Points)
		return auth.Record(ctx, tx, e)
	})
	if errors.Is(err, ErrNoSnapshot) {
		return Snapshot{}, err
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("delete snapshot %s: %w", asOf.Format(time.DateOnly), err)
	}
	if err := s.notifyChanged(ctx); err != nil {
		return sn, &FollowUpError{Err: err}
	}
	return sn, nil
}

// FollowUpError says that the change landed but the work after it failed:
// the residents' address suggestions were not rebuilt (see OnChange). The
// next import or the next start of gigakoll serve rebuilds them.
type FollowUpError struct{ Err error }

func (e *FollowUpError) Error() string {
	return "the address suggestions were not refreshed (the next import or the next start of gigakoll serve does it): " + e.Err.Error()
}

func (e *FollowUpError) Unwrap() error { return e.Err }

// InForce picks the snapshot in force on a day from snaps (oldest first, as
// Snapshots lists them): the latest whose as_of is on or before the day; the
// zero day picks the latest of all. False when none is in force. Every
// channel that maps a time to a snapshot (OGC's datetime, mobile coverage
// and the project register against their coverage) uses it.
func InForce(snaps []Snapshot, day time.Time) (Snapshot, bool) {
	dates := make([]time.Time, len(snaps))
	for i, sn := range snaps {
		dates[i] = sn.AsOf
	}
	if i := InForceAt(dates, day); i >= 0 {
		return snaps[i], true
	}
	return Snapshot{}, false
}

// InForceAt is the rule of InForce over the dates of any kind of snapshot
// (coverage, mobile), oldest first: the index of the latest on or before
// the day, the last for the zero day, -1 when none is.
func InForceAt(dates []time.Time, day time.Time) int {
	for i := len(dates) - 1; i >= 0; i-- {
		if day.IsZero() || !dates[i].After(day) {
			return i
		}
	}
	return -1
}

// SnapshotInForce returns the snapshot in force on day (see InForce);
// ErrNoSnapshot when there is none.
func (s *Store) SnapshotInForce(ctx context.Context, day time.Time) (Snapshot, error) {
	snaps, err := s.Snapshots(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	sn, ok := InForce(snaps, day)
	if !ok {
		return Snapshot{}, ErrNoSnapshot
	}
	return sn, nil
}
