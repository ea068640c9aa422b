package projects

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/replicas"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// mustSQL returns an embedded SQL file; a missing one panics at init, which
// every test of the package catches.
func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(fmt.Sprintf("projects: %v", err))
	}
	return string(b)
}

// ErrNoRegister says no project register was imported yet.
var ErrNoRegister = errors.New("projects: no project register was imported")

// ErrUnknownProject says the register in force has no project of that id.
var ErrUnknownProject = errors.New("projects: no such project in the register")

// ErrBuilding says the figures of the register against the snapshot asked
// for are being built (a register or a snapshot was just imported): a
// moment later they are there.
var ErrBuilding = errors.New("projects: the figures for this snapshot are being built; try again shortly")

// Store lands project registers and reads their figures. Coverage's data
// comes through its store only.
type Store struct {
	pool     *pgxpool.Pool    // the primary: imports, builds, the cost model's changes
	read     replicas.Querier // what the API, OGC and the reports read: pool, or the read replicas
	coverage *coverage.Store
	log      *slog.Logger

	syncMu  sync.Mutex // one Sync at a time in this process
	mu      sync.Mutex // guards syncing
	syncing bool       // a SyncInBackground runs

	// reports keeps answers by what they depend on (register version,
	// snapshot, when its figures were built, the query): a new register,
	// snapshot or cost model gives a new key. Entries also expire, for the
	// targets, which a region may edit.
	reports *expirable.LRU[string, *Report]
}

// NewStore returns a Store on pool that reads coverage through cov.
func NewStore(pool *pgxpool.Pool, cov *coverage.Store, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{pool: pool, read: pool, coverage: cov, log: log, reports: expirable.NewLRU[string, *Report](256, nil, 5*time.Minute)}
}

// ReadFrom sends the reads of the register and its figures (the API, OGC,
// the reports, the gap reports' project names) to q, a set of read
// replicas; imports, builds and the cost model's changes stay on the
// primary, and so do the reads they make.
func (s *Store) ReadFrom(q replicas.Querier) *Store {
	s.read = q
	return s
}

// reader is where a read of s goes: the coverage View's transaction that
// ctx carries (one state for the whole answer), or s.read.
func (s *Store) reader(ctx context.Context) querier {
	if tx, ok := coverage.InView(ctx); ok {
		return tx
	}
	return s.read
}

// Register is one imported version of the register.
type Register struct {
	Version    int
	Source     string
	SHA256     string
	ImportedAt time.Time
	Actor      string
	Projects   int
	Warnings   int
}

const registerColumns = `version, source, sha256, imported_at, actor, projects, warnings`

func registerDest(r *Register) []any {
	return []any{&r.Version, &r.Source, &r.SHA256, &r.ImportedAt, &r.Actor, &r.Projects, &r.Warnings}
}

// Registers lists every version imported, oldest first.
func (s *Store) Registers(ctx context.Context) ([]Register, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.reader(ctx).Query(ctx, "SELECT "+registerColumns+" FROM project_registers ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("projects: list registers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Register, error) {
		var g Register
		return g, r.Scan(registerDest(&g)...)
	})
	if err != nil {
		return nil, fmt.Errorf("projects: list registers: %w", err)
	}
	return out, nil
}

// InForce returns the register in force: the latest imported.
// ErrNoRegister when there is none.
func (s *Store) InForce(ctx context.Context) (Register, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return registerInForce(ctx, s.reader(ctx))
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func registerInForce(ctx context.Context, q querier) (Register, error) {
	var g Register
	err := q.QueryRow(ctx, "SELECT "+registerColumns+" FROM project_registers ORDER BY version DESC LIMIT 1").Scan(registerDest(&g)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return g, ErrNoRegister
	}
	if err != nil {
		return g, fmt.Errorf("projects: read the register in force: %w", err)
	}
	return g, nil
}
