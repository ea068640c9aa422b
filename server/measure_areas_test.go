package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// Kalmar has 10 measurements, 6 in Storgatan's square and 4 in Lillgatan's;
// Nybro 5 in a square of its own. Kalmar less the 6-square would tell the
// 4, so the 6-square is shown in no channel (the page, CSV, XLSX, the JSON
// summary, the map's tiles) while Kalmar (10), Nybro (5), its square and
// the county (15) are.
func TestAreaFiguresInEveryChannel(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	kalmar, _ := measure.MunicipalityByCode("0880")
	nybro, _ := measure.MunicipalityByCode("0881")
	six, four, five := geo.Square{E: 583000, N: 6280250, Size: 250}, geo.Square{E: 583250, N: 6280250, Size: 250},
		geo.Square{E: 560000, N: 6290000, Size: 250}
	var ms []measure.Measurement
	add := func(sq geo.Square, m measure.Municipality, n int) {
		for i := range n {
			ms = append(ms, measure.Measurement{MeasuredAt: time.Now().Add(-time.Duration(len(ms)+1) * time.Hour).Truncate(time.Hour),
				Square: sq, Municipality: m, DownMbps: float64(10 * (i + 1)), UpMbps: 5, Connection: "fiber", Source: "test"})
		}
	}
	add(six, kalmar, 6)
	add(four, kalmar, 4)
	add(five, nybro, 5)
	if _, err := measure.NewStore(pool).Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	ts, _ := measureServer(t, pool, measureServerOpts{})
	hidden, shown := six.ID(), five.ID()

	// The page.
	resp, body := mapFetch(t, ts.URL+"/matningar")
	page := string(body)
	if resp.StatusCode != 200 || strings.Contains(page, hidden) || !strings.Contains(page, shown) ||
		!strings.Contains(page, `<th scope="row">Kommun Kalmar</th>`) {
		t.Errorf("/matningar: %d, want Kalmar and %s shown, %s not:\n%s", resp.StatusCode, shown, hidden, page)
	}
	// CSV.
	resp, body = mapFetch(t, ts.URL+"/api/v1/measurements/report?format=csv&period=all")
	csvText := string(body)
	for _, w := range []string{"län;08;Kalmar län;15;", "kommun;0880;Kalmar;10;", "kommun;0881;Nybro;5;", "ruta;" + shown + ";;5;"} {
		if !strings.Contains(csvText, w) {
			t.Errorf("CSV (%d) lacks %q:\n%s", resp.StatusCode, w, csvText)
		}
	}
	if strings.Contains(csvText, hidden) {
		t.Errorf("CSV shows %s:\n%s", hidden, csvText)
	}
	// XLSX.
	resp, body = mapFetch(t, ts.URL+"/api/v1/measurements/report?format=xlsx&period=all")
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX (%d): %v", resp.StatusCode, err)
	}
	var cells []string
	for _, name := range f.GetSheetList() {
		rows, _ := f.GetRows(name)
		for _, r := range rows {
			cells = append(cells, r...)
		}
	}
	if slices.Contains(cells, hidden) || !slices.Contains(cells, shown) {
		t.Errorf("XLSX: %s shown %v, %s shown %v", hidden, slices.Contains(cells, hidden), shown, slices.Contains(cells, shown))
	}
	// The JSON summaries: the square not published, Kalmar published.
	for area, want := range map[string]int64{"square:" + hidden: 0, "municipality:0880": 10, "square:" + shown: 5, "county:08": 15} {
		resp, body := mapFetch(t, ts.URL+"/api/v1/measurements/summary?area="+area)
		var sum measure.Summary
		if err := json.Unmarshal(body, &sum); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", area, resp.StatusCode, body)
		}
		var got int64
		if sum.Figures != nil {
			got = sum.Figures.Count
		}
		if sum.Published != (want > 0) || got != want {
			t.Errorf("summary of %s: %s, want %d published (0: none)", area, body, want)
		}
		if strings.Contains(string(body), hidden) && area != "square:"+hidden {
			t.Errorf("summary of %s names %s: %s", area, hidden, body)
		}
	}
	// The map's tiles at zoom 12 over the three squares.
	var b orb.Bound
	for i, sq := range []geo.Square{six, four, five} {
		for j, c := range []geo.SWEREF{{E: float64(sq.E), N: float64(sq.N)}, {E: float64(sq.E + 250), N: float64(sq.N + 250)}} {
			if p := geo.ToWGS84(c); i == 0 && j == 0 {
				b = p.Bound()
			} else {
				b = b.Extend(p)
			}
		}
	}
	onMap := map[string]int64{}
	for _, tile := range geo.TilesCovering(b, 12) {
		resp, body := mapFetch(t, ts.URL+"/tiles/measurements/"+geo.TilePath(tile)+".mvt")
		if resp.StatusCode == 204 {
			continue
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("tile %s: %d %v", geo.TilePath(tile), resp.StatusCode, err)
		}
		for _, l := range layers {
			for _, f := range l.Features {
				onMap[f.Properties.MustString("square")] = int64(f.Properties.MustFloat64("measurements"))
			}
		}
	}
	if fmt.Sprint(onMap) != fmt.Sprint(map[string]int64{shown: 5}) {
		t.Errorf("the map shows %v, want only %s (5)", onMap, shown)
	}
}
