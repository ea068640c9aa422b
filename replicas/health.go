package replicas

import (
	"context"
	"sync"
	"time"
)

// walSample is the primary's WAL position at a moment.
type walSample struct {
	at  time.Time
	lsn int64 // bytes since 0/0
}

// keepSamples bounds the history of the primary's WAL positions, from which
// a standby's lag in seconds is read: lags beyond it read as its length.
const keepSamples = 15 * time.Minute

func (s *Set) loop(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.check(ctx)
		}
	}
}

// check reads the primary's WAL position, then every standby's replay
// position (at once, each under a deadline of its own), and updates their
// status. A standby's lag in seconds is how long ago the primary first had
// WAL the standby has not replayed (to the interval of the checks; 0 when it
// has replayed all the primary had at the check), so an idle primary does
// not make a standby look behind.
func (s *Set) check(ctx context.Context) {
	timeout := max(s.every, time.Second)
	now := time.Now()
	pctx, cancel := context.WithTimeout(ctx, timeout)
	var lsn int64
	err := s.primary.QueryRow(pctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::int8`).Scan(&lsn)
	cancel()
	known := err == nil
	if known {
		s.mu.Lock()
		s.samples = append(s.samples, walSample{now, lsn})
		for len(s.samples) > 1 && now.Sub(s.samples[0].at) > keepSamples {
			s.samples = s.samples[1:]
		}
		s.mu.Unlock()
	} else if ctx.Err() == nil {
		s.log.Warn("read replicas: the primary's WAL position is unknown; their lag is not updated", "err", err)
	}
	var wg sync.WaitGroup
	for _, r := range s.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.checkReplica(ctx, r, timeout, known)
		}()
	}
	wg.Wait()
}

func (s *Set) checkReplica(ctx context.Context, r *replica, timeout time.Duration, primaryKnown bool) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var standby bool
	var replay int64
	err := r.pool.QueryRow(rctx, `SELECT pg_is_in_recovery(),
		coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), 0)::int8`).Scan(&standby, &replay)
	if ctx.Err() != nil {
		return // closing
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	was := r.status
	st := Status{Name: r.name, CheckedAt: now, LagSeconds: was.LagSeconds, LagBytes: was.LagBytes}
	switch {
	case err != nil:
		st.Reason = "unreachable"
	case !standby:
		st.Reason = "not a standby"
	default:
		st.Up = true
		if primaryKnown {
			st.LagBytes, st.LagSeconds = s.lag(replay, now)
		}
		st.Lagging = s.maxLag > 0 && st.LagSeconds > s.maxLag.Seconds()
	}
	r.status = st
	switch {
	case st.Up && !was.Up:
		s.log.Info("read replica up", "replica", r.name, "lag_seconds", st.LagSeconds)
	case !st.Up && (was.Up || was.Reason == "never checked"):
		s.log.Warn("read replica skipped", "replica", r.name, "reason", st.Reason, "err", err)
	case st.Lagging && !was.Lagging:
		s.log.Warn("read replica skipped: too far behind", "replica", r.name, "lag_seconds", st.LagSeconds, "max_lag_seconds", s.maxLag.Seconds())
	case was.Lagging && !st.Lagging && st.Up:
		s.log.Info("read replica caught up", "replica", r.name, "lag_seconds", st.LagSeconds)
	}
}

// lag compares a standby's replay position with the primary's history.
func (s *Set) lag(replay int64, now time.Time) (bytes int64, seconds float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) == 0 {
		return 0, 0
	}
	bytes = max(0, s.samples[len(s.samples)-1].lsn-replay)
	for _, sm := range s.samples {
		if sm.lsn > replay { // the first position the standby lacks
			return bytes, now.Sub(sm.at).Seconds()
		}
	}
	return bytes, 0
}

// failed marks a standby down after a read on it failed for want of a
// connection; the next check takes it back when it answers.
func (s *Set) failed(r *replica, err error) {
	r.mu.Lock()
	was := r.status.Up
	r.status.Up, r.status.Reason = false, "unreachable"
	r.mu.Unlock()
	if was {
		s.log.Warn("read replica skipped: a read failed", "replica", r.name, "err", err)
	}
}
