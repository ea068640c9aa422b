package coverage_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/seeds"
)

// demoGzip returns a demo snapshot of some 3300 rows, gzipped with its
// deflate blocks ending at line boundaries every 300 lines from line 800 on
// (past what the reader looks at when it opens a file), and those offsets.
func demoGzip(t *testing.T) ([]byte, []int) {
	t.Helper()
	g, err := seeds.New(seeds.Config{Seed: 16, Scale: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := g.Write(&plain, 2024); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	var flushes []int
	sc := bufio.NewScanner(&plain)
	for n := 1; sc.Scan(); n++ {
		fmt.Fprintln(zw, sc.Text())
		if n >= 800 && n%300 == 0 {
			zw.Flush()
			flushes = append(flushes, b.Len())
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), flushes
}

// tablesDigest is a digest of every table of the database but the audit
// log (where a refused import is recorded), row by row: equal digests mean
// equal contents.
func tablesDigest(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	ctx := context.Background()
	rows, _ := pool.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_log' ORDER BY 1")
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tbl := range tables {
		var md5 string
		q := fmt.Sprintf("SELECT md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM %s x", pgx.Identifier{tbl}.Sanitize())
		if err := pool.QueryRow(ctx, q).Scan(&md5); err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		fmt.Fprintf(&b, "%s %s\n", tbl, md5)
	}
	return b.String()
}

// TestTruncatedGzipChangesNothing imports a snapshot, then the same file cut
// at 50 offsets (in the gzip header, at line boundaries where a deflate
// block ends, in the trailer, and evenly between) as the same date: every
// one must be refused as cut short, and the database stay as it was.
func TestTruncatedGzipChangesNothing(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	data, flushes := demoGzip(t)
	good, err := s.Import(context.Background(), bytes.NewReader(data), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf2024, Name: "demo.csv.gz"})
	if err != nil {
		t.Fatal(err)
	}
	if good.Snapshot.Rows < 3000 {
		t.Fatalf("the good file imported %d rows, want the demo's 3000 and more", good.Snapshot.Rows)
	}
	before := tablesDigest(t, pool)

	n := len(data)
	cuts := map[int]bool{2: true, 9: true, 10: true, n - 8: true, n - 4: true, n - 1: true}
	for _, f := range flushes {
		cuts[f] = true
	}
	for i := 1; len(cuts) < 50; i++ {
		cuts[11+i*(n-20)/50] = true
	}
	offsets := slices.Sorted(func(yield func(int) bool) {
		for c := range cuts {
			if !yield(c) {
				return
			}
		}
	})
	for _, cut := range offsets {
		_, err := s.Import(context.Background(), bytes.NewReader(data[:cut]), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf2024, Name: "demo.csv.gz"})
		var ie *coverage.ImportError
		if !errors.As(err, &ie) {
			t.Errorf("cut at %d of %d bytes: %v, want it refused", cut, n, err)
			continue
		}
		want := fmt.Sprintf("demo.csv.gz: the file ends early: gzip stream truncated after %d bytes of compressed data", cut)
		if got := ie.Problems.Errors[0].String(); !strings.HasPrefix(got, want) {
			t.Errorf("cut at %d of %d bytes: first error %q, want %q", cut, n, got, want)
		}
	}
	if after := tablesDigest(t, pool); after != before {
		t.Errorf("the database changed after %d refused imports:\nbefore:\n%s\nafter:\n%s", len(offsets), before, after)
	}
	var refused int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'import-refused'").Scan(&refused); err != nil || refused != len(offsets) {
		t.Errorf("%d refused imports in the audit log, want %d (err %v)", refused, len(offsets), err)
	}
	if len(offsets) != 50 || len(flushes) < 8 {
		t.Errorf("%d cuts, %d at line boundaries; want 50 and 8 or more", len(offsets), len(flushes))
	}
}
