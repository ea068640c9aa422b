package seeds_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
)

func TestTotalsAndSplit(t *testing.T) {
	pops := population2022(t)
	popTotal := 0
	for _, n := range pops {
		popTotal += n
	}
	for _, s := range []*snapshot{year(t, 2015), year(t, 2024)} {
		hh, wp := 0, 0
		byMuni := map[string]int{}
		for _, p := range s.points {
			hh += p.households
			wp += p.workplaces
			byMuni[p.muni] += p.households
		}
		if math.Abs(float64(hh)/115000-1) > 0.05 {
			t.Errorf("%d: %d households, want 115 000 ± 5 %%", s.year, hh)
		}
		if math.Abs(float64(wp)/20000-1) > 0.10 {
			t.Errorf("%d: %d workplaces, want 20 000 ± 10 %%", s.year, wp)
		}
		for code, pop := range pops {
			want := float64(pop) / float64(popTotal)
			got := float64(byMuni[code]) / float64(hh)
			if math.Abs(got/want-1) > 0.10 {
				t.Errorf("%d: %s holds %.2f %% of the households, %.2f %% of the population", s.year, code, 100*got, 100*want)
			}
		}
	}
}

func TestOneHouseholdInTenIsRural(t *testing.T) {
	s := year(t, 2020)
	rural := ruralByRule(s.points)
	var hh, ruralHH, wp, ruralWP, holiday, olandHoliday, holidayOnly int
	for _, p := range s.points {
		hh += p.households
		wp += p.workplaces
		holiday += p.holidayHomes
		if rural(p) {
			ruralHH += p.households
			ruralWP += p.workplaces
		}
		if p.muni == "0840" || p.muni == "0885" {
			olandHoliday += p.holidayHomes
		}
		if p.households == 0 && p.workplaces == 0 && p.holidayHomes > 0 {
			holidayOnly++
		}
	}
	if r := float64(ruralHH) / float64(hh); r < 0.08 || r > 0.12 {
		t.Errorf("%.1f %% of households rural, want about one in ten", 100*r)
	}
	if r := float64(ruralWP) / float64(wp); r < 0.25 || r > 0.35 {
		t.Errorf("%.1f %% of workplaces rural, want nearly one in three", 100*r)
	}
	if r := float64(olandHoliday) / float64(holiday); r < 0.3 {
		t.Errorf("%.1f %% of holiday homes on Öland, want many", 100*r)
	}
	if holidayOnly < 1000 {
		t.Errorf("%d points with only holiday homes, want some thousands", holidayOnly)
	}
}

// population2022 reads municipalities.csv as published.
func population2022(t *testing.T) map[string]int {
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	pops := map[string]int{}
	for _, rec := range recs[1:] {
		if rec[col["county_code"]] != "08" {
			continue
		}
		n, err := strconv.Atoi(rec[col["population_2022"]])
		if err != nil {
			t.Fatalf("%s: population_2022 %q", rec[col["code"]], rec[col["population_2022"]])
		}
		pops[rec[col["code"]]] = n
	}
	if len(pops) != 12 {
		t.Fatalf("%d municipalities in county 08, want 12", len(pops))
	}
	return pops
}
