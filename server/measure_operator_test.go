package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// opRow is a measurement of the operator fixture: municipality, operator
// key ("" not named), download.
type opRow struct {
	muni, op string
	down     float64
}

// operatorFixture: in Kalmar (0880) Telia 6 and Bahnhof 4, so that neither
// may be shown (Telia would tell Bahnhof's 4 by subtraction from Kalmar's
// 10); in Nybro (0881) Telia 7, Tele2 5 and 5 that named none: Telia and
// Tele2 shown. Kalmar län: Telia 13 and Tele2 5 shown, Bahnhof's 4 never.
func operatorFixture() []opRow {
	var out []opRow
	add := func(muni, op string, downs ...float64) {
		for _, d := range downs {
			out = append(out, opRow{muni, op, d})
		}
	}
	add("0880", "telia", 30, 45, 61, 80, 120, 150)
	add("0880", "bahnhof", 900, 910, 920, 930)
	add("0881", "telia", 10, 20, 25, 40, 55, 70, 400)
	add("0881", "tele2", 100, 250, 260, 500, 800)
	add("0881", "", 12, 14, 16, 18, 20)
	return out
}

func median(v []float64) float64 {
	x := append([]float64(nil), v...)
	sort.Float64s(x)
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

// The figures by operator, in every channel (the page, JSON, CSV, XLSX):
// Nybro's and the county's Telia and Tele2 with their medians computed
// here; Bahnhof's 4 nowhere, nor Kalmar's Telia, which would tell them.
func TestFiguresByOperatorInEveryChannel(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	rows := operatorFixture()
	var ms []measure.Measurement
	for i, r := range rows {
		muni, _ := measure.MunicipalityByCode(r.muni)
		ms = append(ms, measure.Measurement{MeasuredAt: time.Now().Add(-time.Duration(i+1) * time.Hour), Municipality: muni,
			Square: geo.Square{E: 583000, N: 6280250, Size: 250}, DownMbps: r.down, UpMbps: 5, Connection: "fiber", Operator: r.op, Source: "test"})
	}
	if _, err := measure.NewStore(pool).Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	ts, _ := measureServer(t, pool, measureServerOpts{})
	type group struct {
		area, op string
		count    int
		median   float64
	}
	var want []group
	for _, g := range []struct{ area, op, name string }{
		{"county:08", "telia", "Kalmar län"}, {"county:08", "tele2", "Kalmar län"},
		{"municipality:0881", "telia", "Nybro"}, {"municipality:0881", "tele2", "Nybro"},
	} {
		var downs []float64
		for _, r := range rows {
			if r.op == g.op && (g.area == "county:08" || g.area == "municipality:"+r.muni) {
				downs = append(downs, r.down)
			}
		}
		want = append(want, group{g.area, g.op, len(downs), median(downs)})
	}

	// JSON.
	resp, body := mapFetch(t, ts.URL+"/api/v1/measurements/by-operator?period=all")
	if resp.StatusCode != 200 {
		t.Fatalf("by-operator: %d %s", resp.StatusCode, body)
	}
	var js struct {
		MinCount int                       `json:"min_count"`
		Groups   []measure.OperatorFigures `json:"groups"`
	}
	if err := json.Unmarshal(body, &js); err != nil {
		t.Fatal(err)
	}
	var got []group
	for _, g := range js.Groups {
		got = append(got, group{g.Kind + ":" + g.Code, g.Operator, int(g.Figures.Count), g.Figures.DownMbps.Median})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || js.MinCount != 5 {
		t.Errorf("JSON: %v (min_count %d), want %v", got, js.MinCount, want)
	}
	for _, bad := range []string{"area=square:250m-E583000-N6280250", "area=municipality:9999", "period=2026-13"} {
		if resp, body := mapFetch(t, ts.URL+"/api/v1/measurements/by-operator?"+bad); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s, want 400", bad, resp.StatusCode, body)
		}
	}
	resp, body = mapFetch(t, ts.URL+"/api/v1/measurements/by-operator?area="+url.QueryEscape("municipality:0880"))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"groups":[]`) {
		t.Errorf("Kalmar's operators: %d %s, want none", resp.StatusCode, body)
	}

	// The page.
	resp, body = mapFetch(t, ts.URL+"/matningar")
	page := string(body)
	start, end := strings.Index(page, `<h2 id="operator">Per operatör</h2>`), strings.Index(page, `<h2 id="rutor">`)
	if resp.StatusCode != 200 || start < 0 || end < start {
		t.Fatalf("/matningar: %d, no table Per operatör:\n%s", resp.StatusCode, page)
	}
	table := page[start:end]
	for _, w := range []string{
		`<th scope="row">Län Kalmar län</th><td>Telia</td><td class="tal">13</td><td class="tal">` + sv(want[0].median) + `</td>`,
		`<th scope="row">Län Kalmar län</th><td>Tele2 / Com Hem</td><td class="tal">5</td><td class="tal">` + sv(want[1].median) + `</td>`,
		`<th scope="row">Kommun Nybro</th><td>Telia</td><td class="tal">7</td><td class="tal">` + sv(want[2].median) + `</td>`,
		`<th scope="row">Kommun Nybro</th><td>Tele2 / Com Hem</td><td class="tal">5</td><td class="tal">` + sv(want[3].median) + `</td>`,
	} {
		if !strings.Contains(table, w) {
			t.Errorf("the page's table lacks %s:\n%s", w, table)
		}
	}
	if n := strings.Count(table, `<th scope="row">`); n != 4 {
		t.Errorf("the page's table has %d rows, want 4:\n%s", n, table)
	}
	if strings.Contains(page, "Bahnhof") || strings.Contains(table, "Kommun Kalmar") {
		t.Errorf("the page shows Bahnhof's 4 or Kalmar's Telia, which would tell them:\n%s", table)
	}

	// CSV.
	resp, body = mapFetch(t, ts.URL+"/api/v1/measurements/report?format=csv&table=operators&period=all")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "matningar-per-operator-all.csv") {
		t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, rec := range recs[1:] {
		n, _ := strconv.Atoi(rec[4])
		m, _ := strconv.ParseFloat(strings.Replace(rec[5], ",", ".", 1), 64)
		got = append(got, group{rec[0] + " " + rec[2], rec[3], n, m})
	}
	wantSheet := fmt.Sprintf("[{län Kalmar län Telia 13 %v} {län Kalmar län Tele2 / Com Hem 5 %v} {kommun Nybro Telia 7 %v} {kommun Nybro Tele2 / Com Hem 5 %v}]",
		want[0].median, want[1].median, want[2].median, want[3].median)
	if recs[0][3] != "Operatör" || fmt.Sprint(got) != wantSheet {
		t.Errorf("CSV: %v\n%v, want %s", recs[0], got, wantSheet)
	}
	if strings.Contains(string(body), "Bahnhof") {
		t.Errorf("the CSV shows Bahnhof:\n%s", body)
	}
	if resp, _ := mapFetch(t, ts.URL+"/api/v1/measurements/report?format=xlsx&table=operators"); resp.StatusCode != 400 {
		t.Errorf("xlsx with table=operators: %d, want 400 (the workbook holds every table)", resp.StatusCode)
	}

	// XLSX.
	resp, body = mapFetch(t, ts.URL+"/api/v1/measurements/report?format=xlsx&period=all")
	if resp.StatusCode != 200 {
		t.Fatalf("XLSX: %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); !slices.Contains(sheets, "Per operatör") {
		t.Fatalf("sheets %v, want Per operatör", sheets)
	}
	xrows, err := f.GetRows("Per operatör", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, rec := range xrows[1:] {
		n, _ := strconv.Atoi(rec[4])
		m, _ := strconv.ParseFloat(rec[5], 64)
		got = append(got, group{rec[0] + " " + rec[2], rec[3], n, m})
	}
	if fmt.Sprint(got) != wantSheet {
		t.Errorf("XLSX: %v, want %s", got, wantSheet)
	}
	for _, name := range f.GetSheetList() {
		all, _ := f.GetRows(name)
		for _, rec := range all {
			if slices.Contains(rec, "Bahnhof") {
				t.Errorf("sheet %s shows Bahnhof: %v", name, rec)
			}
		}
	}
}

// sv is a speed as the page writes it: one decimal, decimal comma.
func sv(v float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64), ".", ",", 1)
}

// A submission's operator: a bad one is a 400 naming the field; a good one
// is stored as its key, and the 201 says what it said before.
func TestTheAPITakesAnOperator(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{})
	base := `"down_mbps": 50, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615`
	for _, bad := range []string{`""`, `"` + strings.Repeat("x", 65) + `"`, `"Telia\tAB"`, `"..."`, `12`} {
		resp, body := post(t, ts.URL, `{`+base+`, "operator": `+bad+`}`)
		if resp.StatusCode != 400 || !slices.Equal(errorFields(t, body), []string{"operator"}) {
			t.Errorf("operator %s: %d %s, want 400 naming operator", bad, resp.StatusCode, body)
		}
	}
	for range 2 { // the retry gets the first answer
		resp, body := post(t, ts.URL, `{`+base+`, "operator": "Com Hem"}`, "Idempotency-Key", "op-key-1")
		var answer map[string]any
		if err := json.Unmarshal(body, &answer); err != nil || resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range answer {
				if !yield(k) {
					return
				}
			}
		})
		if !slices.Equal(keys, []string{"id", "measured_at", "municipality", "square"}) {
			t.Errorf("the 201 holds %v", keys)
		}
	}
	var n int
	var op string
	if err := pool.QueryRow(context.Background(), `SELECT count(*), max(operator) FROM measurements`).Scan(&n, &op); err != nil || n != 1 || op != "tele2" {
		t.Errorf("stored %d, operator %q (%v); want 1, tele2", n, op, err)
	}
}
