package seeds

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/mobile"
)

// MobileMeasurementsConfig chooses the demo's residents' mobile
// measurements in squares where the operators' claim does not hold.
type MobileMeasurementsConfig struct {
	Seed    uint64    // the same seed, snapshots and Now give the same measurements
	Squares int       // squares claimed ≥ 30 Mbit/s where residents measure far less; 0: 6
	Now     time.Time // the end of the year they span; zero: the start of today, UTC
}

// tagMobileMeasurements keeps these draws apart from the others.
const tagMobileMeasurements = 0x6d6f626d656173

// LoadMobileMeasurements adds, in squares of the latest mobile snapshot
// where the operators claim at least 30 Mbit/s outdoors and people live,
// 6 to 9 residents' measurements each over a mobile connection, most far
// below 10 Mbit/s (a mast too busy for its squares): the check of offered
// against experienced flags them (spec/mobile.md). It returns how many it
// loaded: none when this demo's are there already, or when there is no
// mobile or coverage snapshot.
func LoadMobileMeasurements(ctx context.Context, pool *pgxpool.Pool, cfg MobileMeasurementsConfig) (int, error) {
	if cfg.Squares <= 0 {
		cfg.Squares = 6
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cov := coverage.NewStore(pool)
	mob := mobile.NewStore(pool, cov)
	snap, err := mob.SnapshotAt(ctx, time.Time{})
	latest, cerr := cov.SnapshotAt(ctx, time.Time{})
	if errors.Is(err, mobile.ErrNoSnapshot) || errors.Is(cerr, coverage.ErrNoSnapshot) {
		return 0, nil
	}
	if err = errors.Join(err, cerr); err != nil {
		return 0, err
	}
	points, err := measurementPoints(ctx, cov, latest.ID)
	if err != nil {
		return 0, err
	}
	bySquare := map[geo.Square][]MeasurementPoint{}
	for _, p := range points {
		sq := geo.SquareOf(p.Pos, geo.SquareSize)
		bySquare[sq] = append(bySquare[sq], p)
	}
	var squares []geo.Square
	for sq, ps := range bySquare {
		if len(ps) >= 3 {
			squares = append(squares, sq)
		}
	}
	slices.SortFunc(squares, func(a, b geo.Square) int { return cmp.Or(cmp.Compare(a.E, b.E), cmp.Compare(a.N, b.N)) })
	claims, err := mob.Claims(ctx, snap, squares)
	if err != nil {
		return 0, err
	}
	squares = slices.DeleteFunc(squares, func(sq geo.Square) bool { return claims[sq] < mobile.ClaimedMbps })
	r := rand.New(rand.NewPCG(hash(cfg.Seed, tagMobileMeasurements), 1))
	r.Shuffle(len(squares), func(i, j int) { squares[i], squares[j] = squares[j], squares[i] })
	var ms []measure.Measurement
	for _, sq := range squares[:min(cfg.Squares, len(squares))] {
		ps := bySquare[sq]
		for range 6 + r.IntN(4) {
			p := ps[r.IntN(len(ps))]
			muni, _ := measure.MunicipalityByCode(p.MunicipalityCode)
			down := 1.5 + r.Float64()*7 // a busy mast: 1.5–8.5 Mbit/s
			if r.Float64() < 0.15 {
				down = 12 + r.Float64()*30 // now and then a quiet hour
			}
			latency := 35 + r.Float64()*60
			ms = append(ms, measure.Measurement{ID: uuidFrom(r), MeasuredAt: measuredAt(r, cfg.Now), Square: sq,
				Municipality: muni, DownMbps: round1(down), UpMbps: round1(0.5 + r.Float64()*4), LatencyMs: &latency,
				Connection: "mobile", Source: "page"})
		}
	}
	if len(ms) == 0 {
		return 0, nil
	}
	var there bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM measurements WHERE id = $1::uuid)`, ms[0].ID).Scan(&there); err != nil {
		return 0, fmt.Errorf("seeds: look for the demo's mobile measurements: %w", err)
	}
	if there {
		return 0, nil
	}
	n, err := measure.NewStore(pool).Load(ctx, ms)
	return int(n), err
}
