package seeds

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
)

// MeasurementsConfig chooses the demo's residents' measurements.
type MeasurementsConfig struct {
	Seed   uint64    // any value; the same seed, points and Now give the same measurements
	Count  int       // measurements in all; 0: 4 000
	Now    time.Time // the end of the two years they span; zero: the start of today, UTC
	Flawed int       // squares offered gigabit where residents measure below 100 Mbit/s; 0: 8
}

// MeasurementPoint is an address point the demo places measurements at: a
// household of the latest snapshot and what it is offered.
type MeasurementPoint struct {
	AddressID        string
	MunicipalityCode string
	Pos              geo.SWEREF
	Households       int
	BestMbps         float64 // the best fixed offer, connected or passed; 0 without
	Technology       string  // of that offer: fiber, cable, dsl, fixed_wireless; "" without
}

// DemoMeasurements generates residents' measurements over the two years
// before cfg.Now at the points, weighted by households: fibre measures near
// its subscription (less over Wi-Fi now and then), cable a little below,
// DSL far below the offered speed, fixed wireless and mobile in between,
// satellite with its latency. In the flawed squares (chosen among those
// offered gigabit) every resident on fibre measures 20–90 Mbit/s, as behind
// a congested local network, and each gets 6 to 10 such measurements at
// least: the comparison of experienced and offered flags them. Everything is drawn from cfg.Seed.
func DemoMeasurements(points []MeasurementPoint, flawed []geo.Square, cfg MeasurementsConfig) []measure.Measurement {
	cfg = cfg.withDefaults()
	if len(points) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(hash(cfg.Seed, tagMeasurements), 1))
	ids := rand.New(rand.NewPCG(hash(cfg.Seed, tagMeasurements), 2)) // apart, so the ids never depend on Now
	ops := rand.New(rand.NewPCG(hash(cfg.Seed, tagMeasurements), 3)) // apart, so the rest is as it was before operators
	cum := make([]int, len(points))
	total := 0
	for i, p := range points {
		total += max(p.Households, 1)
		cum[i] = total
	}
	bad := map[geo.Square]bool{}
	for _, sq := range flawed {
		bad[sq] = true
	}
	byFlawed := map[geo.Square][]int{}
	for i, p := range points {
		if sq := geo.SquareOf(p.Pos, geo.SquareSize); bad[sq] && p.Technology == "fiber" {
			byFlawed[sq] = append(byFlawed[sq], i)
		}
	}
	out := make([]measure.Measurement, 0, cfg.Count)
	add := func(p MeasurementPoint, slow bool) {
		m := measurement(r, p, slow, cfg.Now)
		m.ID = uuidFrom(ids)
		m.Operator = demoOperator(ops, m.Connection)
		out = append(out, m)
	}
	// The flawed squares first: 6 to 10 measurements each, all slow.
	for _, sq := range flawed {
		idx := byFlawed[sq]
		if len(idx) == 0 {
			continue
		}
		for range 6 + r.IntN(5) {
			add(points[idx[r.IntN(len(idx))]], true)
		}
	}
	for len(out) < cfg.Count {
		i := sort.SearchInts(cum, 1+r.IntN(total))
		p := points[i]
		slow := bad[geo.SquareOf(p.Pos, geo.SquareSize)] && p.Technology == "fiber"
		add(p, slow)
		if r.Float64() < 0.15 { // some measure again, another day
			add(p, slow)
		}
	}
	return out[:cfg.Count]
}

func (c MeasurementsConfig) withDefaults() MeasurementsConfig {
	if c.Count <= 0 {
		c.Count = 4000
	}
	if c.Now.IsZero() {
		c.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	if c.Flawed <= 0 {
		c.Flawed = 8
	}
	return c
}

// tagMeasurements keeps the measurements' draws apart from the layout's.
const tagMeasurements = 0x6d65617375726573

// measurement draws one resident's measurement at p.
func measurement(r *rand.Rand, p MeasurementPoint, slow bool, now time.Time) measure.Measurement {
	muni, _ := measure.MunicipalityByCode(p.MunicipalityCode)
	m := measure.Measurement{
		MeasuredAt:   measuredAt(r, now),
		Square:       geo.SquareOf(p.Pos, geo.SquareSize),
		Municipality: muni,
		Source:       "page",
	}
	between := func(lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }
	pick := func(options ...float64) float64 { return options[r.IntN(len(options))] }
	offered := p.BestMbps
	var sub, down, up, latency float64
	switch {
	case slow: // a gigabit line behind a congested network
		m.Connection, sub = "fiber", pick(250, 500, 1000)
		down, up, latency = between(20, 90), between(10, 60), between(8, 30)
	case p.Technology == "fiber" && offered >= 100:
		m.Connection = "fiber"
		sub = math.Min(offered, pick(100, 250, 250, 500, 500, 1000, 1000, 1000, 2500))
		down = sub * between(0.85, 0.97)
		if r.Float64() < 0.1 { // over Wi-Fi
			down = math.Min(sub, 600) * between(0.3, 0.7)
		}
		up, latency = sub*between(0.7, 0.95), between(2, 12)
	case p.Technology == "cable":
		m.Connection = "cable"
		sub = math.Min(offered, pick(100, 250, 500, 1000))
		down, up, latency = sub*between(0.6, 0.95), sub/10*between(0.6, 1), between(8, 22)
	case p.Technology == "dsl":
		m.Connection = "dsl"
		sub = offered
		down, latency = offered*between(0.25, 0.7), between(15, 45)
		up = down / between(6, 12)
	case p.Technology == "fixed_wireless":
		m.Connection = "fixed_wireless"
		sub = offered
		down, up, latency = offered*between(0.4, 0.9), offered*between(0.1, 0.3), between(20, 50)
	case r.Float64() < 0.15: // far out: satellite
		m.Connection = "satellite"
		down, up, latency = between(40, 220), between(8, 30), between(25, 70)
	default: // no fixed broadband: the phone's network
		m.Connection = "mobile"
		down, up, latency = math.Exp(between(math.Log(8), math.Log(250))), between(3, 40), between(20, 60)
	}
	m.DownMbps, m.UpMbps = round1(math.Max(down, 0.1)), round1(math.Max(up, 0.1))
	if sub > 0 && r.Float64() < 0.7 { // most know what they pay for
		m.SubscribedDownMbps = &sub
	}
	switch u := r.Float64(); {
	case u < 0.2: // typed in from another test, without latency now and then
		m.Source = "bredbandskollen"
		if r.Float64() < 0.5 {
			break
		}
		fallthrough
	default:
		l, j := round1(latency), round1(latency*between(0.05, 0.3))
		m.LatencyMs, m.JitterMs = &l, &j
	}
	if r.Float64() < 0.1 && m.Connection != "fiber" {
		m.Connection = "unknown" // not everyone knows
	}
	return m
}

// measuredAt draws a time in the two years before now, most often in the
// evening, Swedish time.
func measuredAt(r *rand.Rand, now time.Time) time.Time {
	day := now.AddDate(0, 0, -1-r.IntN(730))
	hour := 7 + r.IntN(16)
	if r.Float64() < 0.5 {
		hour = 18 + r.IntN(5)
	}
	y, mo, d := day.In(measure.Stockholm).Date()
	return time.Date(y, mo, d, hour, r.IntN(60), 0, 0, measure.Stockholm).UTC()
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// uuidFrom draws a version 4 UUID: the demo's ids repeat with its seed, so a
// second load recognises the first.
func uuidFrom(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// LoadMeasurements adds the demo's measurements to the database through
// the measurement store, at the households of the latest coverage snapshot,
// with the flawed squares chosen among those it offers gigabit. It returns
// how many it loaded: none when the same demo's measurements are there
// already, or when there is no snapshot. gigakoll seed demo calls it after
// the snapshots.
func LoadMeasurements(ctx context.Context, pool *pgxpool.Pool, cfg MeasurementsConfig) (int, error) {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cov := coverage.NewStore(pool)
	latest, err := cov.SnapshotAt(ctx, time.Time{})
	if errors.Is(err, coverage.ErrNoSnapshot) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	points, err := measurementPoints(ctx, cov, latest.ID)
	if err != nil || len(points) == 0 {
		return 0, err
	}
	candidates, err := gigabitSquares(ctx, cov, latest.ID)
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(hash(cfg.Seed, tagMeasurements), 3))
	r.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	flawed := candidates[:min(cfg.Flawed, len(candidates))]
	ms := DemoMeasurements(points, flawed, cfg)
	var there bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM measurements WHERE id = $1::uuid)`, ms[0].ID).Scan(&there); err != nil {
		return 0, fmt.Errorf("seeds: look for the demo measurements: %w", err)
	}
	if there {
		return 0, nil
	}
	n, err := measure.NewStore(pool).Load(ctx, ms)
	return int(n), err
}

// measurementPoints reads the households of the latest snapshot, through
// the coverage store.
func measurementPoints(ctx context.Context, cov *coverage.Store, snapshot int64) ([]MeasurementPoint, error) {
	var points []MeasurementPoint
	err := cov.EachPointBrief(ctx, snapshot, func(p coverage.PointBrief) error {
		points = append(points, MeasurementPoint{AddressID: p.AddressID, MunicipalityCode: p.Municipality, Pos: p.Pos,
			Households: int(p.Households), BestMbps: p.BestMbps, Technology: string(p.Technology)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	return points, nil
}

// gigabitSquares lists the 250 m squares of the latest snapshot where at
// least half of 10 or more households are offered gigabit, in a fixed order:
// from its public squares, summed over the municipalities a square spans.
func gigabitSquares(ctx context.Context, cov *coverage.Store, snapshot int64) ([]geo.Square, error) {
	type sum struct{ households, gigabit int64 }
	sums := map[geo.Square]*sum{}
	_, err := cov.EachPublicSquare(ctx, coverage.FeatureFilter{Snapshots: []int64{snapshot}}, func(q *coverage.PublicSquare) error {
		if q.Size != geo.SquareSize {
			return nil
		}
		sq := geo.Square{E: q.E, N: q.N, Size: geo.SquareSize}
		if sums[sq] == nil {
			sums[sq] = &sum{}
		}
		sums[sq].households += q.Households
		sums[sq].gigabit += q.HouseholdsBy.GE1000
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seeds: read the gigabit squares: %w", err)
	}
	var sqs []geo.Square
	for sq, s := range sums {
		if s.households >= 10 && 2*s.gigabit >= s.households {
			sqs = append(sqs, sq)
		}
	}
	slices.SortFunc(sqs, func(a, b geo.Square) int { return cmp.Or(cmp.Compare(a.E, b.E), cmp.Compare(a.N, b.N)) })
	return sqs, nil
}

// demoOperators are the operators residents name, weighted by connection
// type, roughly as the Swedish market shares go; connection types not
// listed draw from "" (fibre's list).
var demoOperators = map[string][]string{
	"":               {"telia", "telia", "telia", "telia", "tele2", "tele2", "telenor", "telenor", "bahnhof", "bahnhof", "bredband2", "ownit", "ip-only", "annan"},
	"cable":          {"tele2", "tele2", "tele2", "tele2", "telia", "annan"},
	"dsl":            {"telia", "telia", "telia", "telenor", "annan"},
	"mobile":         {"telia", "telia", "tele2", "tele2", "telenor", "tre", "tre"},
	"satellite":      {"starlink", "starlink", "starlink", "annan"},
	"fixed_wireless": {"telia", "annan", "annan"},
}

// demoOperator draws the operator a resident names: none, two times in
// five (it is optional, and not everyone knows).
func demoOperator(r *rand.Rand, connection string) string {
	if r.Float64() < 0.4 {
		return ""
	}
	list, ok := demoOperators[connection]
	if !ok {
		list = demoOperators[""]
	}
	return list[r.IntN(len(list))]
}
