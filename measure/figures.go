package measure

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlAreaFigures = mustSQL("area_figures.sql")
	sqlAllFigures  = mustSQL("all_figures.sql")
)

// MinPublished is the least number of measurements behind any published
// figure (spec/measurements.md): fewer say too little, and too much about
// the few who measured.
const MinPublished = 5

// SlowMbps is the measured median below which a square offered ≥ 1 Gbit/s
// is flagged (spec/targets.md, "Experienced versus offered").
const SlowMbps = 100

// Stat is the median and 10th percentile of a quantity, interpolated as
// PostgreSQL's percentile_cont does.
type Stat struct {
	Median float64 `json:"median"`
	P10    float64 `json:"p10"`
}

// Figures are what is published of an area's measurements in a period.
type Figures struct {
	Count        int64   `json:"count"`
	DownMbps     Stat    `json:"down_mbps"`
	UpMbps       Stat    `json:"up_mbps"`
	LatencyCount int64   `json:"latency_count"` // measurements that gave a latency
	LatencyMs    *Stat   `json:"latency_ms"`    // nil when fewer than MinPublished gave one
	ShareGE100   float64 `json:"share_down_ge_100"`
	ShareGE1000  float64 `json:"share_down_ge_1000"`
}

// Offered is what the latest coverage snapshot offers in a 250 m square.
type Offered struct {
	AsOf             string  `json:"as_of"` // the snapshot's date
	Households       int64   `json:"households"`
	HouseholdsGE1000 int64   `json:"households_ge_1000"`
	Workplaces       int64   `json:"workplaces"`
	WorkplacesGE1000 int64   `json:"workplaces_ge_1000"`
	BestFixedMbps    float64 `json:"best_fixed_mbps"`
	Gigabit          bool    `json:"gigabit"` // the offered class is ≥ 1 Gbit/s: see OffersGigabit
}

// OffersGigabit decides a square's offered class: ≥ 1 Gbit/s when at least
// half its households have access to it; in a square without households,
// half its workplaces; in one with neither, its best fixed offer.
func (o Offered) OffersGigabit() bool {
	switch {
	case o.Households > 0:
		return 2*o.HouseholdsGE1000 >= o.Households
	case o.Workplaces > 0:
		return 2*o.WorkplacesGE1000 >= o.Workplaces
	}
	return o.BestFixedMbps >= 1000
}

// Flagged reports the mismatch of spec/targets.md: offered ≥ 1 Gbit/s,
// measured median below 100 Mbit/s.
func Flagged(f Figures, o *Offered) bool {
	return o != nil && o.Gigabit && f.DownMbps.Median < SlowMbps
}

// Summary answers GET /api/v1/measurements/summary: an area's figures in a
// period, or only Published false with fewer than MinPublished measurements
// or where the rule of decideAreas withholds them.
type Summary struct {
	Area      string   `json:"area"` // "square:250m-E583000-N6280250"
	Kind      string   `json:"kind"`
	Code      string   `json:"code"`
	Name      string   `json:"name,omitempty"`
	Period    string   `json:"period"`
	Published bool     `json:"published"`
	MinCount  int      `json:"min_count"`
	Figures   *Figures `json:"figures,omitempty"`
	// A square: what it is offered, and whether it is flagged.
	Offered *Offered `json:"offered,omitempty"`
	Flagged *bool    `json:"flagged,omitempty"`
	// A municipality or county: its flagged squares.
	FlaggedSquares []SquareFigures `json:"flagged_squares,omitempty"`
}

// SquareFigures are a square's published figures with what is offered there.
type SquareFigures struct {
	Square  string   `json:"square"`
	Figures Figures  `json:"figures"`
	Offered *Offered `json:"offered"` // nil: no snapshot has the square
	Flagged bool     `json:"flagged"`
}

// Summary computes an area's figures in a period.
func (s *Store) Summary(ctx context.Context, a Area, p Period) (Summary, error) {
	sum := Summary{Area: a.String(), Kind: a.Kind, Code: a.Code, Name: a.Name, Period: p.Name, MinCount: MinPublished}
	if a.Kind != KindSquare {
		// A municipality or county: its row of the report within it, read
		// in the transaction of the decision that publishes it.
		rep, err := s.Report(ctx, p, a)
		if err != nil {
			return Summary{}, err
		}
		i := slices.IndexFunc(rep.Areas, func(r AreaFigures) bool { return r.Kind == a.Kind && r.Code == a.Code })
		if i < 0 {
			return sum, nil
		}
		f := rep.Areas[i].Figures
		sum.Published, sum.Figures = true, &f
		sum.FlaggedSquares = []SquareFigures{}
		for _, sq := range rep.Squares {
			if sq.Flagged {
				sum.FlaggedSquares = append(sum.FlaggedSquares, sq)
			}
		}
		return sum, nil
	}
	var f Figures
	var latency Stat
	var dm, dp, um, up, lm, lp *float64
	var ge100, ge1000 int64
	withheld := false
	err := s.readConsistently(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, sqlAreaFigures, p.From, p.To, a.Kind, a.Square.E, a.Square.N, a.Code).
			Scan(&f.Count, &dm, &dp, &um, &up, &f.LatencyCount, &lm, &lp, &ge100, &ge1000)
		if err != nil {
			return unavailable(fmt.Errorf("measure: figures of %s: %w", a, err))
		}
		if f.Count < MinPublished {
			return nil
		}
		d, err := s.areaDecision(ctx, tx, p)
		if err != nil {
			return err
		}
		withheld = !d.squares[squareKey{a.Square.E, a.Square.N}]
		return nil
	})
	if err != nil {
		return Summary{}, err
	}
	if f.Count < MinPublished || withheld {
		return sum, nil
	}
	f.DownMbps, f.UpMbps = Stat{*dm, *dp}, Stat{*um, *up}
	if f.LatencyCount >= MinPublished {
		latency = Stat{*lm, *lp}
		f.LatencyMs = &latency
	}
	f.ShareGE100, f.ShareGE1000 = float64(ge100)/float64(f.Count), float64(ge1000)/float64(f.Count)
	sum.Published, sum.Figures = true, &f
	offered, err := s.offered(ctx, 0, []geo.Square{a.Square})
	if err != nil {
		return Summary{}, err
	}
	sum.Offered = offered[a.Square]
	flagged := Flagged(f, sum.Offered)
	sum.Flagged = &flagged
	return sum, nil
}

// Report is every published figure of a period: the county, its
// municipalities and their 250 m squares (gigakoll report measurements).
type Report struct {
	Period         string          `json:"period"`
	MinCount       int             `json:"min_count"`
	Generated      time.Time       `json:"generated"`
	Areas          []AreaFigures   `json:"areas"`   // counties, then municipalities
	Squares        []SquareFigures `json:"squares"` // with what is offered, flagged or not
	FlaggedSquares int             `json:"flagged_squares"`
}

// AreaFigures are a municipality's or county's published figures.
type AreaFigures struct {
	Kind    string  `json:"kind"`
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	Figures Figures `json:"figures"`
}

// Report computes every published figure of the period, within an area
// (a county or municipality; the zero Area for the whole country).
func (s *Store) Report(ctx context.Context, p Period, within Area) (Report, error) {
	rep := Report{Period: p.Name, MinCount: MinPublished, Generated: time.Now().UTC().Truncate(time.Second),
		Areas: []AreaFigures{}, Squares: []SquareFigures{}}
	var county, municipality string
	switch within.Kind {
	case KindCounty:
		county = within.Code
	case KindMunicipality:
		municipality = within.Code
	case "":
	default:
		return rep, fmt.Errorf("measure: a report within a %s", within.Kind)
	}
	var squares []geo.Square
	err := s.readConsistently(ctx, func(tx pgx.Tx) error {
		d, err := s.areaDecision(ctx, tx, p)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sqlAllFigures, p.From, p.To, MinPublished, county, municipality)
		if err != nil {
			return unavailable(fmt.Errorf("measure: report: %w", err))
		}
		defer rows.Close()
		for rows.Next() {
			var kind string
			var e, n *int64
			var muni, cty *string
			var f Figures
			var dm, dp, um, up float64
			var lm, lp *float64
			var ge100, ge1000 int64
			if err := rows.Scan(&kind, &e, &n, &muni, &cty, &f.Count, &dm, &dp, &um, &up,
				&f.LatencyCount, &lm, &lp, &ge100, &ge1000); err != nil {
				return fmt.Errorf("measure: report: %w", err)
			}
			f.DownMbps, f.UpMbps = Stat{dm, dp}, Stat{um, up}
			if f.LatencyCount >= MinPublished {
				f.LatencyMs = &Stat{*lm, *lp}
			}
			f.ShareGE100, f.ShareGE1000 = float64(ge100)/float64(f.Count), float64(ge1000)/float64(f.Count)
			switch kind {
			case KindCounty:
				if municipality != "" || county != "" && *cty != county { // a neighbour's part, or not asked for
					continue
				}
				name, _ := countyName(*cty)
				rep.Areas = append(rep.Areas, AreaFigures{Kind: kind, Code: *cty, Name: name, Figures: f})
			case KindMunicipality:
				if municipality != "" && *muni != municipality || county != "" && (*muni)[:2] != county { // a neighbour's part
					continue
				}
				if !d.municipalities[*muni] { // its county less the others would tell its squares
					continue
				}
				m, _ := MunicipalityByCode(*muni)
				rep.Areas = append(rep.Areas, AreaFigures{Kind: kind, Code: *muni, Name: m.Name, Figures: f})
			case KindSquare:
				if !d.squares[squareKey{*e, *n}] { // its municipality less the others would tell the rest
					continue
				}
				sq := geo.Square{E: *e, N: *n, Size: geo.SquareSize}
				squares = append(squares, sq)
				rep.Squares = append(rep.Squares, SquareFigures{Square: sq.ID(), Figures: f})
			}
		}
		if err := rows.Err(); err != nil {
			return unavailable(fmt.Errorf("measure: report: %w", err))
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	offered, err := s.offered(ctx, 0, squares)
	if err != nil {
		return rep, err
	}
	for i, sq := range squares {
		rep.Squares[i].Offered = offered[sq]
		rep.Squares[i].Flagged = Flagged(rep.Squares[i].Figures, offered[sq])
		if rep.Squares[i].Flagged {
			rep.FlaggedSquares++
		}
	}
	return rep, nil
}

// offered reads what the snapshot (0: the latest) offers in the squares,
// through the coverage store (which owns the snapshots, and publishes only
// squares of at least 5 households); a square it has no public figures for
// is absent.
func (s *Store) offered(ctx context.Context, snapshot int64, squares []geo.Square) (map[geo.Square]*Offered, error) {
	offers, err := s.coverage.SquareOffers(ctx, snapshot, squares)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: offered coverage: %w", err))
	}
	out := make(map[geo.Square]*Offered, len(offers))
	for sq, c := range offers {
		o := &Offered{AsOf: c.AsOf.Format(time.DateOnly), Households: c.Households, HouseholdsGE1000: c.HouseholdsGE1000,
			Workplaces: c.Workplaces, WorkplacesGE1000: c.WorkplacesGE1000, BestFixedMbps: c.BestFixedMbps}
		o.Gigabit = o.OffersGigabit()
		out[sq] = o
	}
	return out, nil
}
