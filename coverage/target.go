// Package coverage holds gigakoll's coverage snapshots: the import format and
// its reader, the store that lands a snapshot whole or not at all and builds
// its aggregates, and the figures and reports computed from them
// (spec/coverage-format.md, spec/targets.md).
package coverage

import (
	"fmt"
	"math/big"
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
	ID          string // "se-2025-1g"
	Owner       string // who set it
	Year        int    // the year it is due
	Class       Class  // Class1G: ≥ 1000 Mbit/s
	BasisPoints int64  // 9800 is 98 %
	CountyCode  string // a regional target's county; "" for a national one
	Title       string // English
	TitleSV     string // Swedish, for the pages
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
