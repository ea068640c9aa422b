package coverage_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// This file computes the gap reports straight from testdata/gaps.csv, as
// plainly as possible and without the package's code, and reads the CSV,
// XLSX and GeoJSON the store writes back to compare them.

type gapOffer struct {
	tech, status, operator string
	down                   *big.Rat
	downText               string // as in the file, decimal comma and all
	plannedYear            int
}

type gapFixturePoint struct {
	id, muni, street, number, postcode, locality string
	x, y                                         float64
	h, w                                         int64
	holiday                                      string // as in the file; "" not given
	offers                                       []gapOffer
}

func readGapFixture(t *testing.T, path string) []*gapFixturePoint {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	byID := map[string]*gapFixturePoint{}
	var out []*gapFixturePoint
	for _, rec := range recs[1:] {
		get := func(c string) string { return rec[col[c]] }
		p := byID[get("address_id")]
		if p == nil {
			x, _ := strconv.ParseFloat(get("x"), 64)
			y, _ := strconv.ParseFloat(get("y"), 64)
			h, _ := strconv.ParseInt(get("households"), 10, 64)
			w, _ := strconv.ParseInt(get("workplaces"), 10, 64)
			p = &gapFixturePoint{id: get("address_id"), muni: get("municipality_code"), street: get("street"),
				number: get("number"), postcode: strings.ReplaceAll(get("postcode"), " ", ""), locality: get("locality"),
				x: x, y: y, h: h, w: w, holiday: get("holiday_homes")}
			byID[p.id] = p
			out = append(out, p)
		}
		year, _ := strconv.Atoi(get("planned_year"))
		p.offers = append(p.offers, gapOffer{tech: get("technology"), status: get("status"), operator: get("operator"),
			down: rat(strings.ReplaceAll(get("down_mbps"), ",", ".")), downText: get("down_mbps"), plannedYear: year})
	}
	return out
}

func fixed(tech string) bool { return tech != "mobile" && tech != "satellite" && tech != "none" }

// best is the point's best fixed offer with access, nil without one.
func (p *gapFixturePoint) best() *gapOffer {
	var b *gapOffer
	for i, o := range p.offers {
		if (o.status == "connected" || o.status == "passed") && fixed(o.tech) && (b == nil || o.down.Cmp(b.down) > 0) {
			b = &p.offers[i]
		}
	}
	return b
}

// has reports access to class, counting planned fixed builds due by year
// (year < 0: none).
func (p *gapFixturePoint) has(class int64, year int) bool {
	for _, o := range p.offers {
		ok := (o.status == "connected" || o.status == "passed") && fixed(o.tech)
		if year >= 0 && o.status == "planned" && fixed(o.tech) && (o.plannedYear == 0 || o.plannedYear <= year) {
			ok = true
		}
		if ok && o.down.Cmp(new(big.Rat).SetInt64(class)) >= 0 {
			return true
		}
	}
	return false
}

var swedishTech = map[string]string{"fiber": "fiber", "cable": "kabel-tv", "dsl": "DSL", "fixed_wireless": "fast radio", "other": "annan"}

// expectedGapRows is the CSV a municipality should get for a class.
func expectedGapRows(points []*gapFixturePoint, muni string, class int64) [][]string {
	var lacking []*gapFixturePoint
	for _, p := range points {
		if p.muni == muni && !p.has(class, -1) {
			lacking = append(lacking, p)
		}
	}
	slices.SortStableFunc(lacking, func(a, b *gapFixturePoint) int {
		if a.h+a.w != b.h+b.w {
			return int(b.h + b.w - a.h - a.w)
		}
		return strings.Compare(a.id, b.id)
	})
	var rows [][]string
	for _, p := range lacking {
		tech, speed, operator := "ingen", "0", ""
		if b := p.best(); b != nil {
			tech, speed, operator = swedishTech[b.tech], b.downText, b.operator
		}
		planned, plannedYear := "", ""
		for _, o := range p.offers {
			if o.status == "planned" && fixed(o.tech) {
				planned = o.downText
				if o.plannedYear > 0 {
					plannedYear = strconv.Itoa(o.plannedYear)
				}
			}
		}
		var near *gapFixturePoint
		dist := math.Inf(1)
		for _, q := range points {
			if q.has(1000, -1) {
				if d := math.Hypot(q.x-p.x, q.y-p.y); d < dist {
					near, dist = q, d
				}
			}
		}
		nearText, distText := "", ""
		if near != nil {
			distText = strconv.Itoa(int(math.Round(dist)))
			nearText = "i kommun " + near.muni
			if near.muni == p.muni {
				nearText = near.street + " " + near.number + " (" + near.id + ")"
			}
		}
		rows = append(rows, []string{p.id, p.street, p.number, p.postcode, p.locality,
			strconv.FormatInt(p.h, 10), strconv.FormatInt(p.w, 10), p.holiday, tech, speed, operator,
			planned, plannedYear, nearText, distText, strconv.Itoa(int(p.x)), strconv.Itoa(int(p.y)),
			""}) // no project register here: the project column is empty

	}
	return rows
}

func gapStore(t *testing.T) (*coverage.Store, []*gapFixturePoint) {
	t.Helper()
	s := coverage.NewStore(dbtest.New(t))
	mustImport(t, s, "testdata/gaps.csv", asOf2024)
	return s, readGapFixture(t, "testdata/gaps.csv")
}

func writeGaps(t *testing.T, s *coverage.Store, q coverage.GapQuery, format string) ([]byte, int64) {
	t.Helper()
	ctx := context.Background()
	g, err := s.GapReport(ctx, q, format)
	if err != nil {
		t.Fatalf("GapReport(%+v, %s): %v", q, format, err)
	}
	var buf bytes.Buffer
	n, err := s.WriteGaps(ctx, &buf, g, format)
	if err != nil {
		t.Fatalf("WriteGaps: %v", err)
	}
	return buf.Bytes(), n
}

// readSwedishCSV reads a CSV as a Swedish spreadsheet does: BOM, ";".
func readSwedishCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Fatalf("the CSV lacks its UTF-8 BOM: %q", b[:min(len(b), 20)])
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read the CSV with ';': %v", err)
	}
	return recs
}

func TestGapCSVMatchesAnIndependentComputation(t *testing.T) {
	t.Parallel()
	s, points := gapStore(t)
	for _, tc := range []struct {
		muni, target string
		class        int64
	}{
		{"0880", "se-2025-1g", 1000},
		{"0880", "se-2025-100", 100},
		{"0880", "se-2025-30", 30},
		{"0881", "se-2025-1g", 1000},
		{"0881", "se-2025-100", 100},
	} {
		t.Run(tc.muni+" "+tc.target, func(t *testing.T) {
			b, n := writeGaps(t, s, coverage.GapQuery{Municipality: tc.muni, Target: tc.target}, coverage.FormatCSV)
			recs := readSwedishCSV(t, b)
			want := expectedGapRows(points, tc.muni, tc.class)
			if recs[0][0] != "Adress-id" || recs[0][5] != "Hushåll" || recs[0][14] != "Avstånd till 1 Gbit/s (m)" {
				t.Errorf("header %q", recs[0])
			}
			if n != int64(len(want)) || len(recs)-1 != len(want) {
				t.Fatalf("%d rows (%d counted), want %d", len(recs)-1, n, len(want))
			}
			for i, row := range want {
				if !slices.Equal(recs[i+1], row) {
					t.Errorf("row %d:\n got %q\nwant %q", i+1, recs[i+1], row)
				}
			}
		})
	}
}

func TestGapReportNeverNamesAnotherMunicipalitysAddress(t *testing.T) {
	t.Parallel()
	s, _ := gapStore(t)
	b, _ := writeGaps(t, s, coverage.GapQuery{Municipality: "0880", Target: "se-2025-1g"}, coverage.FormatCSV)
	// G8 lies next to Nybro's N1, its nearest gigabit point: the report says
	// how far, not which address.
	recs := readSwedishCSV(t, b)
	var g8 []string
	for _, r := range recs {
		if r[0] == "G8" {
			g8 = r
		}
	}
	if g8 == nil || g8[13] != "i kommun 0881" || g8[14] != "71" {
		t.Errorf("G8's nearest gigabit point: %q, want i kommun 0881 at 71 m", g8)
	}
	for _, leak := range []string{"N1", "N2", "Nybro Energi"} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("0880's report names %q of another municipality", leak)
		}
	}
	b, _ = writeGaps(t, s, coverage.GapQuery{Municipality: "0880", Target: "se-2025-1g"}, coverage.FormatGeoJSON)
	for _, leak := range []string{`"N1"`, `"N2"`} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("0880's GeoJSON names %s of another municipality", leak)
		}
	}
}

func TestGapGeoJSONIsRFC7946(t *testing.T) {
	t.Parallel()
	s, points := gapStore(t)
	b, _ := writeGaps(t, s, coverage.GapQuery{Municipality: "0880"}, coverage.FormatGeoJSON)
	var fc struct {
		Type     string `json:"type"`
		CRS      any    `json:"crs"`
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	want := expectedGapRows(points, "0880", 1000)
	if fc.Type != "FeatureCollection" || fc.CRS != nil || len(fc.Features) != len(want) {
		t.Fatalf("type %q, crs %v, %d features (want %d)", fc.Type, fc.CRS, len(fc.Features), len(want))
	}
	for i, f := range fc.Features {
		c := f.Geometry.Coordinates
		// WGS 84 longitude first: Kalmar län lies at about 16° E, 57° N.
		if f.Geometry.Type != "Point" || len(c) != 2 || c[0] < 15 || c[0] > 17.5 || c[1] < 56 || c[1] > 58 {
			t.Errorf("%s: geometry %+v, want a lon/lat point in Kalmar län", f.ID, f.Geometry)
		}
		if f.ID != want[i][0] || f.Properties["address_id"] != want[i][0] {
			t.Errorf("feature %d is %s, want %s", i, f.ID, want[i][0])
		}
	}
}

func TestGapXLSXSummaryCellByCell(t *testing.T) {
	t.Parallel()
	s, points := gapStore(t)
	b, _ := writeGaps(t, s, coverage.GapQuery{Municipality: "0880"}, coverage.FormatXLSX)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the XLSX: %v", err)
	}
	defer f.Close()
	targets := []struct {
		id             string
		year           int
		class          int64
		bp             int64
		householdsOnly bool
	}{
		{"se-2020-100", 2020, 100, 9500, false}, {"se-2025-1g", 2025, 1000, 9800, false}, {"se-2025-100", 2025, 100, 9990, false},
		{"se-2025-30", 2025, 30, 10000, false}, {"kalmar-2025-1g", 2025, 1000, 10000, false}, {"eu-2030-1g", 2030, 1000, 10000, true},
	}
	wantSheets := []string{"Sammanfattning"}
	for _, tg := range targets {
		wantSheets = append(wantSheets, tg.id)
	}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %q, want %q: the summary first, then one per target", got, wantSheets)
	}
	rows, err := f.GetRows("Sammanfattning", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Kommun", "Datum", "Mål", "Beskrivning", "Målår", "Hastighet (Mbit/s)", "Tröskel", "Andel idag",
		"Uppfyllt", "Gap hushåll", "Gap arbetsställen", "Hushåll utan", "Arbetsställen utan", "Adresspunkter utan",
		"Prognos med planerad utbyggnad"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("summary header %q", rows[0])
	}
	if len(rows) != 1+len(targets) {
		t.Fatalf("summary has %d rows, want %d", len(rows), 1+len(targets))
	}
	var H, W int64
	var mine []*gapFixturePoint
	for _, p := range points {
		if p.muni == "0880" {
			H, W, mine = H+p.h, W+p.w, append(mine, p)
		}
	}
	num := func(t *testing.T, cell string) float64 {
		t.Helper()
		f, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			t.Fatalf("cell %q is not a number", cell)
		}
		return f
	}
	for i, tg := range targets {
		row := rows[i+1]
		var h, w, hf, wf, lackingPoints int64
		for _, p := range mine {
			if p.has(tg.class, -1) {
				h, w = h+p.h, w+p.w
			} else {
				lackingPoints++
			}
			if p.has(tg.class, tg.year) {
				hf, wf = hf+p.h, wf+p.w
			}
		}
		th := big.NewRat(tg.bp, 10000)
		gap := func(covered, total int64) int64 {
			need := new(big.Rat).Mul(th, big.NewRat(total, 1))
			c := new(big.Int).Quo(new(big.Int).Add(need.Num(), new(big.Int).Sub(need.Denom(), big.NewInt(1))), need.Denom())
			return max(0, c.Int64()-covered)
		}
		// over the target's population: households only, or with workplaces
		cov, tot, covF := h+w, H+W, hf+wf
		gapW := gap(w, W)
		if tg.householdsOnly {
			cov, tot, covF, gapW = h, H, hf, 0
		}
		share := ratFloat(big.NewRat(cov, tot))
		met := "nej"
		if new(big.Rat).SetFrac64(cov, tot).Cmp(th) >= 0 {
			met = "ja"
		}
		t.Run(tg.id, func(t *testing.T) {
			checks := []struct {
				col  int
				want string
			}{
				{0, "0880 Kalmar"}, {1, "2024-10-01"}, {2, tg.id}, {4, strconv.Itoa(tg.year)},
				{5, strconv.FormatInt(tg.class, 10)}, {8, met},
				{9, strconv.FormatInt(gap(h, H), 10)}, {10, strconv.FormatInt(gapW, 10)},
				{11, strconv.FormatInt(H-h, 10)}, {12, strconv.FormatInt(W-w, 10)}, {13, strconv.FormatInt(lackingPoints, 10)},
			}
			for _, c := range checks {
				if row[c.col] != c.want {
					t.Errorf("%s = %q, want %q", wantHeader[c.col], row[c.col], c.want)
				}
			}
			if got := num(t, row[6]); math.Abs(got-ratFloat(th)) > 1e-12 {
				t.Errorf("Tröskel = %v, want %v", got, ratFloat(th))
			}
			if got := num(t, row[7]); math.Abs(got-share) > 1e-12 {
				t.Errorf("Andel idag = %v, want %v", got, share)
			}
			if got, want := num(t, row[14]), ratFloat(big.NewRat(covF, tot)); math.Abs(got-want) > 1e-12 {
				t.Errorf("Prognos = %v, want %v", got, want)
			}
			if row[3] == "" {
				t.Error("Beskrivning is empty")
			}
			// The target's own sheet lists every point lacking its class.
			list, err := f.GetRows(tg.id)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(list)-1) != lackingPoints {
				t.Errorf("sheet %s lists %d points, want %d", tg.id, len(list)-1, lackingPoints)
			}
		})
	}
	// What a person sees: a frozen, filterable header, formatted numbers.
	for _, sheet := range wantSheets {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes %+v (%v), want the header row frozen", sheet, panes, err)
		}
	}
	// A filter over each sheet's header and rows: its rows are an Excel table.
	for i, sheet := range wantSheets {
		rows, _ := f.GetRows(sheet)
		want := fmt.Sprintf("A1:%s%d", map[bool]string{true: "O", false: "R"}[i == 0], len(rows)) // R: the project column
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 || tables[0].Range != want {
			t.Errorf("%s: tables %+v (%v), want one over %s", sheet, tables, err, want)
		}
	}
	shown, _ := f.GetCellValue("Sammanfattning", "H3") // Andel idag, se-2025-1g, with its number format
	if !strings.HasSuffix(shown, "%") {
		t.Errorf("Andel idag is shown as %q, want a percentage", shown)
	}
}

func TestPublicGapReportBySquare(t *testing.T) {
	t.Parallel()
	s, points := gapStore(t)
	// The independent computation: the public cells (indepPublicCells: 250 m
	// squares of the municipality with at least 5 households, the rest of a
	// 1 km square pooled when it reaches 5, the smallest withheld too where
	// what is left out would be 1–4); only those where someone lacks.
	type sq struct{ size, e, n, h, w, hl, wl int64 }
	var shown []*sq
	var ps []indepCellPoint
	for _, p := range points {
		ps = append(ps, indepCellPoint{muni: p.muni, x: p.x, y: p.y, households: p.h, workplaces: p.w})
	}
	for _, c := range indepPublicCells(ps) {
		if c.muni != "0880" {
			continue
		}
		q := &sq{size: c.size, e: c.e, n: c.n, h: c.households, w: c.workplaces}
		for _, i := range c.members {
			if !points[i].has(1000, -1) {
				q.hl, q.wl = q.hl+points[i].h, q.wl+points[i].w
			}
		}
		shown = append(shown, q)
	}
	shown = slices.DeleteFunc(shown, func(c *sq) bool { return c.hl+c.wl == 0 })
	slices.SortFunc(shown, func(a, b *sq) int {
		if a.hl+a.wl != b.hl+b.wl {
			return int(b.hl + b.wl - a.hl - a.wl)
		}
		if a.size != b.size {
			return int(a.size - b.size)
		}
		if a.e != b.e {
			return int(a.e - b.e)
		}
		return int(a.n - b.n)
	})
	b, _ := writeGaps(t, s, coverage.GapQuery{Municipality: "0880", Level: coverage.LevelSquare}, coverage.FormatCSV)
	recs := readSwedishCSV(t, b)
	if len(recs)-1 != len(shown) {
		t.Fatalf("%d squares, want %d:\n%s", len(recs)-1, len(shown), b)
	}
	for i, c := range shown {
		want := []string{fmt.Sprint(c.size), fmt.Sprint(c.e), fmt.Sprint(c.n), fmt.Sprint(c.h), fmt.Sprint(c.w)}
		if got := recs[i+1][:5]; !slices.Equal(got, want) {
			t.Errorf("square %d: %q, want %q", i+1, got, want)
		}
		if got := recs[i+1][6:8]; !slices.Equal(got, []string{fmt.Sprint(c.hl), fmt.Sprint(c.wl)}) {
			t.Errorf("square %d lacking: %q, want %d %d", i+1, got, c.hl, c.wl)
		}
	}
	// Never an address: no id, street or operator of any point.
	for _, p := range points {
		for _, leak := range []string{p.id + ";", p.street, p.postcode} {
			if bytes.Contains(b, []byte(leak)) {
				t.Errorf("the public report holds %q", leak)
			}
		}
	}
}

func TestAddressTileHoldsOnlyTheGivenMunicipalities(t *testing.T) {
	t.Parallel()
	s, points := gapStore(t)
	ctx := context.Background()
	snap, err := s.SnapshotAt(ctx, asOf2024)
	if err != nil {
		t.Fatal(err)
	}
	// Tile 7/69/39 covers Kalmar and Nybro (about 16° E, 56.7° N) whole.
	tile := geo.Tile{Z: 7, X: 69, Y: 39}
	count := map[string]int64{}
	for _, p := range points {
		count[p.muni]++
	}
	for _, tc := range []struct {
		name   string
		codes  []string
		want   int64
		absent []string
	}{
		{"0880", []string{"0880"}, count["0880"], []string{"N1", "N2", "Nybro Energi"}},
		{"0881", []string{"0881"}, count["0881"], []string{"G1", "Lilla gränd"}},
		{"all", nil, count["0880"] + count["0881"], nil},
		{"none", []string{}, 0, []string{"G1", "N1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mvt, n, err := s.AddressTile(ctx, snap.ID, tile, tc.codes)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || (n > 0) != bytes.Contains(mvt, []byte("addresses")) {
				t.Errorf("%d points in %d bytes, want %d", n, len(mvt), tc.want)
			}
			for _, a := range tc.absent {
				if bytes.Contains(mvt, []byte(a)) {
					t.Errorf("the tile holds %q", a)
				}
			}
		})
	}
}
