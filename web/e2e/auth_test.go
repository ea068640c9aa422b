package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// gapFixture imports coverage/testdata/gaps.csv and makes a token for each
// role; the Node tests get them as GK_TOKEN_0880 and GK_TOKEN_COORDINATOR.
func gapFixture(t *testing.T) e2e.Setup {
	return func(ctx context.Context, pool *pgxpool.Pool) error {
		f, err := os.Open("../../coverage/testdata/gaps.csv")
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := coverage.NewStore(pool).Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
			AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
			return err
		}
		a := auth.NewStore(pool)
		muni, _, err := a.CreateToken(ctx, auth.NewToken{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}})
		if err != nil {
			return err
		}
		coord, _, err := a.CreateToken(ctx, auth.NewToken{Name: "Regionens samordnare", Role: auth.Coordinator})
		if err != nil {
			return err
		}
		t.Setenv("GK_TOKEN_0880", muni)
		t.Setenv("GK_TOKEN_COORDINATOR", coord)
		return nil
	}
}

// TestSignInAndDownload runs auth.test.mjs: a municipality user signs in
// with a token, downloads the gap report as XLSX and CSV from the account
// page, and signs out. The downloads are then opened here as the user would
// open them.
func TestSignInAndDownload(t *testing.T) {
	srv := e2e.Start(t, gapFixture(t))
	e2e.RunNode(t, srv.URL, "auth.test.mjs")

	dir := filepath.Join("..", "test-results", "downloads")
	x, err := excelize.OpenFile(filepath.Join(dir, "gap-0880-2024-10-01.xlsx"))
	if err != nil {
		t.Fatalf("the downloaded XLSX: %v", err)
	}
	defer x.Close()
	// a sheet per target of fixed access (the mobile targets have no gap by address)
	var fixed int
	if err := srv.Pool.QueryRow(context.Background(), "SELECT count(*) FROM targets WHERE measure = 'fixed'").Scan(&fixed); err != nil {
		t.Fatal(err)
	}
	if sheets := x.GetSheetList(); len(sheets) != 1+fixed || sheets[0] != "Sammanfattning" {
		t.Errorf("sheets %q: want the summary and the %d targets of fixed access", sheets, fixed)
	}
	if v, _ := x.GetCellValue("Sammanfattning", "A2"); v != "0880 Kalmar" {
		t.Errorf("summary A2 = %q", v)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "gap-0880-se-2025-1g-2024-10-01.csv"))
	if err != nil {
		t.Fatalf("the downloaded CSV: %v", err)
	}
	if !strings.HasPrefix(string(csv), "\uFEFFAdress-id;Gata;") || !strings.Contains(string(csv), "G10;Kungsgatan;12B;39231;Kalmar;1;0;0;DSL;99,99;") {
		t.Errorf("the downloaded CSV:\n%s", csv)
	}
	var n int
	if err := srv.Pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE actor = 'Kalmar kommun' AND action = 'gaps'").Scan(&n); err != nil || n != 2 {
		t.Errorf("audit entries of the downloads: %d (%v), want 2", n, err)
	}
}

// TestUploadImport runs upload.test.mjs: a coordinator imports a file with
// an error (nothing changes, the report shows) and then a good one; a
// municipality user may not.
func TestUploadImport(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "fel-2025.csv")
	if err := os.WriteFile(bad, []byte("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n"+
		"U1;0880;582100;6282100;2;0;fiber;connected;1000\nU2;0880;inte-ett-tal;6282100;2;0;fiber;connected;1000\nU3;9999;582100;6282100;1;0;dsl;connected;10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good, err := filepath.Abs("../../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	// A workbook picked by mistake, and a file saved with tabs.
	xlsx := filepath.Join(t.TempDir(), "tackning.xlsx")
	tsv := filepath.Join(t.TempDir(), "tackning.txt")
	if err := os.WriteFile(xlsx, append([]byte("PK\x03\x04\x14\x00\x06\x00"), make([]byte, 200)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tsv, []byte("address_id\tmunicipality_code\tx\ty\thouseholds\tworkplaces\ttechnology\tstatus\tdown_mbps\n"+
		"T1\t0880\t582100\t6282100\t2\t0\tfiber\tconnected\t1000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A project register exported in SWEREF 99 TM with a status misspelt, and a
	// mobile file with an unknown technology: refused in Swedish too.
	geojson := filepath.Join(t.TempDir(), "projekt.geojson")
	if err := os.WriteFile(geojson, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":`+
		`{"id":"P-1","name":"Fiber Oxsjö","owner":"Kalmar Energi","status":"planerad","completion_year":2027,"down_mbps":1000},`+
		`"geometry":{"type":"Polygon","coordinates":[[[582100,6282100],[583100,6282100],[583100,6283100],[582100,6282100]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	mobileBad := filepath.Join(t.TempDir(), "mobil.csv")
	if err := os.WriteFile(mobileBad, []byte("e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor\n582000;6282000;250;Telia;6g;30;10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GK_PROJECTS_BAD_FILE", geojson)
	t.Setenv("GK_MOBILE_BAD_FILE", mobileBad)
	t.Setenv("GK_XLSX_FILE", xlsx)
	t.Setenv("GK_TSV_FILE", tsv)
	t.Setenv("GK_BAD_FILE", bad)
	t.Setenv("GK_GOOD_FILE", good)
	srv := e2e.Start(t, gapFixture(t))
	e2e.RunNode(t, srv.URL, "upload.test.mjs")

	var snaps, audits int
	ctx := context.Background()
	if err := srv.Pool.QueryRow(ctx, "SELECT count(*) FROM snapshots WHERE as_of = '2025-10-01'").Scan(&snaps); err != nil || snaps != 1 {
		t.Errorf("snapshots of 2025-10-01 after the uploads: %d (%v), want 1", snaps, err)
	}
	if err := srv.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'import' AND actor = 'Regionens samordnare'").Scan(&audits); err != nil || audits != 1 {
		t.Errorf("audited imports: %d (%v), want 1", audits, err)
	}
}
