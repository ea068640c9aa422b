package seeds_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/gigakoll/gigakoll/seeds"
)

// The tests read the generated files as an importer would: encoding/csv,
// columns by name, the rules of spec/coverage-format.md. Nothing here
// reuses the generator's own counters.

// demoConfig is the demo as users get it.
var demoConfig = seeds.Config{Seed: 1, Scale: 1}

// snapshot is one parsed year.
type snapshot struct {
	year     int
	rows     int
	dslRows  int
	points   []*addressPoint
	byID     map[string]*addressPoint
	problems []string // rows that break the format, "line N: …"
}

type addressPoint struct {
	id, muni       string
	x, y           float64
	households     int
	workplaces     int
	holidayHomes   int
	best           int // highest down_mbps of a connected or passed fixed row
	bestWithMobile int // the same, mobile and satellite included
	techs          map[string]bool
}

var (
	demoOnce  sync.Once
	demoYears []*snapshot
	demoErr   error
)

// demo generates and parses every year of the demo once for all tests.
func demo(t *testing.T) []*snapshot {
	t.Helper()
	demoOnce.Do(func() {
		g, err := seeds.New(demoConfig)
		if err != nil {
			demoErr = err
			return
		}
		var buf bytes.Buffer
		for _, y := range seeds.Years() {
			buf.Reset()
			if _, err := g.Write(&buf, y); err != nil {
				demoErr = fmt.Errorf("write %d: %w", y, err)
				return
			}
			s, err := parseSnapshot(&buf, y, kalmarMunicipalities)
			if err != nil {
				demoErr = fmt.Errorf("parse %d: %w", y, err)
				return
			}
			demoYears = append(demoYears, s)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoYears
}

func year(t *testing.T, y int) *snapshot {
	t.Helper()
	for _, s := range demo(t) {
		if s.year == y {
			return s
		}
	}
	t.Fatalf("no snapshot for %d", y)
	return nil
}

var (
	required             = []string{"address_id", "municipality_code", "x", "y", "households", "workplaces", "technology", "status", "down_mbps"}
	techs                = map[string]bool{"fiber": true, "cable": true, "dsl": true, "fixed_wireless": true, "mobile": true, "satellite": true, "other": true, "none": true}
	statuses             = map[string]bool{"connected": true, "passed": true, "planned": true}
	kalmarMunicipalities = map[string]bool{"0821": true, "0834": true, "0840": true, "0860": true, "0861": true, "0862": true, "0880": true, "0881": true, "0882": true, "0883": true, "0884": true, "0885": true}
	digits4              = regexp.MustCompile(`^[0-9]{4}$`)
	digits5              = regexp.MustCompile(`^[0-9]{5}$`)
	houseNo              = regexp.MustCompile(`^[1-9][0-9]*[A-Z]?$`)
)

// parseSnapshot reads a file in the import format and checks every row,
// with municipality codes from munis.
func parseSnapshot(r io.Reader, y int, munis map[string]bool) (*snapshot, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("header lacks %s", c)
		}
	}
	s := &snapshot{year: y, byID: map[string]*addressPoint{}}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return rec[i]
			}
			return ""
		}
		bad := func(format string, args ...any) {
			if len(s.problems) < 20 {
				s.problems = append(s.problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
			}
		}
		s.rows++
		id, muni, tech, status := get("address_id"), get("municipality_code"), get("technology"), get("status")
		if len(id) < 1 || len(id) > 64 {
			bad("address_id %q", id)
		}
		if !digits4.MatchString(muni) || !munis[muni] {
			bad("municipality_code %q", muni)
		}
		x, ex := strconv.ParseFloat(get("x"), 64)
		yy, ey := strconv.ParseFloat(get("y"), 64)
		if ex != nil || ey != nil || x < 180000 || x > 1000000 || yy < 6100000 || yy > 7700000 {
			bad("x, y %q, %q outside Sweden's extent", get("x"), get("y"))
		}
		count := func(c string, optional bool) int {
			v := get(c)
			if v == "" && optional {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				bad("%s %q: want an integer ≥ 0", c, v)
			}
			return n
		}
		hh, wp, hol := count("households", false), count("workplaces", false), count("holiday_homes", true)
		if !techs[tech] {
			bad("technology %q", tech)
		}
		if tech == "none" && status != "" || tech != "none" && !statuses[status] {
			bad("status %q with technology %q", status, tech)
		}
		down, err := strconv.ParseFloat(get("down_mbps"), 64)
		if err != nil || down < 0 || tech == "none" && down != 0 {
			bad("down_mbps %q with technology %q", get("down_mbps"), tech)
		}
		if up := get("up_mbps"); up != "" {
			if v, err := strconv.ParseFloat(up, 64); err != nil || v < 0 {
				bad("up_mbps %q", up)
			}
		}
		if pc := get("postcode"); !digits5.MatchString(pc) {
			bad("postcode %q", pc)
		}
		if get("street") == "" || !houseNo.MatchString(get("number")) || get("locality") == "" {
			bad("address %q %q %q", get("street"), get("number"), get("locality"))
		}
		if py := get("planned_year"); (py != "") != (status == "planned") {
			bad("planned_year %q with status %q", py, status)
		} else if py != "" {
			if n, err := strconv.Atoi(py); err != nil || n <= y || n > y+2 {
				bad("planned_year %q in %d", py, y)
			}
		}
		if tech == "dsl" {
			s.dslRows++
		}
		p := s.byID[id]
		if p == nil {
			p = &addressPoint{id: id, muni: muni, x: x, y: yy, households: hh, workplaces: wp, holidayHomes: hol, techs: map[string]bool{}}
			s.byID[id] = p
			s.points = append(s.points, p)
		} else if p.households != hh || p.workplaces != wp || p.x != x || p.y != yy || p.muni != muni {
			bad("%s: households, workplaces or position differ from its earlier row", id)
		}
		if p.techs[tech] {
			bad("%s: a second %s row", id, tech)
		}
		p.techs[tech] = true
		if status == "connected" || status == "passed" {
			d := int(math.Floor(down))
			if tech != "mobile" && tech != "satellite" {
				p.best = max(p.best, d)
			}
			p.bestWithMobile = max(p.bestWithMobile, d)
		}
	}
}

// share is the percentage of households at the points for which keep is
// true that have access to at least mbps.
func share(points []*addressPoint, mbps int, keep func(*addressPoint) bool) float64 {
	var covered, total int
	for _, p := range points {
		if !keep(p) {
			continue
		}
		total += p.households
		if p.best >= mbps {
			covered += p.households
		}
	}
	return 100 * float64(covered) / float64(total)
}

func all(*addressPoint) bool { return true }

func inMunicipality(code string) func(*addressPoint) bool {
	return func(p *addressPoint) bool { return p.muni == code }
}

// ruralByRule returns gigakoll's stand-in rule (spec/targets.md): a point is
// rural when its 1 km SWEREF 99 TM square holds fewer than 100 households.
func ruralByRule(points []*addressPoint) func(*addressPoint) bool {
	type sq struct{ e, n int64 }
	key := func(p *addressPoint) sq {
		return sq{int64(math.Floor(p.x / 1000)), int64(math.Floor(p.y / 1000))}
	}
	hh := map[sq]int{}
	for _, p := range points {
		hh[key(p)] += p.households
	}
	return func(p *addressPoint) bool { return hh[key(p)] < 100 }
}
