package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/projects"
)

// coverageStore is the coverage store as every command uses it: after an
// import or a deletion it refreshes the address suggestions of the
// residents' form from the latest snapshot, and the mobile figures that
// count the coverage snapshot in force.
func (a *app) coverageStore(pool *pgxpool.Pool) *coverage.Store {
	s := coverage.NewStore(pool)
	s.OnChange(func(ctx context.Context) error {
		t := time.Now()
		if err := measure.RefreshAddresses(ctx, pool); err != nil {
			return err
		}
		a.log.Info("address suggestions refreshed", "seconds", time.Since(t).Seconds())
		return nil
	})
	s.OnChange(refreshMobile(pool, s, a.log))
	// The project figures follow every snapshot (package projects).
	ps := projects.NewStore(pool, s, a.log)
	s.SetProjectLookup(ps.Lookup) // the gap reports name the project a point is in
	s.OnChange(func(ctx context.Context) error {
		if _, err := ps.Sync(ctx); err != nil {
			return fmt.Errorf("the project figures were not rebuilt (gigakoll projects sync does it): %w", err)
		}
		return nil
	})
	return s
}

// mobileStore is the mobile coverage store on the coverage store's address
// points.
func (a *app) mobileStore(pool *pgxpool.Pool) *mobile.Store {
	return mobile.NewStore(pool, coverage.NewStore(pool))
}

// refreshMobile is the work after a coverage import or deletion that brings
// the mobile figures to the coverage snapshot now in force. A failure is
// only logged: the next mobile report does the same work (mobile.Store.Report).
func refreshMobile(pool *pgxpool.Pool, cov *coverage.Store, log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.Now()
		done, err := mobile.NewStore(pool, cov).Refresh(ctx)
		if err != nil {
			log.Warn("mobile figures not refreshed; the next mobile report refreshes them", "err", err)
			return nil
		}
		if len(done) > 0 {
			log.Info("mobile figures refreshed", "snapshots", len(done), "seconds", time.Since(t).Seconds())
		}
		return nil
	}
}
