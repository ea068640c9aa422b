package coverage

import (
	"math"
	"testing"
	"time"
)

func TestProjection(t *testing.T) {
	at := func(y int) time.Time { return time.Date(y, 10, 1, 0, 0, 0, 0, time.UTC) }
	g := Target{ID: "se-2025-1g", Year: 2025, Class: Class1G, BasisPoints: 9800}
	// +5 points a year from 80 % in 2022: 95 % on 1 Oct 2025, about 96.25 % at its end
	p := project(g, []sample{{at(2021), 0.10}, {at(2022), 0.80}, {at(2023), 0.85}, {at(2024), 0.90}})
	if p == nil {
		t.Fatal("no projection")
	}
	if len(p.From) != 3 || math.Abs(p.PerYear-0.05) > 1e-3 || math.Abs(p.Share-0.9625) > 0.001 || p.OnCourse {
		t.Errorf("projection %+v: want the last 3 snapshots, 0.05 a year, about 0.9625 at the end of 2025, not on course", p)
	}
	if p.ReachesYear == nil || *p.ReachesYear != 2026 { // 98 % on about 1 Aug 2026
		t.Errorf("reaches the threshold in %v, want 2026", p.ReachesYear)
	}
	if p := project(g, []sample{{at(2023), 0.9}, {at(2024), 0.89}}); p == nil || p.ReachesYear != nil || p.OnCourse {
		t.Errorf("a falling share: %+v, want no year reached and not on course", p)
	}
	if p := project(g, []sample{{at(2023), 0.97}, {at(2024), 0.985}}); p == nil || !p.OnCourse || *p.ReachesYear != 2024 {
		t.Errorf("a target met already: %+v, want on course, reached in 2024", p)
	}
	old := Target{ID: "se-2020-100", Year: 2020, Class: Class100M, BasisPoints: 9500}
	if p := project(old, []sample{{at(2023), 0.9}, {at(2024), 0.95}}); p != nil {
		t.Errorf("a target due before the last snapshot got a projection: %+v", p)
	}
	if p := project(g, []sample{{at(2024), 0.9}}); p != nil {
		t.Error("one snapshot gave a projection")
	}
}
