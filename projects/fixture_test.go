package projects_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/projects"
)

// The hand-made fixture: a grid of address points across the border of
// Kalmar (0880) and Nybro (0881), and a register of rectangles over it. The
// test knows every point and every rectangle; the expected figures are
// computed from those here, never read from package projects.

var asOf = time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)

type fxPoint struct {
	id          string
	muni        string
	e, n        float64
	hh, wp, hol int64
	mbps        int // best fixed offer; 0: none
}

type fxProject struct {
	id, status string
	completion int // 0: none (cancelled)
	down       float64
	cost       float64
	funding    []map[string]any
	w, s, e, n float64 // the rectangle in SWEREF 99 TM
	feature    int
}

func (p fxProject) covers(q fxPoint) bool {
	return q.e >= p.w && q.e <= p.e && q.n >= p.s && q.n <= p.n
}

const spacing = 60.0

// border finds a place where Kalmar and Nybro meet: walking west from
// Kalmar's town, the first position in Nybro.
func border(t *testing.T) geo.SWEREF {
	t.Helper()
	ix, err := geo.LoadMunicipalities()
	if err != nil {
		t.Fatal(err)
	}
	for e := 575000.0; e > 520000; e -= 20 {
		p := geo.SWEREF{E: e, N: 6285000}
		if ix.Locate(p) == "0881" && ix.Locate(geo.SWEREF{E: e + 20, N: 6285000}) == "0880" {
			return p
		}
	}
	t.Fatal("no border between Kalmar and Nybro found")
	return geo.SWEREF{}
}

// fixturePoints is a 14 × 14 grid of points 60 m apart centred on the
// border, each in the municipality its position lies in.
func fixturePoints(t *testing.T) []fxPoint {
	ix, _ := geo.LoadMunicipalities()
	b := border(t)
	r := rand.New(rand.NewPCG(7, 7))
	var out []fxPoint
	for i := range 14 {
		for j := range 14 {
			e := math.Floor(b.E/spacing)*spacing + float64(i-7)*spacing + 0.5
			n := math.Floor(b.N/spacing)*spacing + float64(j-7)*spacing + 0.5
			m := ix.Locate(geo.SWEREF{E: e, N: n})
			if m != "0880" && m != "0881" {
				continue
			}
			p := fxPoint{id: fmt.Sprintf("F%03d", len(out)), muni: m, e: e, n: n, hh: int64(1 + r.IntN(3))}
			if r.IntN(5) == 0 {
				p.wp = 1
			}
			if r.IntN(7) == 0 {
				p.hol = 1
			}
			switch x := r.IntN(10); {
			case x < 4:
				p.mbps = 1000
			case x < 6:
				p.mbps = 100
			case x < 8:
				p.mbps = 10
			}
			out = append(out, p)
		}
	}
	return out
}

func coverageCSV(pts []fxPoint) string {
	var b strings.Builder
	b.WriteString("address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year\n")
	for _, p := range pts {
		tech, status, down := "none", "", "0"
		switch p.mbps {
		case 1000:
			tech, status, down = "fiber", "connected", "1000"
		case 100:
			tech, status, down = "cable", "connected", "100"
		case 10:
			tech, status, down = "dsl", "connected", "10"
		}
		fmt.Fprintf(&b, "%s;%s;%.1f;%.1f;%d;%d;%d;%s;%s;%s;;Gatan;1;39231;Byn;;\n", p.id, p.muni, p.e, p.n, p.hh, p.wp, p.hol, tech, status, down)
	}
	return b.String()
}

// rect is a rectangle over grid cells i0..i1, j0..j1 (inclusive) of the
// grid, its edges half way between points.
func rect(pts []fxPoint, i0, j0, i1, j1 int) (w, s, e, n float64) {
	minE, minN := math.Inf(1), math.Inf(1)
	for _, p := range pts {
		minE, minN = math.Min(minE, p.e), math.Min(minN, p.n)
	}
	// the grid's origin: the smallest coordinates of a full grid
	return minE + float64(i0)*spacing - spacing/2, minN + float64(j0)*spacing - spacing/2,
		minE + float64(i1)*spacing + spacing/2, minN + float64(j1)*spacing + spacing/2
}

func fixtureProjects(pts []fxPoint) []fxProject {
	mk := func(id, status string, completion int, down, cost float64, i0, j0, i1, j1 int, funding []map[string]any) fxProject {
		w, s, e, n := rect(pts, i0, j0, i1, j1)
		return fxProject{id: id, status: status, completion: completion, down: down, cost: cost, funding: funding, w: w, s: s, e: e, n: n}
	}
	ps := []fxProject{
		// completed before the snapshot's year: it under-delivered
		mk("A", "completed", 2020, 1000, 9_000_000, 0, 0, 6, 6, []map[string]any{
			{"source": "eu", "programme": "Landsbygdsprogrammet", "amount_sek": 4_000_000},
			{"source": "regional", "programme": "Regionen", "amount_sek": 1_000_000},
			{"source": "private", "programme": "medlemmar", "amount_sek": 2_500_000}}),
		// across the border, overlapping A, due after A
		mk("B", "in_progress", 2026, 1000, 12_000_000, 4, 4, 13, 9, []map[string]any{
			{"source": "national", "programme": "PTS", "amount_sek": 6_000_000},
			{"source": "municipal", "programme": "kommunen", "amount_sek": 1_000_000}}),
		// 100 Mbit/s only, due 2025
		mk("C", "planned", 2025, 100, 3_000_000, 8, 0, 13, 3, nil),
		// cancelled: counts nowhere
		mk("D", "cancelled", 0, 1000, 2_000_000, 0, 10, 6, 13, nil),
	}
	// E: one point that has 1 Gbit/s already (a project with no gap); G:
	// one point that lacks it (a project of fewer than 5 households). Both
	// in cells no other project covers.
	var e, g bool
	for _, q := range pts {
		i, j := int(math.Round((q.e-pts[0].e)/spacing)), int(math.Round((q.n-pts[0].n)/spacing))
		free := true
		for _, p := range ps {
			free = free && !p.covers(q)
		}
		switch {
		case !free:
		case !e && q.mbps == 1000:
			ps, e = append(ps, mk("E", "completed", 2022, 1000, 100_000, i, j, i, j, nil)), true
		case !g && q.mbps < 100 && q.hh < 5:
			ps, g = append(ps, mk("G", "planned", 2025, 1000, 50_000, i, j, i, j, nil)), true
		}
	}
	for i := range ps {
		ps[i].feature = i
	}
	return ps
}

func featureCollection(ps []fxProject) []byte {
	var feats []map[string]any
	for _, p := range ps {
		var ring [][2]float64
		for _, c := range [][2]float64{{p.w, p.s}, {p.e, p.s}, {p.e, p.n}, {p.w, p.n}, {p.w, p.s}} {
			q := geo.ToWGS84(geo.SWEREF{E: c[0], N: c[1]})
			ring = append(ring, [2]float64{q[0], q[1]})
		}
		props := map[string]any{"id": p.id, "name": "Projekt " + p.id, "owner": "Ägare " + p.id, "status": p.status,
			"down_mbps": p.down, "cost_sek": p.cost, "funding": p.funding, "fid": 7}
		if p.completion > 0 {
			props["completion_year"] = p.completion
		}
		feats = append(feats, map[string]any{"type": "Feature", "properties": props,
			"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}}})
	}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	return b
}

// fixtureDB imports the points as the snapshot of asOf and the register.
func fixtureDB(t *testing.T) (*pgxpool.Pool, *projects.Store, []fxPoint, []fxProject, projects.ImportResult) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	pts := fixturePoints(t)
	cov := coverage.NewStore(pool)
	if _, err := cov.Import(ctx, strings.NewReader(coverageCSV(pts)), coverage.ImportOptions{AsOf: asOf, Name: "fixture.csv",
		Audit: auth.Entry{Actor: "test"}}); err != nil {
		t.Fatal(err)
	}
	ps := fixtureProjects(pts)
	st := projects.NewStore(pool, cov, nil)
	res, err := st.Import(ctx, bytes.NewReader(featureCollection(ps)), projects.ImportOptions{Name: "register.geojson", Audit: auth.Entry{Actor: "test"}})
	if err != nil {
		var ie *projects.ImportError
		if errors.As(err, &ie) {
			t.Fatalf("import: %v\n%s", err, ie.Problems.Report())
		}
		t.Fatal(err)
	}
	return pool, st, pts, ps, res
}

func stringsContains(s, sub string) bool { return strings.Contains(s, sub) }
