package geo

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The reference data: Sweden's municipalities, counties and urban localities
// as published (data/SOURCES.md), in WGS 84. They are embedded so that a
// fresh clone and a bare binary carry them.
//
//go:embed data/municipalities.geojson data/counties.geojson data/localities.geojson data/municipalities.csv
var dataFS embed.FS

var (
	sqlUpsertCounties       = mustSQL("upsert_counties.sql")
	sqlUpsertMunicipalities = mustSQL("upsert_municipalities.sql")
	sqlSetPopulation        = mustSQL("set_population.sql")
	sqlRebuildParts         = mustSQL("rebuild_municipality_parts.sql")
	sqlUpsertLocalities     = mustSQL("upsert_localities.sql")
)

// referenceName is the key under which the loaded reference data is recorded
// in the reference_data table.
const referenceName = "geo/data"

// ReferenceFile returns one embedded reference file, e.g. "localities.geojson".
func ReferenceFile(name string) ([]byte, error) {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("geo: reference file %s: %w", name, err)
	}
	return b, nil
}

// ReferenceDigest is the SHA-256 of all embedded reference files, in a fixed
// order. The database records the digest it loaded, so a second migrate with
// the same binary does nothing.
func ReferenceDigest() string {
	h := sha256.New()
	for _, name := range []string{"counties.geojson", "municipalities.geojson", "municipalities.csv", "localities.geojson"} {
		b, _ := dataFS.ReadFile("data/" + name) // embedded: cannot fail
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LoadedDigest returns the digest of the reference data the database holds,
// or "" when none was loaded.
func LoadedDigest(ctx context.Context, q Querier) (string, error) {
	var digest string
	err := q.QueryRow(ctx, `SELECT sha256 FROM reference_data WHERE name = $1`, referenceName).Scan(&digest)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read loaded reference digest: %w", err)
	}
	return digest, nil
}

// Querier is what both a pool and a transaction offer.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// LoadReference upserts the embedded counties, municipalities (with their
// population where published) and localities, transformed to SWEREF 99 TM,
// unless the database already holds this exact data. It reports whether it
// loaded anything. The caller owns the transaction.
func LoadReference(ctx context.Context, tx pgx.Tx) (bool, error) {
	// Two processes migrating at once load one after the other.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('gigakoll reference data'))`); err != nil {
		return false, fmt.Errorf("lock reference data: %w", err)
	}
	digest := ReferenceDigest()
	loaded, err := LoadedDigest(ctx, tx)
	if err != nil {
		return false, err
	}
	if loaded == digest {
		return false, nil
	}
	for _, step := range []struct{ file, sql string }{
		{"counties.geojson", sqlUpsertCounties},
		{"municipalities.geojson", sqlUpsertMunicipalities},
		{"localities.geojson", sqlUpsertLocalities},
	} {
		b, err := ReferenceFile(step.file)
		if err != nil {
			return false, err
		}
		if _, err := tx.Exec(ctx, step.sql, string(b)); err != nil {
			return false, fmt.Errorf("load %s: %w", step.file, err)
		}
	}
	codes, pops, err := populations()
	if err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, sqlSetPopulation, codes, pops); err != nil {
		return false, fmt.Errorf("load municipalities.csv: %w", err)
	}
	if _, err := tx.Exec(ctx, sqlRebuildParts); err != nil {
		return false, fmt.Errorf("subdivide municipalities: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO reference_data (name, sha256) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = now()`, referenceName, digest); err != nil {
		return false, fmt.Errorf("record reference digest: %w", err)
	}
	return true, nil
}

// populations reads the published population per municipality from
// municipalities.csv (";"-separated, header row); rows without one are skipped.
func populations() (codes []string, pops []int32, err error) {
	f, err := dataFS.Open("data/municipalities.csv")
	if err != nil {
		return nil, nil, fmt.Errorf("open municipalities.csv: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("municipalities.csv: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	ci, okc := col["code"]
	pi, okp := col["population"]
	if !okc || !okp {
		return nil, nil, fmt.Errorf("municipalities.csv: header lacks code or population")
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("municipalities.csv: %w", err)
		}
		if rec[pi] == "" {
			continue
		}
		n, err := strconv.Atoi(rec[pi])
		if err != nil {
			line, _ := r.FieldPos(pi)
			return nil, nil, fmt.Errorf("municipalities.csv:%d: population %q: %w", line, rec[pi], err)
		}
		codes = append(codes, rec[ci])
		pops = append(pops, int32(n))
	}
	return codes, pops, nil
}
