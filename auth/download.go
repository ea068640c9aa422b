package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DownloadWindow is how long after its last page a download goes on: a
// page of the same download read later starts a new entry.
const DownloadWindow = 10 * time.Minute

// AuditPage records one page of a download of address-level data, so that
// a GIS client that pages through a collection (GDAL and QGIS follow the
// next links, a page per request) makes one entry, not one per page.
//
// A download is every page with the same key (the caller's: who, which
// collection, snapshots and filter, everything but the page's offset and
// size) where each page comes within DownloadWindow of the one before. The
// page that starts a download writes e as a new entry; a later page updates
// that entry: Rows becomes the furthest the download reached, end (the
// page's offset plus its features: a client that reads the first page
// twice, as GDAL does to learn the fields, is not counted twice), and
// Pages counts the pages read. Concurrent pages of one download take turns
// on a lock of their key.
func (s *Store) AuditPage(ctx context.Context, key string, e Entry, end int64) error {
	if key == "" {
		return errors.New("write audit log: a page needs its download's key")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	e.DownloadKey, e.Rows, e.Pages = key, end, 1
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE audit_log SET rows = greatest(rows, $2), pages = pages + 1, last_at = now()
			WHERE id = (SELECT id FROM audit_log WHERE download_key = $1 AND last_at > now() - $3 * interval '1 second'
			            ORDER BY last_at DESC LIMIT 1)`, key, end, DownloadWindow.Seconds())
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		return Record(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}
