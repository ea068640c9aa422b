package e2e_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestMal runs mal.test.mjs: the targets table lists every municipality
// against every target, furthest from its target first, sorts by keyboard,
// follows the year picker, and downloads CSV and XLSX. The browser saves the
// downloads in DOWNLOAD_DIR; the XLSX is then opened here and checked
// against the API.
func TestMal(t *testing.T) {
	srv := e2e.Start(t, mapFixture)
	dir := t.TempDir()
	t.Setenv("DOWNLOAD_DIR", dir)
	e2e.RunNode(t, srv.URL, "mal.test.mjs")

	f, err := excelize.OpenFile(filepath.Join(dir, "mal.xlsx"))
	if err != nil {
		t.Fatalf("the downloaded XLSX does not open: %v", err)
	}
	defer f.Close()
	// raw values: the share as the fraction stored, not as the cell shows it
	rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := apiShares(t, srv.URL)
	got := map[string]float64{}
	for _, r := range rows[1:] {
		if len(r) <= col["Andel"] || r[col["Typ"]] != "kommun" || r[col["Andel"]] == "" {
			continue // the county, or a municipality without data: no share
		}
		v, err := strconv.ParseFloat(r[col["Andel"]], 64)
		if err != nil {
			t.Fatalf("share %q of %v: %v", r[col["Andel"]], r, err)
		}
		got[r[col["Kod"]]+" "+r[col["Mål"]]] = v
	}
	if len(got) == 0 {
		t.Fatalf("no municipality rows with a share in the XLSX; header %v", rows[0])
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || math.Abs(g-w) > 1e-9 {
			t.Errorf("XLSX %s: share %v (present %v), the API says %v", k, g, ok, w)
		}
	}
}

// apiShares reads every municipality's share per target from the API, keyed
// "0880 se-2025-1g".
func apiShares(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/municipalities")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Municipalities []struct {
			Code    string
			Targets []struct {
				ID    string
				Share *float64
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, m := range list.Municipalities {
		for _, tr := range m.Targets {
			if tr.Share != nil {
				out[fmt.Sprintf("%s %s", m.Code, tr.ID)] = *tr.Share
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the API lists no shares")
	}
	return out
}
