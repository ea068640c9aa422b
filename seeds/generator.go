package seeds

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"time"
)

// Config chooses the demo: the same Config gives the same bytes, always.
// Scale 1 is the demo as calibrated. Below it the towns' 1 km squares hold
// fewer than 100 households, above it the country's squares fill up, so
// gigakoll's urban/rural rule no longer matches the generator's zones; the
// shares per municipality and zone hold at any Scale.
type Config struct {
	Seed  uint64  // any value; 0 is as good as another
	Scale float64 // multiplies the number of address points; 1 is the demo
	Scope Scope   // the region; "" is ScopeKalmar
}

// MaxScale bounds Config.Scale: 100 is some 7 million address points and
// 15 million rows a year, more than Sweden has.
const MaxScale = 100

// Generator writes the demo snapshots of Kalmar län. Build it once; it
// holds only the layout (a few hundred slots, whatever the Scale) and is
// safe for concurrent use: each Write derives every point afresh from
// (seed, municipality, index).
type Generator struct {
	cfg Config
	ly  *layout
}

// New lays out the county from the embedded reference data and calibrates
// it against the published history.
func New(cfg Config) (*Generator, error) {
	if !(cfg.Scale > 0 && cfg.Scale <= MaxScale) {
		return nil, fmt.Errorf("seeds: scale %v: want more than 0 and at most %d", cfg.Scale, MaxScale)
	}
	var ly *layout
	switch cfg.Scope {
	case "", ScopeKalmar:
		munis, err := loadReference()
		if err != nil {
			return nil, err
		}
		mask, err := loadLandMask()
		if err != nil {
			return nil, err
		}
		if ly, err = newLayout(cfg, munis, mask); err != nil {
			return nil, err
		}
	case ScopeSweden:
		var err error
		if ly, err = newSwedenLayout(cfg); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("seeds: scope %q: want %s or %s", cfg.Scope, ScopeKalmar, ScopeSweden)
	}
	ly.calibrate()
	return &Generator{cfg: cfg, ly: ly}, nil
}

// Years returns the snapshot years the generator calibrates: 2015–2024.
func Years() []int {
	ys := make([]int, 0, lastYear-firstYear+1)
	for y := firstYear; y <= lastYear; y++ {
		ys = append(ys, y)
	}
	return ys
}

// AsOf returns the date of a year's snapshot: the survey is taken as of
// 1 October (spec/coverage-format.md).
func AsOf(year int) time.Time { return time.Date(year, time.October, 1, 0, 0, 0, 0, time.UTC) }

// Stats describes a written snapshot. The shares are computed from the rows
// as written, by the import format's rule (spec/coverage-format.md).
type Stats struct {
	Year         int
	Rows, Points int
	Bytes        int64
	Households   int
	Workplaces   int
	HolidayHomes int
	// Households at points with fixed access to ≥ 100 Mbit/s, ≥ 1 Gbit/s.
	Households100, Households1G int
	// The same for rural points: outside the towns' 1 km squares, which at
	// Scale 1 is gigakoll's rule (a square of < 100 households is rural).
	RuralHouseholds, Rural100, Rural1G int
	DSLRows                            int
}

// Share100 is the share of households with ≥ 100 Mbit/s, in percent.
func (s Stats) Share100() float64 { return pct(s.Households100, s.Households) }

// Share1G is the share of households with ≥ 1 Gbit/s, in percent.
func (s Stats) Share1G() float64 { return pct(s.Households1G, s.Households) }

// RuralShare100 is the share of rural households with ≥ 100 Mbit/s, in percent.
func (s Stats) RuralShare100() float64 { return pct(s.Rural100, s.RuralHouseholds) }

// RuralShare1G is the share of rural households with ≥ 1 Gbit/s, in percent.
func (s Stats) RuralShare1G() float64 { return pct(s.Rural1G, s.RuralHouseholds) }

func pct(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return 100 * float64(n) / float64(d)
}

// Write writes the snapshot of year (2015–2024) to w in the import format:
// a header row, then every address point's rows, municipality by
// municipality. It streams: memory does not grow with the Scale, so w may
// be a pipe into the importer.
func (g *Generator) Write(w io.Writer, year int) (Stats, error) {
	st := Stats{Year: year}
	if year < firstYear || year > lastYear {
		return st, fmt.Errorf("seeds: no snapshot for %d: the demo covers %d–%d", year, firstYear, lastYear)
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 256<<10)
	if _, err := bw.WriteString(header); err != nil {
		return st, err
	}
	gen := newPointGen(g.ly)
	var p point
	var offers []offer
	buf := make([]byte, 0, 4096)
	for _, m := range g.ly.munis {
		for si := range m.slots {
			s := &m.slots[si]
			for j := range s.n() {
				gen.derive(&p, m, s, j)
				if p.built > year {
					continue
				}
				hh := p.householdsIn(year)
				offers = m.offers(offers, &p, year)
				st.count(&p, hh, offers)
				buf = appendRows(buf[:0], m, &p, hh, offers)
				if _, err := bw.Write(buf); err != nil {
					return st, err
				}
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	st.Bytes = cw.n
	return st, nil
}

// count adds a point to the statistics.
func (s *Stats) count(p *point, hh int, offers []offer) {
	best := 0
	for _, o := range offers {
		if o.tech == "" {
			continue
		}
		s.Rows++
		if o.tech == "dsl" {
			s.DSLRows++
		}
		if fixedTech(o.tech) && (o.status == "connected" || o.status == "passed") {
			best = max(best, o.down)
		}
	}
	s.Points++
	s.Households += hh
	s.Workplaces += p.workplaces
	s.HolidayHomes += p.holiday
	ge100, ge1G := 0, 0
	if best >= 100 {
		ge100 = hh
	}
	if best >= 1000 {
		ge1G = hh
	}
	s.Households100 += ge100
	s.Households1G += ge1G
	if p.zone == rural {
		s.RuralHouseholds += hh
		s.Rural100 += ge100
		s.Rural1G += ge1G
	}
}

// Generate writes the snapshot as of asOf, which must be 1 October of a
// year from 2015 to 2024, for cfg. Callers writing several years build one
// Generator with New and call Write per year.
func Generate(cfg Config, asOf time.Time, w io.Writer) (Stats, error) {
	y, mo, d := asOf.Date()
	if mo != time.October || d != 1 || y < firstYear || y > lastYear {
		return Stats{}, fmt.Errorf("seeds: as of %s: the snapshots are as of 1 October %d–%d", asOf.Format(time.DateOnly), firstYear, lastYear)
	}
	g, err := New(cfg)
	if err != nil {
		return Stats{}, err
	}
	return g.Write(w, y)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
