// Package coverage holds gigakoll's coverage snapshots: the import format and
// its reader, the store that lands a snapshot whole or not at all and builds
// its aggregates, and the figures and reports computed from them
// (spec/coverage-format.md, spec/targets.md).
package coverage

import (
	"fmt"
	"math/big"
	"time"
)

// Class is a speed class by its download threshold in Mbit/s
// (spec/coverage-format.md, "What counts as access").
type Class int

// The speed classes, highest first.
const (
	Class1G   Class = 1000
	Class100M Class = 100
	Class30M  Class = 30
	Class10M  Class = 10
)

// Classes lists the speed classes, highest first.
var Classes = []Class{Class1G, Class100M, Class30M, Class10M}

// String names the class as people say it: "1 Gbit/s", "100 Mbit/s".
func (c Class) String() string {
	if c >= 1000 && c%1000 == 0 {
		return fmt.Sprintf("%d Gbit/s", c/1000)
	}
	return fmt.Sprintf("%d Mbit/s", int(c))
}

// Target is a goal such as "98 % with ≥ 1 Gbit/s by 2025" (spec/targets.md).
// The threshold is in basis points so met and gap are decided in integers,
// never on a rounded float.
type Target struct {
	ID          string     // "se-2025-1g"
	Owner       string     // who set it
	Year        int        // the year it is due
	Measure     Measure    // what counts as covered
	Class       Class      // Class1G: ≥ 1000 Mbit/s; 0 for MeasureFiveG
	Population  Population // over whom share, met and gaps are computed
	BasisPoints int64      // 9800 is 98 %
	CountyCode  string     // a regional target's county; "" for a national one
	Title       string     // English
	TitleSV     string     // Swedish, for the pages
	Reading     string     // how gigakoll reads a target whose wording gives no figure; "" when it does
	ReadingSV   string
}

// Measure says what counts as covered for a target (spec/targets.md).
type Measure string

// The measures: package coverage computes the fixed targets, package mobile
// the mobile ones.
const (
	MeasureFixed         Measure = "fixed"          // fixed broadband access at the class (spec/coverage-format.md)
	MeasureMobileOutdoor Measure = "mobile_outdoor" // mobile coverage outdoors at the class (spec/mobile.md)
	MeasureFiveG         Measure = "fiveg"          // 5G coverage (spec/mobile.md)
)

// Population says over whom a target's share, met and gaps are computed.
type Population string

// The populations of spec/targets.md.
const (
	HouseholdsAndWorkplaces             Population = "households_workplaces"
	HouseholdsOnly                      Population = "households"
	HouseholdsWorkplacesAndHolidayHomes Population = "households_workplaces_holiday_homes"
)

// Workplaces reports whether the population counts workplaces; every
// population counts households.
func (p Population) Workplaces() bool { return p != HouseholdsOnly }

// HolidayHomes reports whether the population counts holiday homes.
func (p Population) HolidayHomes() bool { return p == HouseholdsWorkplacesAndHolidayHomes }

// Groups counts households, workplaces and holiday homes: all of an area,
// or those covered.
type Groups struct {
	Households, Workplaces, HolidayHomes int64
}

// Outcome is a target for one area: the share of its population covered,
// whether the target is met, and per group of the population the gap. A gap
// is nil for a group outside the population.
type Outcome struct {
	Share           *float64 // nil when the population is 0
	Met             bool
	GapHouseholds   *int64
	GapWorkplaces   *int64
	GapHolidayHomes *int64
	// Gap is what the population together lacks: max(0, ceil(threshold ×
	// total) − covered) over all its groups at once, the target's own
	// measure; not the sum of the groups' gaps.
	Gap int64
}

// Evaluate is the one rule for met and gaps over a population
// (spec/targets.md, spec/mobile.md): the share is the covered of the
// population's groups together over their total, met is decided on the
// exact values, and each group's gap is max(0, ceil(threshold × total) −
// covered), what the group needs for the target to hold for it alone.
func (t Target) Evaluate(covered, total Groups) Outcome {
	c, n := covered.Households, total.Households
	gap := func(c, n int64) *int64 { g := t.Gap(c, n); return &g }
	o := Outcome{GapHouseholds: gap(covered.Households, total.Households)}
	if t.Population.Workplaces() {
		c, n = c+covered.Workplaces, n+total.Workplaces
		o.GapWorkplaces = gap(covered.Workplaces, total.Workplaces)
	}
	if t.Population.HolidayHomes() {
		c, n = c+covered.HolidayHomes, n+total.HolidayHomes
		o.GapHolidayHomes = gap(covered.HolidayHomes, total.HolidayHomes)
	}
	o.Share, o.Met, o.Gap = Share(c, n), t.Met(c, n), t.Gap(c, n)
	return o
}

// TargetsInForce returns the ids of the targets in force on day
// (spec/targets.md): those whose year has not passed; when every year has,
// those of the latest year.
func TargetsInForce(targets []Target, day time.Time) map[string]bool {
	out := map[string]bool{}
	latest := 0
	for _, t := range targets {
		if t.Year >= day.Year() {
			out[t.ID] = true
		}
		latest = max(latest, t.Year)
	}
	if len(out) == 0 {
		for _, t := range targets {
			if t.Year == latest {
				out[t.ID] = true
			}
		}
	}
	return out
}

// Threshold is the share the target asks for, as a float for display and
// JSON; decisions use BasisPoints.
func (t Target) Threshold() float64 { return float64(t.BasisPoints) / 10000 }

// AppliesTo reports whether the target concerns an area of the county.
func (t Target) AppliesTo(countyCode string) bool {
	return t.CountyCode == "" || t.CountyCode == countyCode
}

// Met reports whether covered of total reaches the threshold. An area with
// nobody in it has met nothing.
func (t Target) Met(covered, total int64) bool {
	return total > 0 && covered*10000 >= t.BasisPoints*total
}

// Gap is how many more of total need access for the target to be met:
// ceil(threshold × total) − covered, never below 0.
func (t Target) Gap(covered, total int64) int64 {
	return max((t.BasisPoints*total+9999)/10000-covered, 0) // ceil, in integers
}

// Share is covered/total, or nil when total is 0 (shown as "–"). The value is
// the float nearest the exact ratio; it is for display, never for decisions.
func Share(covered, total int64) *float64 {
	if total == 0 {
		return nil
	}
	f, _ := new(big.Rat).SetFrac64(covered, total).Float64()
	return &f
}
