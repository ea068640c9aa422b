package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// The actions of the audit log.
const (
	ActionImport        = "import"          // a snapshot imported (CLI, upload page, seed)
	ActionImportRefused = "import-refused"  // a file refused: nothing imported, the errors counted
	ActionDeleteData    = "delete-snapshot" // a snapshot deleted
	ActionGaps          = "gaps"            // a gap report at address level downloaded
	ActionAddresses     = "addresses"       // address points read (OGC API, map tiles)
	ActionCostModel     = "cost-model"      // the projects' cost model changed
)

// Entry is one line of the audit log: who, when, what, how many rows.
type Entry struct {
	ID           int64
	At           time.Time
	Actor        string // the token's name, or cli:<OS user>
	TokenID      *int64 // nil for the CLI
	Action       string
	Municipality string     // "" when the action spans none or all
	SnapshotAsOf *time.Time // the snapshot imported or read
	Target       string
	Format       string
	Rows         int64
	Detail       string // e.g. the imported file's name, the OGC collection
	// DownloadKey names the download a page belongs to (AuditPage); "" for
	// an entry of its own.
	DownloadKey string
	Pages       int // pages of a download read (AuditPage); 1 otherwise
}

// Entry starts an audit entry for an action of p.
func (p *Principal) Entry(action string) Entry {
	e := Entry{Action: action}
	if p != nil {
		e.Actor, e.TokenID = p.Name, &p.TokenID
	}
	return e
}

// Audit writes an entry. Callers that serve address-level data write it
// once the data is out, with the rows counted.
func (s *Store) Audit(ctx context.Context, e Entry) error {
	// The request that caused it may be over (a client that went away after
	// the last row): the entry is written all the same.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	return Record(ctx, s.pool, e)
}

// Execer runs a statement: a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Record writes an entry with q. Given the transaction of what it records (an
// import, a deletion), the entry and the change commit together or not at
// all: no import lands unaudited. An entry without an actor is refused.
func Record(ctx context.Context, q Execer, e Entry) error {
	if e.Actor == "" || e.Action == "" {
		return fmt.Errorf("write audit log: an entry needs an actor and an action (got %q, %q)", e.Actor, e.Action)
	}
	var asOf any
	if e.SnapshotAsOf != nil {
		asOf = e.SnapshotAsOf.Format(time.DateOnly)
	}
	_, err := q.Exec(ctx, `INSERT INTO audit_log (actor, token_id, action, municipality_code, snapshot_as_of, target_id, format, rows, detail,
			download_key, last_at)
		VALUES ($1, $2, $3, nullif($4, ''), $5::date, nullif($6, ''), nullif($7, ''), $8, $9, nullif($10, ''), now())`,
		e.Actor, e.TokenID, e.Action, e.Municipality, asOf, e.Target, e.Format, e.Rows, e.Detail, e.DownloadKey)
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// AuditQuery selects lines of the audit log.
type AuditQuery struct {
	Since time.Time // zero: from the start
	Limit int       // 0: 1000
}

// AuditLog returns the entries since q.Since, newest first.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]Entry, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, token_id, action, coalesce(municipality_code, ''), snapshot_as_of,
			coalesce(target_id, ''), coalesce(format, ''), rows, detail, coalesce(download_key, ''), pages
		FROM audit_log WHERE at >= $1 ORDER BY at DESC, id DESC LIMIT $2`, q.Since, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.TokenID, &e.Action, &e.Municipality, &e.SnapshotAsOf,
			&e.Target, &e.Format, &e.Rows, &e.Detail, &e.DownloadKey, &e.Pages); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
