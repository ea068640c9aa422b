// Package replicas sends reads to PostgreSQL hot standbys (streaming
// replication: PostgreSQL's own, nothing home-made) and writes to the
// primary. A Set holds the primary's pool and one pool per standby, checks
// every standby's replay position against the primary's WAL every few
// seconds, and hands out the standbys round-robin, skipping one that is
// unreachable, promoted, or further behind than Options.MaxLag; with none
// left, reads go to the primary.
//
// A request reads from one database: Pin chooses a standby for its context,
// and every read under that context goes there. A standby applies the
// primary's transactions whole and in order, so a request sees a snapshot
// of the coverage data either entirely or not at all, the one the standby
// has; when its standby fails it falls back to the primary, which holds
// everything any standby does, never to another standby, which may be
// further behind. A standby that stops is skipped from the next request
// on, and taken back once a check reaches it again.
package replicas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configure a Set.
type Options struct {
	URLs []string // the standbys' PostgreSQL URLs; none: every read goes to the primary
	// MaxLag skips a standby further behind the primary than this; 0 never
	// skips one for its lag.
	MaxLag time.Duration
	// CheckEvery is how often the standbys are checked; 0: every 2 s.
	CheckEvery time.Duration
	Log        *slog.Logger // nil: discard
	// AppName is the application_name of the standbys' connections; "": gigakoll.
	AppName string
}

// Set routes reads between the primary and its standbys. It is safe for
// concurrent use.
type Set struct {
	primary  *pgxpool.Pool
	replicas []*replica
	maxLag   time.Duration
	every    time.Duration
	log      *slog.Logger
	next     atomic.Uint64 // round robin
	primaryN atomic.Int64  // requests pinned to the primary

	mu      sync.Mutex
	samples []walSample // the primary's WAL position over time, oldest first

	stop context.CancelFunc
	done chan struct{}
}

// replica is one standby and what the last check found.
type replica struct {
	name string // host:port/database: for logs, metrics and /readyz, never the password
	pool *pgxpool.Pool

	mu     sync.Mutex
	status Status

	reads, failovers atomic.Int64
}

// Status is what the last check found about a standby.
type Status struct {
	Name       string    // host:port/database
	Up         bool      // reachable and a standby
	Reason     string    // why not Up: "unreachable", "not a standby", "never checked"
	Lagging    bool      // Up but further behind than MaxLag: skipped
	LagSeconds float64   // how long ago the primary had WAL this standby has not replayed
	LagBytes   int64     // how much WAL it has not replayed
	CheckedAt  time.Time // the last check
	Reads      int64     // requests pinned to it
	Failovers  int64     // reads it failed that the primary answered
}

// New opens a pool for every standby (lazily: a standby that is down does
// not stop the start), checks them once, and keeps checking them until
// Close.
func New(ctx context.Context, primary *pgxpool.Pool, o Options) (*Set, error) {
	s := &Set{primary: primary, maxLag: o.MaxLag, every: o.CheckEvery, log: o.Log}
	if s.every <= 0 {
		s.every = 2 * time.Second
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	app := o.AppName
	if app == "" {
		app = "gigakoll"
	}
	for i, raw := range o.URLs {
		cfg, err := pgxpool.ParseConfig(raw)
		if err != nil {
			s.closePools()
			return nil, fmt.Errorf("read replica %d: %w", i+1, redactErr(err, raw))
		}
		cfg.ConnConfig.RuntimeParams["application_name"] = app
		if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 3*time.Second {
			cfg.ConnConfig.ConnectTimeout = 3 * time.Second // a host that drops packets is skipped soon
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			s.closePools()
			return nil, fmt.Errorf("read replica %d: %w", i+1, redactErr(err, raw))
		}
		name := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
		r := &replica{name: name, pool: pool}
		r.status = Status{Name: name, Reason: "never checked"}
		s.replicas = append(s.replicas, r)
	}
	if len(s.replicas) > 0 {
		s.check(ctx)
		lctx, stop := context.WithCancel(context.WithoutCancel(ctx))
		s.stop, s.done = stop, make(chan struct{})
		go s.loop(lctx)
	}
	return s, nil
}

// Close stops the checks and closes the standbys' pools (not the primary's).
func (s *Set) Close() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	s.closePools()
}

func (s *Set) closePools() {
	for _, r := range s.replicas {
		r.pool.Close()
	}
}

// Replicas reports whether any standby is configured.
func (s *Set) Replicas() bool { return len(s.replicas) > 0 }

// Status returns what the last check found about every standby, in the
// order of Options.URLs.
func (s *Set) Status() []Status {
	out := make([]Status, len(s.replicas))
	for i, r := range s.replicas {
		r.mu.Lock()
		out[i] = r.status
		r.mu.Unlock()
		out[i].Reads, out[i].Failovers = r.reads.Load(), r.failovers.Load()
	}
	return out
}

// PrimaryReads is the number of requests pinned to the primary.
func (s *Set) PrimaryReads() int64 { return s.primaryN.Load() }

// usable: up and not too far behind.
func (r *replica) usable() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status.Up && !r.status.Lagging
}

// pick returns the next usable standby, round-robin, or nil for the primary.
func (s *Set) pick() *replica {
	n := len(s.replicas)
	start := int(s.next.Add(1) % uint64(max(n, 1)))
	for i := range n {
		if r := s.replicas[(start+i)%n]; r.usable() {
			return r
		}
	}
	return nil
}

type pinKey struct{}

// pin is the database a request reads from; r nil is the primary.
type pin struct{ r *replica }

// Pin chooses the database every read under the returned context goes to:
// a usable standby, or the primary when there is none.
func (s *Set) Pin(ctx context.Context) context.Context {
	r := s.pick()
	if r != nil {
		r.reads.Add(1)
	} else {
		s.primaryN.Add(1)
	}
	return context.WithValue(ctx, pinKey{}, pin{r})
}

// OnPrimary returns ctx with every read under it on the primary: the work
// that follows a write (figures built from what was just imported), which
// must see that write, whatever request it runs for.
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, pinKey{}, pin{})
}

// Target names the database ctx reads from: a standby's name, or "primary".
// Caches of what was read (the tiles' list of snapshots) are kept per target.
func (s *Set) Target(ctx context.Context) string {
	if r := s.reader(ctx); r != nil {
		return r.name
	}
	return "primary"
}

// reader returns the standby ctx reads from, or nil for the primary: the
// pinned one while it is usable (once it fails, the primary), else a fresh
// pick.
func (s *Set) reader(ctx context.Context) *replica {
	if p, ok := ctx.Value(pinKey{}).(pin); ok {
		if p.r != nil && p.r.usable() {
			return p.r
		}
		return nil
	}
	return s.pick()
}

// redactErr keeps a URL's password out of a parse error.
func redactErr(err error, raw string) error {
	if u, perr := url.Parse(raw); perr == nil {
		if _, has := u.User.Password(); has {
			return errors.New("cannot parse " + u.Redacted())
		}
	}
	return err
}
