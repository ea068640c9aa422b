package mobile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/replicas"
)

var sqlBuildAreaPeople = mustSQL("build_area_people.sql")

// CoverageFor picks the coverage snapshot whose address points a mobile
// snapshot of the day counts (spec/mobile.md, "Where people are"): the
// coverage snapshot in force on the day (coverage.InForce), else the
// earliest. False when there is no coverage snapshot at all. snaps is
// oldest first, as coverage.Store.Snapshots lists them.
func CoverageFor(snaps []coverage.Snapshot, day time.Time) (coverage.Snapshot, bool) {
	if sn, ok := coverage.InForce(snaps, day); ok {
		return sn, true
	}
	if len(snaps) > 0 {
		return snaps[0], true
	}
	return coverage.Snapshot{}, false
}

// computePeople computes the snapshot's figures where people are, against
// the coverage snapshot for its date, in the caller's transaction: the
// address points' sums per square stream from the coverage store into a
// table of the transaction, and one statement counts them in the covered
// squares. It records which coverage snapshot it counted.
func (s *Store) computePeople(ctx context.Context, tx pgx.Tx, snap Snapshot) (Snapshot, error) {
	ctx = replicas.OnPrimary(ctx) // the coverage snapshots as the primary has them
	snaps, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return snap, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM mobile_area_people WHERE snapshot_id = $1", snap.ID); err != nil {
		return snap, fmt.Errorf("people figures: %w", err)
	}
	cov, ok := CoverageFor(snaps, snap.AsOf)
	snap.CoverageID, snap.CoverageAsOf = 0, time.Time{}
	if ok {
		if err := s.loadPopulation(ctx, tx, cov.ID, snap.Size); err != nil {
			return snap, err
		}
		if _, err := tx.Exec(ctx, sqlBuildAreaPeople, snap.ID, snap.Operators); err != nil {
			return snap, fmt.Errorf("people figures: %w", err)
		}
		snap.CoverageID, snap.CoverageAsOf = cov.ID, cov.AsOf
	}
	var asOf *time.Time
	if ok {
		asOf = &snap.CoverageAsOf
	}
	if _, err := tx.Exec(ctx, `UPDATE mobile_snapshots SET people_coverage_id = $2, people_coverage_as_of = $3 WHERE id = $1`,
		snap.ID, snap.CoverageID, asOf); err != nil {
		return snap, fmt.Errorf("people figures: %w", err)
	}
	return snap, nil
}

// loadPopulation fills pg_temp.mobile_population with the coverage
// snapshot's sums per square of the size, through the coverage store's
// COPY stream (another connection), into this transaction's COPY.
func (s *Store) loadPopulation(ctx context.Context, tx pgx.Tx, coverageID, size int64) error {
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS pg_temp.mobile_population;
		CREATE TEMP TABLE mobile_population (e integer NOT NULL, n integer NOT NULL, municipality_code text NOT NULL,
			households bigint NOT NULL, workplaces bigint NOT NULL, holiday_homes bigint NOT NULL) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("address points per square: %w", err)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := s.coverage.CopySquareSums(ctx, coverageID, size, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	_, copyErr := tx.Conn().PgConn().CopyFrom(ctx, pr, "COPY mobile_population (e, n, municipality_code, households, workplaces, holiday_homes) FROM STDIN (FORMAT csv)")
	pr.CloseWithError(io.ErrClosedPipe) // stops the reader if COPY failed first
	if err := <-done; err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return fmt.Errorf("address points per square: %w", err)
	}
	if copyErr != nil {
		return fmt.Errorf("address points per square: %w", copyErr)
	}
	if _, err := tx.Exec(ctx, "ANALYZE pg_temp.mobile_population"); err != nil {
		return fmt.Errorf("address points per square: %w", err)
	}
	return nil
}

// stale reports whether the snapshot's people figures were computed
// against another coverage snapshot than the one for its date now.
func stale(snap Snapshot, snaps []coverage.Snapshot) bool {
	cov, ok := CoverageFor(snaps, snap.AsOf)
	return cov.ID != snap.CoverageID || !ok && snap.CoverageID != 0
}

// Refresh computes again the figures where people are of every mobile
// snapshot whose coverage snapshot has changed since (one imported,
// replaced or deleted), each in a transaction of its own, and returns the
// dates it refreshed. A coverage import calls it (coverage.Store.OnChange);
// a report that finds stale figures does the same for its snapshot, so the
// figures follow even when that call failed.
func (s *Store) Refresh(ctx context.Context) ([]time.Time, error) {
	ctx = replicas.OnPrimary(ctx) // decided on, and computed from, the primary's snapshots
	mobiles, err := s.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	covs, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	var done []time.Time
	for _, m := range mobiles {
		if !stale(m, covs) {
			continue
		}
		if _, err := s.refresh(ctx, m.ID); err != nil {
			return done, err
		}
		done = append(done, m.AsOf)
	}
	return done, nil
}

// refresh computes one snapshot's people figures again if they are stale,
// under a lock of its row, so that two readers finding them stale do the
// work once.
func (s *Store) refresh(ctx context.Context, id int64) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(replicas.OnPrimary(ctx), 10*time.Minute)
	defer cancel()
	var snap Snapshot
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SELECT 1 FROM mobile_snapshots WHERE id = $1 FOR UPDATE", id); err != nil {
			return err
		}
		var err error
		if snap, err = readSnapshot(ctx, tx, id); err != nil {
			return err
		}
		covs, err := s.coverage.Snapshots(ctx)
		if err != nil || !stale(snap, covs) {
			return err
		}
		snap, err = s.computePeople(ctx, tx, snap)
		return err
	})
	if err != nil {
		return Snapshot{}, fmt.Errorf("mobile: refresh the figures of snapshot %d: %w", id, err)
	}
	return snap, nil
}
