package measure

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/replicas"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// mustSQL returns an embedded SQL file; a missing one panics at init, which
// every test of the package catches.
func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(fmt.Sprintf("measure: %v", err))
	}
	return string(b)
}

var (
	sqlInsertMeasurement = mustSQL("insert_measurement.sql")
	sqlClaimRequest      = mustSQL("claim_request.sql")
	sqlFindRequest       = mustSQL("find_request.sql")
	sqlReadMeasurement   = mustSQL("read_measurement.sql")
	sqlPurgeRequests     = mustSQL("purge_requests.sql")
)

// Measurement is a submission as stored: placed in its 250 m square and
// municipality, its time kept to the hour. It holds neither the position
// nor the address it was placed by.
type Measurement struct {
	ID                 string    // random UUID
	MeasuredAt         time.Time // to the hour
	Square             geo.Square
	Municipality       Municipality
	DownMbps, UpMbps   float64
	LatencyMs          *float64
	JitterMs           *float64
	Connection         string // one of Connections
	SubscribedDownMbps *float64
	Source             string
	Operator           string // a key of Operators; "" when the resident did not say

	measuredAtGiven bool // the client gave measured_at (the Idempotency-Key fingerprint)
}

// Stored is the answer to a submission (201 Created): where the measurement
// was placed. A retry with the same Idempotency-Key gets the same answer.
type Stored struct {
	ID           string       `json:"id"`
	Square       string       `json:"square"` // "250m-E583000-N6280250"
	Municipality Municipality `json:"municipality"`
	MeasuredAt   time.Time    `json:"measured_at"` // to the hour
	Replayed     bool         `json:"-"`           // the first answer to an earlier request
}

// Store keeps the measurements in PostgreSQL.
type Store struct {
	pool     *pgxpool.Pool    // the primary: submissions and what they write
	read     replicas.Querier // figures, tiles and address look-ups: pool, or the read replicas
	coverage *coverage.Store  // what is offered where: the coverage snapshots
	retryFor time.Duration
	tiles    tileDecision // the squares the tiles may show, decided once per TileEvery
	// submitted counts the measurements this process has stored: the
	// tiles' decision is made again after one.
	submitted atomic.Int64
	cells     cellsState // the coarse squares of the tiles below zoom 8 (cells.go)
}

// NewStore returns a Store on pool. A submission that meets a passing
// database condition (a restart, a lost connection) is retried for up to
// 3 seconds before it fails with ErrUnavailable.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, read: pool, coverage: coverage.NewStore(pool), retryFor: 3 * time.Second}
}

// ReadFrom sends the reads of published figures, the measurement tiles and
// the address look-ups to q, a set of read replicas (the coverage data they
// consult too); submissions stay on the primary.
func (s *Store) ReadFrom(q replicas.Querier) *Store {
	s.read = q
	s.coverage.ReadFrom(q)
	return s
}

// Place turns a checked submission into a Measurement: a position is
// converted to SWEREF 99 TM, snapped to its 250 m square and located in its
// municipality here in Go; an address is looked up among the imported
// address points and only its square kept. Nothing is written. A position
// outside Sweden or an address that matches nothing is an InvalidError.
func (s *Store) Place(ctx context.Context, c Checked) (Measurement, error) {
	m := Measurement{
		ID:                 newID(),
		MeasuredAt:         c.MeasuredAt.UTC().Truncate(time.Hour),
		DownMbps:           c.DownMbps,
		UpMbps:             c.UpMbps,
		LatencyMs:          c.LatencyMs,
		JitterMs:           c.JitterMs,
		Connection:         c.Connection,
		SubscribedDownMbps: c.SubscribedDownMbps,
		Source:             c.Source,
		Operator:           c.Operator,
		measuredAtGiven:    c.MeasuredAtGiven,
	}
	if c.HasPosition {
		p := geo.ToSWEREF(orb.Point{c.Lon, c.Lat})
		muni, ok, err := LocateSWEREF(p)
		if err != nil {
			return Measurement{}, err
		}
		if !ok {
			return Measurement{}, InvalidError{
				{Field: "lat", Message: "the position must lie inside Sweden"},
				{Field: "lon", Message: "the position must lie inside Sweden"},
			}
		}
		m.Square, m.Municipality = geo.SquareOf(p, geo.SquareSize), muni
		return m, nil
	}
	sq, muni, err := s.resolveAddress(ctx, c.Address)
	if err != nil {
		return Measurement{}, err
	}
	m.Square, m.Municipality = sq, muni
	return m, nil
}

// Submit stores m and answers where it went. With an Idempotency-Key, a
// request made before with that key and the same measurement gets the
// first answer (Replayed) and stores nothing, on whichever server it
// arrives and however often the servers restarted, for 24 hours; with
// another measurement it fails with ErrIdempotencyMismatch. The key's
// record is written in the transaction of the measurement, so Submit
// returns only after the commit: a Stored means the row is durable. A
// passing database failure is retried for a few seconds, safely, since the
// row's id is chosen here: a retry after a commit whose answer was lost
// finds its own row. Then it fails with ErrUnavailable.
func (s *Store) Submit(ctx context.Context, m Measurement, idempotencyKey string) (Stored, error) {
	deadline := time.Now().Add(s.retryFor)
	wait := 50 * time.Millisecond
	for {
		st, err := s.submitOnce(ctx, m, idempotencyKey)
		if err == nil || !transient(err) || ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			if err != nil {
				return Stored{}, unavailable(fmt.Errorf("measure: submit: %w", err))
			}
			if !st.Replayed {
				s.submitted.Add(1) // the tiles' decision is made again (areas.go)
			}
			return st, nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 800*time.Millisecond)
	}
}

// errRaced says another request with the same Idempotency-Key committed
// first; the next attempt finds its record.
var errRaced = errors.New("measure: a concurrent request with the same Idempotency-Key came first")

func (s *Store) submitOnce(ctx context.Context, m Measurement, key string) (Stored, error) {
	if key == "" {
		// One statement, committed when it returns: no explicit transaction
		// and its two extra round trips.
		if err := insertMeasurement(ctx, s.pool, m); err != nil {
			return Stored{}, err
		}
		s.maybePurge(ctx)
		return stored(m, false), nil
	}
	hash, print := keyHash(key), fingerprint(m)
	var st Stored
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		prior, err := findRequest(ctx, tx, hash, print)
		if err != nil {
			return err
		}
		if prior != nil {
			if prior.measurementID == m.ID { // an earlier attempt of this very request committed
				st = stored(m, false)
				return nil
			}
			if !prior.sameMeasurement {
				return ErrIdempotencyMismatch
			}
			st, err = readStored(ctx, tx, prior.measurementID)
			st.Replayed = true
			return err
		}
		var claimed bool
		err = tx.QueryRow(ctx, sqlClaimRequest, hash, print, m.ID).Scan(&claimed)
		if errors.Is(err, pgx.ErrNoRows) { // the key's record appeared since findRequest
			return errRaced
		}
		if err != nil {
			return fmt.Errorf("claim idempotency key: %w", err)
		}
		if err := insertMeasurement(ctx, tx, m); err != nil {
			return err
		}
		st = stored(m, false)
		return nil
	})
	if errors.Is(err, errRaced) {
		return s.submitOnce(ctx, m, key)
	}
	if err != nil {
		return Stored{}, err
	}
	if !st.Replayed {
		s.maybePurge(ctx)
	}
	return st, nil
}

// insertMeasurement inserts m; a row with its id already there is an
// earlier attempt of the same submission, and fine.
func insertMeasurement(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, m Measurement) error {
	var inserted bool
	err := q.QueryRow(ctx, sqlInsertMeasurement, m.ID, m.MeasuredAt, m.Square.E, m.Square.N,
		m.Municipality.Code, m.Municipality.CountyCode, m.DownMbps, m.UpMbps, m.LatencyMs, m.JitterMs,
		m.Connection, m.SubscribedDownMbps, m.Source, m.Operator).Scan(&inserted)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("insert measurement: %w", err)
	}
	return nil
}

// maybePurge deletes old Idempotency-Key records after about one
// submission in 64.
func (s *Store) maybePurge(ctx context.Context) {
	if mrand.IntN(64) == 0 {
		s.purgeRequests(ctx)
	}
}

type priorRequest struct {
	measurementID   string
	sameMeasurement bool
}

// findRequest looks for the live record of an Idempotency-Key.
func findRequest(ctx context.Context, tx pgx.Tx, hash, print []byte) (*priorRequest, error) {
	var p priorRequest
	err := tx.QueryRow(ctx, sqlFindRequest, hash, print).Scan(&p.measurementID, &p.sameMeasurement)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find idempotency key: %w", err)
	}
	return &p, nil
}

func stored(m Measurement, replayed bool) Stored {
	return Stored{ID: m.ID, Square: m.Square.ID(), Municipality: m.Municipality, MeasuredAt: m.MeasuredAt, Replayed: replayed}
}

// readStored rebuilds the first answer from the stored row.
func readStored(ctx context.Context, tx pgx.Tx, id string) (Stored, error) {
	var m Measurement
	var code string
	m.Square.Size = geo.SquareSize
	err := tx.QueryRow(ctx, sqlReadMeasurement, id).Scan(&m.ID, &m.MeasuredAt, &m.Square.E, &m.Square.N, &code)
	if err != nil {
		return Stored{}, fmt.Errorf("read measurement %s: %w", id, err)
	}
	muni, ok := MunicipalityByCode(code)
	if !ok {
		muni = Municipality{Code: code}
	}
	m.Municipality = muni
	return stored(m, true), nil
}

// purgeRequests deletes Idempotency-Key records past their lifetime: no
// retry may match them, and they would only tie a measurement to a day.
// Best effort: the next one tries again.
func (s *Store) purgeRequests(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, _ = s.pool.Exec(ctx, sqlPurgeRequests)
}

// newID returns a random (version 4) UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Load inserts many measurements at once (the demo data, tests), bypassing
// the API's rules on measured_at: each is placed already. A missing ID is
// made; times are kept to the hour. It lands whole or not at all.
func (s *Store) Load(ctx context.Context, ms []Measurement) (int64, error) {
	rows := make([][]any, len(ms))
	for i, m := range ms {
		if m.ID == "" {
			m.ID = newID()
		}
		county := m.Municipality.CountyCode
		if county == "" && len(m.Municipality.Code) == 4 {
			county = m.Municipality.Code[:2]
		}
		rows[i] = []any{m.ID, m.MeasuredAt.UTC().Truncate(time.Hour), m.Square.E, m.Square.N, m.Municipality.Code, county,
			m.DownMbps, m.UpMbps, m.LatencyMs, m.JitterMs, m.Connection, m.SubscribedDownMbps, m.Source, nullable(m.Operator)}
	}
	n, err := s.pool.CopyFrom(ctx, pgx.Identifier{"measurements"}, []string{"id", "measured_at", "square_e", "square_n",
		"municipality_code", "county_code", "down_mbps", "up_mbps", "latency_ms", "jitter_ms", "connection",
		"subscribed_down_mbps", "source", "operator"}, pgx.CopyFromRows(rows))
	if err != nil {
		return 0, unavailable(fmt.Errorf("measure: load %d measurements: %w", len(ms), err))
	}
	return n, nil
}

// nullable is s, or NULL for "".
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
