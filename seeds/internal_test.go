package seeds

import (
	"math"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
)

// The land mask against places whose side of the shore is known.
func TestLandMask(t *testing.T) {
	mask, err := loadLandMask()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lon, lat float64
		land     bool
	}{
		{"Kalmar, SCB's locality point", 16.341959, 56.683092, true},
		{"Färjestaden", 16.485692, 56.647319, true},
		{"Västervik centrum", 16.6373, 57.7584, true},
		{"Oskarshamn centrum", 16.4474, 57.2646, true},
		{"Nybro centrum", 15.9072, 56.7447, true},
		{"Borgholm", 16.6560, 56.8790, true},
		{"Kalmarsund between Kalmar and Färjestaden", 16.4050, 56.6600, false},
		{"the Baltic east of Öland", 17.3000, 56.8000, false},
		{"the Baltic off Västervik", 16.9000, 57.7000, false},
	}
	sweden, err := loadSwedenMask()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mask.land(geo.ToSWEREF([2]float64{tt.lon, tt.lat})); got != tt.land {
				t.Errorf("land = %v, want %v", got, tt.land)
			}
		})
	}
	national := []struct {
		name     string
		lon, lat float64
		land     bool
	}{
		{"Stockholm, Gamla stan", 18.0710, 59.3251, true},
		{"Göteborg, Brunnsparken", 11.9689, 57.7072, true},
		{"Malmö, Stortorget", 13.0010, 55.6058, true},
		{"Visby", 18.2948, 57.6390, true},
		{"Kiruna", 20.2253, 67.8558, true},
		{"Östersund", 14.6357, 63.1792, true},
		{"Kalmar, SCB's locality point", 16.341959, 56.683092, true},
		{"Vänern", 13.5000, 58.9000, false},
		{"Vättern", 14.5500, 58.3000, false},
		{"Kattegat", 11.5000, 57.0000, false},
		{"the Bothnian Sea", 19.5000, 62.5000, false},
		{"the Baltic east of Öland", 17.3000, 56.8000, false},
	}
	for _, tt := range national {
		t.Run("Sweden/"+tt.name, func(t *testing.T) {
			if got := sweden.land(geo.ToSWEREF([2]float64{tt.lon, tt.lat})); got != tt.land {
				t.Errorf("land = %v, want %v", got, tt.land)
			}
		})
	}
}

// The municipality table must add up to the county's published figure,
// weighted by population_2022 (which the households follow).
func TestCalibrationTableAddsUp(t *testing.T) {
	munis, err := loadReference()
	if err != nil {
		t.Fatal(err)
	}
	for y := range nYears {
		var sum, pop float64
		for _, m := range munis {
			sum += municipalityCalibration[m.code].share100[y] * float64(m.population)
			pop += float64(m.population)
		}
		if got := sum / pop; math.Abs(got-county100[y]) > 0.5 {
			t.Errorf("%d: municipalities add up to %.2f %%, county %.1f %%", firstYear+y, got, county100[y])
		}
		if county1G[y] > county100[y] || rural1G[y] > rural100[y] {
			t.Errorf("%d: more households with 1 Gbit/s than with 100 Mbit/s", firstYear+y)
		}
	}
}

// What the generator calls rural is what gigakoll's 1 km rule calls rural,
// and every point is on land, in its municipality.
func TestZonesFollowTheKmRule(t *testing.T) {
	g, err := New(Config{Seed: 7, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{firstYear, lastYear} {
		type pt struct {
			sq   geo.Square
			zone zone
			hh   int
		}
		var pts []pt
		hh := map[geo.Square]int{}
		gen := newPointGen(g.ly)
		var p point
		offLand := 0
		for _, m := range g.ly.munis {
			for si := range m.slots {
				s := &m.slots[si]
				for j := range s.n() {
					gen.derive(&p, m, s, j)
					if p.built > year {
						continue
					}
					if !g.ly.mask.land(p.pos) || !m.contains(p.pos) {
						offLand++
					}
					sq := geo.SquareOf(p.pos, geo.KmSquareSize)
					h := p.householdsIn(year)
					pts = append(pts, pt{sq, p.zone, h})
					hh[sq] += h
				}
			}
		}
		wrong := 0
		for _, q := range pts {
			if (hh[q.sq] >= 100) != (q.zone == urban) {
				wrong++
			}
		}
		if wrong > 0 {
			t.Errorf("%d: %d of %d points are in the other zone by the 1 km rule", year, wrong, len(pts))
		}
		if offLand > 0 {
			t.Errorf("%d: %d points at sea or outside their municipality", year, offLand)
		}
	}
}
