package seeds_test

import (
	"math"
	"testing"
)

// The published history (shared data/kalmar-history.md) as a user of the
// demo would check it: households with access, by year.
func TestCountyFollowsPublishedHistory(t *testing.T) {
	published := map[int]float64{2015: 47.6, 2016: 54, 2017: 61, 2018: 67}
	for y, want := range published {
		if got := share(year(t, y).points, 100, all); math.Abs(got-want) > 2 {
			t.Errorf("%d: county ≥ 100 Mbit/s %.1f %%, published %.1f %% (±2)", y, got, want)
		}
	}
}

func TestMunicipalitiesFollowPublishedHistory(t *testing.T) {
	const kalmar, hogsby, torsas, morbylanga = "0880", "0821", "0834", "0840"
	tests := []struct {
		name string
		muni string
		year int
		want float64
	}{
		{"Kalmar 2016", kalmar, 2016, 72.6},
		{"Kalmar 2017", kalmar, 2017, 79},
		{"Kalmar 2018", kalmar, 2018, 84},
		{"Högsby 2016", hogsby, 2016, 20.9},
		{"Högsby 2017", hogsby, 2017, 24},
		{"Torsås 2016", torsas, 2016, 39.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := share(year(t, tt.year).points, 100, inMunicipality(tt.muni)); math.Abs(got-tt.want) > 3 {
				t.Errorf("≥ 100 Mbit/s %.1f %%, published %.1f %% (±3)", got, tt.want)
			}
		})
	}
	growth := func(muni string, y int) float64 {
		return share(year(t, y).points, 100, inMunicipality(muni)) - share(year(t, y-1).points, 100, inMunicipality(muni))
	}
	t.Run("Högsby grew 15 points in 2018", func(t *testing.T) {
		if g := growth(hogsby, 2018); math.Abs(g-15) > 3 {
			t.Errorf("grew %.1f points", g)
		}
	})
	t.Run("Mörbylånga grew 17 points in 2017", func(t *testing.T) {
		if g := growth(morbylanga, 2017); math.Abs(g-17) > 3 {
			t.Errorf("grew %.1f points", g)
		}
	})
	t.Run("Torsås grew fastest in 2016", func(t *testing.T) {
		gt := growth(torsas, 2016)
		for muni := range kalmarMunicipalities {
			if g := growth(muni, 2016); muni != torsas && g >= gt {
				t.Errorf("%s grew %.1f points, Torsås %.1f", muni, g, gt)
			}
		}
	})
}

func TestRuralLagsBehind(t *testing.T) {
	rural := func(y int) func(*addressPoint) bool { return ruralByRule(year(t, y).points) }
	if got := share(year(t, 2017).points, 100, rural(2017)); math.Abs(got-13) > 3 {
		t.Errorf("2017: rural ≥ 100 Mbit/s %.1f %%, published 13 %% (±3)", got)
	}
	if got := share(year(t, 2018).points, 100, rural(2018)); got <= 33.3 {
		t.Errorf("2018: rural ≥ 100 Mbit/s %.1f %%, published over a third", got)
	}
	s2020 := year(t, 2020)
	if got := share(s2020.points, 1000, all); got <= 80 {
		t.Errorf("2020: county ≥ 1 Gbit/s %.1f %%, published over 80 %%", got)
	}
	if got := share(s2020.points, 1000, rural(2020)); got < 38 || got > 48 {
		t.Errorf("2020: rural ≥ 1 Gbit/s %.1f %%, published just over 40 %% (38–48)", got)
	}
	last, rural2024 := year(t, 2024), rural(2024)
	urban := func(p *addressPoint) bool { return !rural2024(p) }
	if r, u := share(last.points, 1000, rural2024), share(last.points, 1000, urban); u-r < 15 {
		t.Errorf("2024: rural ≥ 1 Gbit/s %.1f %%, urban %.1f %%: rural should lag far behind", r, u)
	}
}

func TestAccessRisesAndCopperShrinks(t *testing.T) {
	years := demo(t)
	for i := 1; i < len(years); i++ {
		prev, cur := years[i-1], years[i]
		if cur.dslRows >= prev.dslRows {
			t.Errorf("%d: %d DSL rows, %d in %d: copper should shrink every year", cur.year, cur.dslRows, prev.dslRows, prev.year)
		}
		if a, b := share(prev.points, 100, all), share(cur.points, 100, all); b < a {
			t.Errorf("%d: ≥ 100 Mbit/s fell from %.1f to %.1f %%", cur.year, a, b)
		}
	}
	if g := share(years[len(years)-1].points, 1000, all); g < 90 || g > 96 {
		t.Errorf("2024: ≥ 1 Gbit/s %.1f %%, want roughly 90–95 %%", g)
	}
}

// Mobile and satellite rows do not count toward the fixed targets; the
// figure that includes them must differ, or the rows would be pointless.
func TestMobileFigureDiffers(t *testing.T) {
	s := year(t, 2024)
	var fixed, withMobile int
	for _, p := range s.points {
		if p.best >= 100 {
			fixed += p.households
		}
		if p.bestWithMobile >= 100 {
			withMobile += p.households
		}
	}
	if withMobile <= fixed {
		t.Errorf("2024: %d households ≥ 100 Mbit/s with mobile, %d fixed: want more with mobile", withMobile, fixed)
	}
}
