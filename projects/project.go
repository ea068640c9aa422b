// Package projects holds the build-out project register (spec/projects.md):
// the GeoJSON import that lands a register whole or not at all as a new
// version, the figures of every project against a coverage snapshot (whom it
// reaches, the gap it addresses, what it costs per connection, who pays,
// whether a finished one delivered), and per municipality and county the
// forecast with projects, the white spots no active project reaches and the
// estimated cost of closing the gap, with its cost curve. The cost model is
// data the coordinator changes.
//
// It owns the tables of migration 0060. Coverage's address points are read
// only through coverage.Store (the points in the project areas, the points
// lacking 1 Gbit/s with the distance to the nearest point that has it);
// figures are built in Go when a register, a snapshot or the cost model
// changes, so that reports read small aggregates only.
package projects

import (
	"math/big"
	"slices"

	"github.com/gigakoll/gigakoll/coverage"
)

// Status is where a project stands.
type Status string

// The statuses of spec/projects.md.
const (
	Planned    Status = "planned"
	InProgress Status = "in_progress"
	Completed  Status = "completed"
	Cancelled  Status = "cancelled"
)

// Statuses lists the statuses in the spec's order.
var Statuses = []Status{Planned, InProgress, Completed, Cancelled}

// Active reports whether the project counts: every status but cancelled.
func (s Status) Active() bool { return s != Cancelled }

// FundingSource is who pays a share of a project.
type FundingSource string

// The funding sources; the first four are public money.
const (
	Regional  FundingSource = "regional"
	National  FundingSource = "national"
	EU        FundingSource = "eu"
	Municipal FundingSource = "municipal"
	Private   FundingSource = "private"
	Other     FundingSource = "other"
)

// FundingSources lists the sources in the spec's order.
var FundingSources = []FundingSource{Regional, National, EU, Municipal, Private, Other}

// Public reports whether the source is public money (regional, national,
// EU or municipal): what the public share of a project's funding counts.
func (f FundingSource) Public() bool {
	return slices.Contains([]FundingSource{Regional, National, EU, Municipal}, f)
}

// Funding is one contribution to a project.
type Funding struct {
	Source    FundingSource `json:"source"`
	Programme string        `json:"programme"`
	AmountSEK float64       `json:"amount_sek"`
}

// Project is one project of a register as imported: what the GeoJSON
// feature says, with the municipalities its area reaches into.
type Project struct {
	ID             string
	Feature        int // its index in the file's features, from 0
	Name           string
	Owner          string
	Status         Status
	StartYear      *int
	CompletionYear *int           // nil only when cancelled
	Down           coverage.Speed // down_mbps: the class it brings to every address point in its area
	CostSEK        *big.Rat       // nil: not given
	Funding        []Funding
	FundingSEK     *big.Rat // the sum of Funding
	PublicSEK      *big.Rat // the public part of it
	Municipalities []string
}

// DefaultDownMbps is the class a project brings when down_mbps is not given.
const DefaultDownMbps = 1000

// ratFloat is r as the nearest float64, nil for nil.
func ratFloat(r *big.Rat) *float64 {
	if r == nil {
		return nil
	}
	f, _ := r.Float64()
	return &f
}

// parseRat reads a numeric's text, nil for NULL.
func parseRat(s *string) *big.Rat {
	if s == nil {
		return nil
	}
	r, ok := new(big.Rat).SetString(*s)
	if !ok {
		return nil
	}
	return r
}
